"""Councils through time: historical councils created, checked and back-entered; rules judged by
the date of the record."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Council, CouncilRole, Rule
from hdnd_portal.core.rules import due_date_or_none, rule_for
from hdnd_portal.core.scoping import Access
from hdnd_portal.core.services import check_council_date

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _district(council, **kwargs):
    defaults = dict(name="Huyện Đông Anh", level=Council.Level.DISTRICT, unit_kind=Council.UnitKind.DISTRICT,
                    code="D017", parent=council, established_on=date(1961, 4, 1), dissolved_on=date(2025, 6, 30))
    defaults.update(kwargs)
    return Council.objects.create(**defaults)


def test_a_province_administrator_creates_a_historical_district_from_the_page(admin_client, council):
    admin_client.get(reverse("core:council_list"))
    response = admin_client.post(reverse("core:council_create"), {
        "name": "Huyện Sóc Sơn", "level": "district", "unit_kind": "huyen", "code": "D016", "parent": council.pk,
        "place_name": "Sóc Sơn", "established_on": "01/04/1961", "dissolved_on": "30/06/2025", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    district = Council.objects.get(code="D016")
    assert district.parent == council and district.is_historical
    assert "(đã giải thể)" in district.label or "(dissolved)" in district.label


def test_a_district_without_its_last_day_is_refused_beside_the_field(admin_client, council):
    response = admin_client.post(reverse("core:council_create"), {
        "name": "Huyện Mê Linh", "level": "district", "unit_kind": "huyen", "code": "D250", "parent": council.pk,
        "is_active": "on",
    })
    assert response.status_code == 200
    assert "dissolved_on" in response.context["form"].errors
    assert not Council.objects.filter(code="D250").exists()


def test_unit_kind_and_level_are_checked_against_each_other(admin_client, council):
    response = admin_client.post(reverse("core:council_create"), {
        "name": "Phường Lạ", "level": "commune", "unit_kind": "huyen", "code": "X999", "parent": council.pk,
        "is_active": "on",
    })
    assert response.status_code == 200 and "unit_kind" in response.context["form"].errors


def test_the_council_api_creates_below_a_council_one_administers_only(make_user, council, commune, other_council):
    admin = make_user("qt", council, CouncilRole.Role.ADMIN)
    created = _api(admin).post("/api/core/councils/", {
        "name": "Xã Mới", "level": "commune", "unit_kind": "xa", "code": "X100", "parent": council.pk,
    }, format="json")
    assert created.status_code == 201, created.content
    refused = _api(admin).post("/api/core/councils/", {
        "name": "Xã Khác", "level": "commune", "unit_kind": "xa", "code": "X101", "parent": other_council.pk,
    }, format="json")
    assert refused.status_code in (400, 403) and not Council.objects.filter(code="X101").exists()
    commune_admin = make_user("qtx", commune, CouncilRole.Role.ADMIN)
    refused = _api(commune_admin).post("/api/core/councils/", {
        "name": "Xã Con", "level": "commune", "unit_kind": "xa", "code": "X102", "parent": council.pk,
    }, format="json")
    assert refused.status_code == 403 and not Council.objects.filter(code="X102").exists()


def test_a_council_is_never_moved_to_another_parent(make_user, council, commune, other_council):
    admin = make_user("qt", commune, CouncilRole.Role.ADMIN)  # the commune's own administrator
    response = _api(admin).patch(f"/api/core/councils/{commune.pk}/", {"parent": None, "version": commune.version},
                                 format="json")
    assert response.status_code == 400
    response = _api(admin).patch(f"/api/core/councils/{commune.pk}/", {"parent": other_council.pk,
                                                                       "version": commune.version}, format="json")
    assert response.status_code == 400
    commune.refresh_from_db()
    assert commune.parent_id == council.pk


def test_a_dissolved_council_is_read_only_except_for_the_archivist(make_user, council):
    district = _district(council)
    staff = make_user("cb", district, CouncilRole.Role.STAFF)
    access = Access(staff)
    assert access.has(district.pk, "can_view_directory")
    assert not access.has(district.pk, "can_change_directory")
    archivist = make_user("lt", council, CouncilRole.Role.ARCHIVIST)
    access = Access(archivist)
    assert access.has(district.pk, "can_change_directory")  # back-enters the dissolved district
    assert not access.has(council.pk, "can_change_directory")  # reads the living province only


def test_records_are_dated_within_the_councils_existence(council):
    district = _district(council)
    check_council_date(council=district, day=date(2024, 12, 31), field="date")
    with pytest.raises(DomainError) as error:
        check_council_date(council=district, day=date(2025, 7, 1), field="date")
    assert error.value.field == "date" and "30/06/2025" in error.value.message


def test_every_apps_dated_records_stay_within_the_councils_existence(make_user, council):
    """Found by back-entering a dissolved district through the API: a session planned ten days after
    its dissolution was saved. Each app's dated record is now checked on every road (model save)."""
    from citizens.models import Letter, ReceptionDay
    from hdnd_portal.core.models import Term
    from oversight.models import OversightActivity
    from sessions.models import CouncilSession
    from voters.models import Petition, VoterMeeting

    district = _district(council)
    term = Term.objects.create(council=district, numeral="XVI", start_year=2021, end_year=2026)
    archivist = make_user("lt", council, CouncilRole.Role.ARCHIVIST)
    api = _api(archivist)
    body = {"council": district.pk, "term": term.pk, "number": 30, "kind": "regular", "title": "Kỳ họp",
            "planned_start": "2025-07-10", "planned_end": "2025-07-10", "location": "Trụ sở"}
    response = api.post("/api/sessions/sessions/", body, format="json")
    assert response.status_code == 400 and "30/06/2025" in str(response.json()), response.content
    assert not CouncilSession.objects.filter(council=district).exists()
    body.update(planned_start="2025-06-10", planned_end="2025-06-10")
    assert api.post("/api/sessions/sessions/", body, format="json").status_code == 201  # back-entered in time
    after = date(2025, 7, 1)
    for record in (
        Petition(council=district, content="Sửa đường", received_on=after),
        VoterMeeting(council=district, date=after, voter_count=10),
        Letter(council=district, register_year=2025, register_seq=1, register_number="1/ĐT", received_on=after,
               channel="post", kind="complaint", subject="Đơn"),
        ReceptionDay(council=district, date=after, location="Trụ sở"),
        OversightActivity(council=district, topic="Giám sát", start_date=after, end_date=after,
                          conducting_level="council"),
    ):
        with pytest.raises(DomainError) as error:
            record.save()
        assert "30/06/2025" in error.value.message and error.value.field, type(record).__name__
    # An edit that keeps a date outside (a record saved before the council's dates were known) is
    # not refused for it; moving the date is checked.
    session = CouncilSession.objects.get(council=district)
    session.title = "Kỳ họp thường lệ giữa năm"
    session.save()
    session.planned_start = date(2025, 8, 1)
    with pytest.raises(DomainError):
        session.save()


