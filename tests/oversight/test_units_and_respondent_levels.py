"""Issue #12, oversight: the number of supervised units of an activity, and respondents from a
lower level (a commune chairman answering at a questioning of the council above)."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, CouncilRole
from oversight import services
from oversight.models import OversightActivity, Post, Respondent


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def commune_chair(commune):
    return Agency.objects.create(council=commune, name="UBND phường Đông Anh", kind=Agency.Kind.PEOPLES_COMMITTEE)


@pytest.fixture
def foreign_agency(other_council):
    return Agency.objects.create(council=other_council, name="UBND tỉnh Nghệ An", kind=Agency.Kind.PEOPLES_COMMITTEE)


# --- Supervised units ---------------------------------------------------------------------


def test_supervised_units_default_to_the_agencies_chosen_and_keep_a_given_figure(make_activity, agency, council):
    other = Agency.objects.create(council=council, name="Sở Tài chính")
    counted = make_activity(agencies=[agency, other])
    assert counted.supervised_units == 2
    given = make_activity(agencies=[agency], supervised_units=12)
    assert OversightActivity.objects.get(pk=given.pk).supervised_units == 12
    assert make_activity().supervised_units is None


@pytest.mark.parametrize("value", [0, -1])
def test_supervised_units_must_be_positive(make_activity, value):
    with pytest.raises(DomainError) as refused:
        make_activity(supervised_units=value)
    assert refused.value.field == "supervised_units"
    assert not OversightActivity.objects.exists()


def test_supervised_units_through_the_api_and_on_the_pages(api_client, council, standing, staff_client):
    body = {
        "council": council.pk,
        "topic": "Khảo sát trường học",
        "kind": "survey",
        "conducting_level": "standing",
        "body": standing.pk,
        "start_date": "2025-05-05",
        "end_date": "2025-05-20",
        "supervised_units": 0,
    }
    assert api_client.post("/api/oversight/activities/", body, format="json").status_code == 400
    created = api_client.post("/api/oversight/activities/", {**body, "supervised_units": 9}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["supervised_units"] == 9
    activity = OversightActivity.objects.get()
    detail = staff_client.get(reverse("oversight:activity_detail", args=[activity.pk])).content.decode()
    assert "Khảo sát trường học" in detail and ">9<" in detail.replace(" ", "")
    listing = staff_client.get(reverse("oversight:activity_list")).content.decode()
    assert ">9<" in listing.replace(" ", "")


# --- Respondents from a lower level -------------------------------------------------------


def test_a_commune_chairman_answers_at_the_questioning_of_the_council_above(make_questioning, commune_chair):
    qs = make_questioning()
    respondent = services.respondent_add(
        questioning_session=qs, official_name="Lê Văn Cường", post=Post.PC_CHAIR, agency=commune_chair
    )
    assert respondent.council_id == qs.council_id and respondent.agency.council_id != qs.council_id


def test_an_agency_of_an_unrelated_or_higher_council_is_refused(make_questioning, foreign_agency, commune, council):
    qs = make_questioning()
    with pytest.raises(DomainError) as refused:
        services.respondent_add(questioning_session=qs, official_name="X", post=Post.PC_CHAIR, agency=foreign_agency)
    assert refused.value.field == "agency"
    # A commune's questioning cannot name the province's agency (only the council or below).
    from hdnd_portal.core.models import Term

    Term.objects.create(council=commune, numeral="I", start_year=2021, end_year=2026, is_current=True)
    commune_qs = make_questioning(council=commune)
    upper = Agency.objects.create(council=council, name="UBND thành phố")
    with pytest.raises(DomainError):
        services.respondent_add(questioning_session=commune_qs, official_name="Y", post=Post.PC_CHAIR, agency=upper)
    assert not Respondent.objects.exists()


def test_the_api_takes_a_lower_level_respondent_and_refuses_foreign_ones(
    make_questioning, commune_chair, foreign_agency, api_client, make_user, other_council, council
):
    qs = make_questioning()
    body = {"questioning_session": qs.pk, "official_name": "Lê Văn Cường", "post": "pc_chair"}
    done = api_client.post("/api/oversight/respondents/", {**body, "agency": commune_chair.pk}, format="json")
    assert done.status_code == 201, done.content
    foreign = api_client.post("/api/oversight/respondents/", {**body, "agency": foreign_agency.pk}, format="json")
    assert foreign.status_code == 400 and foreign.json()["field"] == "agency"
    # A user of another council cannot add to this council's questioning, even naming its own agency.
    stranger = api_for(make_user("khac", other_council, CouncilRole.Role.STAFF))
    hostile = stranger.post("/api/oversight/respondents/", {**body, "agency": foreign_agency.pk}, format="json")
    assert hostile.status_code in (400, 403, 404)
    viewer = api_for(make_user("xem", council, CouncilRole.Role.VIEWER))
    assert viewer.post("/api/oversight/respondents/", {**body, "agency": commune_chair.pk}, format="json").status_code == 403
    assert Respondent.objects.count() == 1


def test_a_user_who_cannot_see_the_lower_council_cannot_point_at_its_agency(
    make_questioning, make_user, council, commune, make_council
):
    qs = make_questioning()
    # Another commune of the same parent, not below... a sibling council's agency is refused too.
    from hdnd_portal.core.models import Council

    sibling_parent = make_council("Tỉnh Bắc Ninh")
    sibling = make_council("Xã Tam Sơn", level=Council.Level.COMMUNE, parent=sibling_parent)
    hidden = Agency.objects.create(council=sibling, name="UBND xã Tam Sơn")
    staff = make_user("canbo2", council, CouncilRole.Role.STAFF)
    with pytest.raises(DomainError) as refused:
        services.respondent_add(
            questioning_session=qs, official_name="Z", post=Post.PC_CHAIR, agency=hidden, user=staff
        )
    assert refused.value.field == "agency"


def test_the_respondent_page_offers_lower_level_agencies_and_shows_their_council(
    make_questioning, commune_chair, foreign_agency, staff_client
):
    qs = make_questioning()
    url = reverse("oversight:respondent_add", args=[qs.pk])
    form_page = staff_client.get(url).content.decode()
    assert "UBND phường Đông Anh" in form_page and "UBND tỉnh Nghệ An" not in form_page
    refused = staff_client.post(
        url, {"official_name": "A", "post": "pc_chair", "agency": foreign_agency.pk, "official_title": ""}
    )
    assert refused.status_code == 200 and not Respondent.objects.exists()
    staff_client.post(
        url, {"official_name": "Lê Văn Cường", "post": "pc_chair", "agency": commune_chair.pk, "official_title": ""}
    )
    assert Respondent.objects.get().agency == commune_chair
    detail = staff_client.get(qs.get_absolute_url()).content.decode()
    assert "Phường Đông Anh" in detail


def test_a_question_to_a_lower_level_respondent_tracks_its_written_answer(
    make_questioning, commune_chair, make_deputy, council
):
    qs = make_questioning()
    respondent = services.respondent_add(
        questioning_session=qs, official_name="Lê Văn Cường", post=Post.PC_CHAIR, agency=commune_chair
    )
    question = services.question_ask(
        questioning_session=qs,
        deputy=make_deputy(council),
        respondent=respondent,
        text="Tiến độ giải phóng mặt bằng?",
        answer_mode="written",
        asked_on=date(2025, 7, 10),
    )
    assert question.written_due is not None
