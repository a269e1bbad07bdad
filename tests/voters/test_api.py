from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hdnd_portal.core.models import Agency, CouncilRole
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def forwarded(council, agency, make_petition):
    petition = make_petition(council)
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    return Petition.objects.get(pk=petition.pk)


def test_staff_create_list_and_merge_through_the_api(api_client, council, make_meeting):
    meeting = make_meeting(council)
    created = [
        api_client.post(
            "/api/voters/petitions/",
            {"council": council.pk, "content": f"Kiến nghị đường {i}", "meetings": [meeting.pk]},
            format="json",
        )
        for i in range(2)
    ]
    assert [r.status_code for r in created] == [201, 201]
    a, b = (r.json()["id"] for r in created)
    listing = api_client.get("/api/voters/petitions/", {"q": "kien nghi duong"})
    assert listing.status_code == 200 and listing.json()["count"] == 2
    versions = {r.json()["id"]: r.json()["version"] for r in created}
    merged = api_client.post(f"/api/voters/petitions/{b}/merge/", {"into": a, "version": versions[b]}, format="json")
    assert merged.status_code == 200 and merged.json()["source_count"] == 2
    refused = api_client.post(
        f"/api/voters/petitions/{a}/merge/", {"into": b, "version": merged.json()["version"]}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["message"]


def test_forwarding_to_another_councils_agency_is_refused_by_the_api(api_client, council, other_council, make_petition):
    foreign = Agency.objects.create(council=other_council, name="Sở Y tế Nghệ An")
    petition = make_petition(council)
    response = api_client.post(
        "/api/voters/petitions/forward/",
        {"council": council.pk, "petitions": [petition.pk], "agency": foreign.pk, "on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 400
    ok = api_client.post(
        "/api/voters/petitions/forward/",
        {
            "council": council.pk,
            "petitions": [petition.pk],
            "agency": Agency.objects.create(council=council, name="Sở GTVT").pk,
            "on": "2026-03-02",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["number"] == "01/CV-HĐND"


def test_responder_answers_only_its_agencys_petitions_through_the_api(
    responder_user, council, forwarded, make_petition
):
    other = Agency.objects.create(council=council, name="Sở Y tế")
    theirs = make_petition(council)
    services.petition_forward(council=council, petitions=[theirs], agency=other, on=date(2026, 3, 2))
    client = _api(responder_user)
    listing = client.get("/api/voters/petitions/")
    assert [r["id"] for r in listing.json()["results"]] == [forwarded.pk]
    assert (
        client.post(
            f"/api/voters/petitions/{theirs.pk}/answer/",
            {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", "version": 1},
            format="json",
        ).status_code
        == 404
    )
    early = client.post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {"status": "resolved", "response_text": "x", "response_date": "2026-03-01", "version": forwarded.version},
        format="json",
    )
    assert early.status_code == 400 and early.json()["field"] == "response_date"
    ok = client.post(
        f"/api/voters/petitions/{forwarded.pk}/answer/",
        {
            "status": "explained",
            "response_text": "Đã giải thích",
            "response_date": "2026-03-05",
            "version": forwarded.version,
        },
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "explained"
    assert (
        client.post("/api/voters/petitions/", {"council": council.pk, "content": "x"}, format="json").status_code == 403
    )


def test_another_council_gets_404_and_a_viewer_403(make_user, other_council, council, forwarded):
    outsider = _api(make_user("ngoai", other_council, CouncilRole.Role.STAFF))
    missing = outsider.get(f"/api/voters/petitions/{forwarded.pk}/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Không tìm thấy."}  # not Django's English, naming the model
    assert outsider.post(f"/api/voters/petitions/{forwarded.pk}/merge/", {"into": 1}).status_code == 404
    viewer = _api(make_user("xem", council, CouncilRole.Role.VIEWER))
    assert viewer.get(f"/api/voters/petitions/{forwarded.pk}/").status_code == 200
    assert viewer.patch(f"/api/voters/petitions/{forwarded.pk}/", {"locality": "x"}, format="json").status_code == 403
    assert (
        viewer.post(
            f"/api/voters/petitions/{forwarded.pk}/answer/",
            {"status": "resolved", "response_text": "x", "response_date": "2026-03-05", "version": 1},
            format="json",
        ).status_code
        == 403
    )
    assert (
        viewer.post(
            "/api/voters/petitions/forward/",
            {"council": council.pk, "petitions": [forwarded.pk], "agency": forwarded.agency_id},
            format="json",
        ).status_code
        == 403
    )
    assert (
        viewer.post("/api/voters/meetings/", {"council": council.pk, "date": "2026-01-01"}, format="json").status_code
        == 403
    )


def test_deputy_api_sees_their_petitions_and_public_ones(make_user, make_deputy, council, make_petition):
    deputy = make_deputy(council, "Vũ Minh Hải")
    client = _api(make_user("hai", council, CouncilRole.Role.DEPUTY, deputy=deputy))
    took = make_petition(council, deputies=[deputy])
    public = make_petition(council, is_public=True)
    hidden = make_petition(council)
    ids = {r["id"] for r in client.get("/api/voters/petitions/").json()["results"]}
    assert ids == {took.pk, public.pk}
    assert client.get(f"/api/voters/petitions/{hidden.pk}/").status_code == 404
    assert {r["id"] for r in client.get("/api/voters/petitions/?mine=1").json()["results"]} == {took.pk}


def test_meetings_api(api_client, council, group, make_deputy):
    deputy = make_deputy(council, "Đỗ Văn Long")
    response = api_client.post(
        "/api/voters/meetings/",
        {
            "council": council.pk,
            "date": "2026-03-16",
            "kind": "before_session",
            "group": group.pk,
            "deputies": [deputy.pk],
            "voter_count": 150,
            "outside_constituency": True,
            "outside_requested_on": "2026-03-02",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["outside_notice_due"] == "2026-03-11"
    assert api_client.get("/api/voters/meetings/").json()["count"] == 1
    assert api_client.get("/api/voters/letters/").status_code == 200


@pytest.mark.parametrize("rows", [10, 60])
def test_api_list_query_count_is_bounded(api_client, council, make_deputy, rows, django_assert_max_num_queries):
    deputy = make_deputy(council, "Đại biểu")
    for i in range(rows):
        services.petition_create(council=council, content=f"Kiến nghị {i}", deputies=[deputy])
    with django_assert_max_num_queries(10):
        response = api_client.get("/api/voters/petitions/")
    assert response.status_code == 200


def test_the_list_writes_related_records_by_id_without_joining_them(api_client, council, forwarded, committee):
    """A list joins only its viewset's list_joins: the agency, field and committee are written by
    id; a single record still reads them with the record."""
    Petition.objects.filter(pk=forwarded.pk).update(committee=committee)
    with CaptureQueriesContext(connection) as queries:
        listing = api_client.get("/api/voters/petitions/")
    row = listing.json()["results"][0]
    assert (row["agency"], row["committee"]) == (forwarded.agency_id, committee.pk)
    page = [q["sql"] for q in queries.captured_queries if '"voters_petition"."content"' in q["sql"]]
    assert len(page) == 1 and "JOIN" not in page[0]
    with CaptureQueriesContext(connection) as queries:
        one = api_client.get(f"/api/voters/petitions/{forwarded.pk}/")
    assert one.json()["agency"] == forwarded.agency_id
    assert any('JOIN "core_agency"' in q["sql"] for q in queries.captured_queries)


def test_the_lists_plain_prefetch_gives_what_a_record_reads(api_client, council, group, make_deputy, make_meeting):
    """The list reads deputies and meetings as plain lists (core.prefetch.link_rows); the same
    ids in the same order as the record itself, and an update answers what it saved."""
    first, second, third = (make_deputy(council, name) for name in ("Trần Văn Ba", "Lê Thị An", "Đỗ Văn Cường"))
    meetings = [make_meeting(council), make_meeting(council)]
    petition = services.petition_create(council=council, content="Kiến nghị đường làng",
                                        deputies=[first, second, third], meetings=meetings)
    services.petition_create(council=council, content="Kiến nghị không có đại biểu")
    listed = {row["id"]: row for row in api_client.get("/api/voters/petitions/").json()["results"]}
    record = api_client.get(f"/api/voters/petitions/{petition.pk}/").json()
    assert listed[petition.pk] == record
    assert record["deputies"] == [second.pk, first.pk, third.pk]  # by name: An, Ba, Cường
    assert sorted(record["meetings"]) == sorted(m.pk for m in meetings)
    assert [row["deputies"] for pk, row in listed.items() if pk != petition.pk] == [[]]
    changed = api_client.patch(f"/api/voters/petitions/{petition.pk}/",
                               {"deputies": [third.pk], "version": record["version"]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["deputies"] == [third.pk]
    assert api_client.get("/api/voters/petitions/").json()["results"][1]["deputies"] == [third.pk]
    meetings_listed = api_client.get("/api/voters/meetings/").json()["results"]
    assert all(row == api_client.get(f"/api/voters/meetings/{row['id']}/").json() for row in meetings_listed)


def test_the_lists_read_the_deputies_and_meetings_ids_from_the_link_tables(api_client, council, make_deputy,
                                                                           make_meeting):
    """The petitions and meetings lists write the deputies and meetings by id, read from the link
    tables for the page's rows (core.prefetch.link_rows): no deputy or meeting row is read, and the
    ids come in the order a single record gives them."""
    first, second = make_deputy(council, "Trần Văn Ba"), make_deputy(council, "Lê Thị An")
    meetings = [make_meeting(council), make_meeting(council)]
    meetings[0].deputies.set([first, second])
    petition = services.petition_create(council=council, content="Kiến nghị đường làng",
                                        deputies=[first, second], meetings=meetings[::-1])
    for url, pk in (("/api/voters/petitions/", petition.pk), ("/api/voters/meetings/", meetings[0].pk)):
        with CaptureQueriesContext(connection) as queries:
            rows = {row["id"]: row for row in api_client.get(url).json()["results"]}
        sqls = [q["sql"] for q in queries.captured_queries]  # before the next request resets them
        assert len(sqls) >= 2  # the rows, then the link table with its related rows
        assert rows[pk] == api_client.get(f"{url}{pk}/").json()
        assert rows[pk]["deputies"] == [second.pk, first.pk]  # by name: An, Ba
        assert not [sql for sql in sqls if 'FROM "core_deputy" INNER JOIN' in sql]  # no deputy row
        assert not [sql for sql in sqls if 'FROM "voters_votermeeting" INNER JOIN "voters_petitionsource"' in sql]
    assert rows[meetings[0].pk]["deputies"] == [second.pk, first.pk]
    assert api_client.get("/api/voters/petitions/").json()["results"][0]["meetings"] == sorted(m.pk for m in meetings)


def test_the_read_plan_writes_what_drf_writes(council, agency, make_deputy, make_petition, make_meeting):
    """PortalSerializer.to_representation reads columns and foreign ids straight from the row:
    the same data as DRF's own, field for field (None, choices, dates, ids, lists, methods)."""
    from rest_framework.serializers import ModelSerializer

    from hdnd_portal.core.api import AgencySerializer, DeputySerializer
    from voters.queries import petition_list_qs
    from voters.serializers import MeetingSerializer, PetitionSerializer

    deputy = make_deputy(council, "Nguyễn Thị Hoa")
    meeting = make_meeting(council)
    petition = services.petition_create(council=council, content="Đường làng", deputies=[deputy], meetings=[meeting])
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    rows = [
        (PetitionSerializer, petition_list_qs(Petition.objects.filter(pk=petition.pk)).get()),
        (PetitionSerializer, petition_list_qs(Petition.objects.filter(pk=make_petition(council).pk)).get()),
        (DeputySerializer, deputy),
        (AgencySerializer, agency),
        (MeetingSerializer, meeting),
    ]
    for serializer_class, row in rows:
        serializer = serializer_class()
        data = serializer.to_representation(row)
        assert data == ModelSerializer.to_representation(serializer_class(), row), serializer_class
        assert list(data) == [field.field_name for field in serializer._readable_fields], serializer_class
        ways = {how for _name, _column, _field, how in serializer._read_plan}
        assert {"column", "foreign id"} <= ways or serializer_class is AgencySerializer, (serializer_class, ways)
    assert data["id"] == meeting.pk and rows[0][1].agency_id == agency.pk


def test_the_read_plan_leaves_a_file_to_drf(council, make_meeting):
    """A file column goes through DRF (its descriptor makes the stored name a file with a URL)."""
    from django.core.files.base import ContentFile
    from rest_framework.serializers import ModelSerializer

    from hdnd_portal.core.api import PortalSerializer
    from voters.models import VoterMeeting

    class MinutesSerializer(PortalSerializer):
        class Meta:
            model = VoterMeeting
            fields = ["id", "minutes", "place"]

    meeting = make_meeting(council)
    meeting.minutes.save("bien-ban.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    row = VoterMeeting.objects.get(pk=meeting.pk)
    serializer = MinutesSerializer()
    data = serializer.to_representation(row)
    assert data == ModelSerializer.to_representation(MinutesSerializer(), VoterMeeting.objects.get(pk=meeting.pk))
    assert data["minutes"] and data["minutes"].endswith(".pdf")
    assert {name: how for name, _c, _f, how in serializer._read_plan} == {"id": "column", "minutes": "drf", "place": "column"}