def test_historical_councils_stay_in_the_switcher_marked(make_user, council, client):
    district = _district(council)
    user = make_user("ld", council, CouncilRole.Role.LEADER)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert district.name in page and "giải thể" in page


def test_a_record_is_judged_by_the_rule_in_force_on_its_date():
    before = rule_for("petition.national_assembly_days", None, date(2025, 6, 30))
    after = rule_for("petition.national_assembly_days", None, date(2025, 7, 1))
    assert "525/2012" in before.citation and before.effective_to == date(2025, 6, 30)
    assert "2025" in after.citation and after.status == Rule.Status.UNCONFIRMED


def test_corrected_citations():
    on = date(2026, 1, 1)
    assert rule_for("question.written_answer_days", None, on).citation.endswith("Điều 60")
    assert "Điều 80 khoản 1" in rule_for("session.first_after_election_days", None, date(2021, 5, 23)).citation
    assert "Điều 22" in rule_for("reception.sessions_per_month", None, on).citation
    assert "Điều 30" in rule_for("reception.group_representatives_small", None, on).citation
    assert "05/2021/TT-TTCP" in rule_for("letter.multi_signer_min", None, on).citation
    assert "72/2025/NQLT" in rule_for("voter_meeting.outside_decision_wd", None, on).citation


def test_a_date_no_rule_covers_gives_no_deadline_instead_of_an_error():
    assert due_date_or_none("voter_meeting.outside_decision_wd", None, date(2024, 3, 1)) == (None, None)
    due, rule = due_date_or_none("voter_meeting.outside_decision_wd", None, date(2026, 3, 2))
    assert due is not None and rule.value == 5
