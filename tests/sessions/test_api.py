from datetime import date

import pytest
from rest_framework.test import APIClient

from hdnd_portal.core.models import CouncilRole
from sessions.models import AgendaItem, CouncilSession, Poll, PollBallot, Resolution, SessionDocument
from sessions.services import document_create, resolution_adopt, session_open

from .conftest import pdf_file

API = "/api/sessions"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_plan_a_session_and_its_agenda(api_client, council, term):
    response = api_client.post(
        f"{API}/sessions/",
        {
            "council": council.pk,
            "term": term.pk,
            "number": 5,
            "kind": "regular",
            "planned_start": "2026-12-08",
            "planned_end": "2026-12-10",
            "venue": "Hội trường",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    duplicate = api_client.post(
        f"{API}/sessions/",
        {
            "council": council.pk,
            "term": term.pk,
            "number": 5,
            "planned_start": "2026-12-08",
            "planned_end": "2026-12-10",
        },
        format="json",
    )
    assert duplicate.status_code == 400 and CouncilSession.objects.count() == 1
    ids = [
        api_client.post(f"{API}/agenda-items/", {"session": session_id, "title": t}, format="json").json()["id"]
        for t in ("A", "B", "C")
    ]
    reordered = api_client.post(
        f"{API}/sessions/{session_id}/reorder/", {"order": [ids[2], ids[0], ids[1]]}, format="json"
    )
    assert [i["title"] for i in reordered.json()] == ["C", "A", "B"]
    upload = api_client.post(
        f"{API}/documents/",
        {
            "session": session_id,
            "kind": "submission",
            "title": "Tờ trình",
            "issuer": "UBND",
            "external_number": "08/TTr-UBND",
            "external_date": "2026-11-18",
            "doc_date": "2026-11-20",
            "file": pdf_file(),
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    # The People's Committee's own number, never one invented by the portal.
    assert (upload.json()["number"], upload.json()["shown_number"]) == ("", "08/TTr-UBND")
    wrong = api_client.post(
        f"{API}/documents/",
        {"session": session_id, "kind": "report", "title": "x", "doc_date": "2026-11-20", "file": pdf_file("bang.exe")},
        format="multipart",
    )
    assert wrong.status_code == 400


def test_resolutions_search_and_filters(api_client, council):
    resolution_adopt(council=council, title="Dự toán ngân sách", kind="regular", adopted_on=date(2025, 12, 9))
    resolution_adopt(council=council, title="Quy định phí", kind="normative", adopted_on=date(2026, 7, 9))
    assert api_client.get(f"{API}/resolutions/?q=ngan sach").json()["count"] == 1
    assert api_client.get(f"{API}/resolutions/?year=2026").json()["results"][0]["number"] == "01/2026/NQ-HĐND"
    created = api_client.post(
        f"{API}/resolutions/",
        {"council": council.pk, "title": "Nghị quyết mới", "kind": "regular", "adopted_on": "2025-12-20"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["number"] == "02/NQ-HĐND"


def test_electronic_vote_through_the_api(api_client, council_session, agenda_item, make_user, seat_deputies, council):
    deputies = seat_deputies(3)
    session_open(session=council_session, on=date(2026, 12, 8))
    users = [make_user(f"api{i}", council, CouncilRole.Role.DEPUTY, deputy=d) for i, d in enumerate(deputies)]
    opened = api_client.post(f"{API}/polls/", {"agenda_item": agenda_item.pk, "method": "secret"}, format="json")
    assert opened.status_code == 201, opened.content
    poll_id = opened.json()["id"]
    assert api_for(users[0]).post(f"{API}/polls/{poll_id}/cast/", {"choice": "yes"}, format="json").status_code == 201
    assert api_for(users[1]).post(f"{API}/polls/{poll_id}/cast/", {"choice": "yes"}, format="json").status_code == 201
    again = api_for(users[1]).post(f"{API}/polls/{poll_id}/cast/", {"choice": "no"}, format="json")
    assert again.status_code == 409 and again.json()["message"]
    tally = api_for(users[2]).get(f"{API}/polls/{poll_id}/tally/").json()
    # A secret poll shows only how many have voted until it closes.
    assert (tally["voted"], tally["yes"], tally["total"], tally["counts_hidden"]) == (2, None, 3, True)
    assert api_client.post(f"{API}/polls/{poll_id}/cast/", {"choice": "yes"}, format="json").status_code == 403
    closed = api_client.post(f"{API}/polls/{poll_id}/close/").json()
    assert closed["vote"]["passed"] and closed["tally"]["resolution"]["number"] == "01/NQ-HĐND"
    assert (closed["tally"]["yes"], closed["tally"]["no"], closed["tally"]["counts_hidden"]) == (2, 0, False)
    late = api_for(users[2]).post(f"{API}/polls/{poll_id}/cast/", {"choice": "yes"}, format="json")
    assert late.status_code == 400
    assert not PollBallot.objects.exists() and Poll.objects.get().state == "closed"


def test_vote_counts_are_checked(api_client, council_session, agenda_item, seat_deputies):
    seat_deputies(4)
    session_open(session=council_session, on=date(2026, 12, 8))
    bad = api_client.post(
        f"{API}/votes/",
        {"agenda_item": agenda_item.pk, "voted_on": "2026-12-09", "yes": 4, "no": 1, "not_voting": 0},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "participants"
    good = api_client.post(
        f"{API}/votes/",
        {"agenda_item": agenda_item.pk, "voted_on": "2026-12-09", "yes": 3, "no": 1, "not_voting": 0},
        format="json",
    )
    assert good.status_code == 201 and good.json()["passed"] and good.json()["total_deputies"] == 4


@pytest.fixture
def records(council_session, agenda_item):
    document = document_create(
        session=council_session, kind="submission", title="Tờ trình", doc_date=date(2026, 11, 20), file=pdf_file()
    )
    resolution = resolution_adopt(
        council=council_session.council, title="NQ", kind="regular", adopted_on=date(2026, 1, 5)
    )
    return {
        "sessions": council_session.pk,
        "agenda-items": agenda_item.pk,
        "documents": document.pk,
        "resolutions": resolution.pk,
    }


def test_api_permission_matrix(records, make_user, other_council, council, agency):
    other = api_for(make_user("other", other_council, CouncilRole.Role.STAFF))
    viewer = api_for(make_user("viewer", council, CouncilRole.Role.VIEWER))
    responder = api_for(make_user("responder", council, CouncilRole.Role.RESPONDER, agency=agency))
    for name, pk in records.items():
        assert other.get(f"{API}/{name}/{pk}/").status_code == 404, name
        assert other.patch(f"{API}/{name}/{pk}/", {"title": "x"}, format="json").status_code == 404, name
        assert viewer.patch(f"{API}/{name}/{pk}/", {"title": "x"}, format="json").status_code in (403, 404), name
        assert responder.get(f"{API}/{name}/").status_code == 403, name
    assert viewer.get(f"{API}/sessions/{records['sessions']}/").status_code == 200
    assert viewer.patch(f"{API}/sessions/{records['sessions']}/", {"title": "x"}, format="json").status_code == 403
    assert viewer.post(f"{API}/sessions/{records['sessions']}/close/").status_code == 403
    # A document not sent and not public is hidden from viewers.
    assert viewer.get(f"{API}/documents/{records['documents']}/").status_code == 404
    assert other.get(f"{API}/sessions/").json()["count"] == 0
    assert CouncilSession.objects.count() == 1 and AgendaItem.objects.count() == 1
    assert Resolution.objects.count() == 1 and SessionDocument.objects.count() == 1


def test_attendance_through_the_api(api_client, council_session, seat_deputies):
    present, excused = seat_deputies(2)
    url = f"{API}/sessions/{council_session.pk}/attendance/"
    entries = [{"deputy": present.pk, "status": "present"}, {"deputy": excused.pk, "status": "absent_excused"}]
    refused = api_client.post(url, {"day": "2026-12-08", "entries": entries}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    entries[1]["reason"] = "Ốm"
    outside = api_client.post(url, {"day": "2026-12-20", "entries": entries}, format="json")
    assert outside.status_code == 400
    saved = api_client.post(url, {"day": "2026-12-08", "entries": entries}, format="json")
    assert saved.status_code == 200 and sorted(r["status"] for r in saved.json()) == ["absent_excused", "present"]
