from datetime import date

import pytest
from django.urls import reverse

from hdnd_portal.core.models import Body, CouncilRole, Term
from sessions.models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    IssueGroup,
    Poll,
    Resolution,
    ResolutionKind,
    SessionDocument,
    Vote,
)
from sessions.services import (
    document_create,
    poll_open,
    resolution_adopt,
    session_open,
    verification_assign,
    vote_record,
)

from .conftest import pdf_file


@pytest.fixture
def world(council_session, agenda_item, committee, seat_deputies):
    """A session with a document, a verification, a vote, a resolution and an open poll."""
    seat_deputies(5)
    document = document_create(
        session=council_session,
        kind=SessionDocument.Kind.SUBMISSION,
        title="Tờ trình",
        doc_date=date(2026, 11, 20),
        file=pdf_file(),
        issuer="UBND",
        agenda_item=agenda_item,
    )
    verification = verification_assign(submission=document, committee=committee, assigned_on=date(2026, 11, 21))
    other_item = AgendaItem.objects.create(
        council=council_session.council, session=council_session, position=2, title="Báo cáo kinh tế - xã hội"
    )
    session_open(session=council_session, on=date(2026, 12, 8))
    council_session.refresh_from_db()
    vote = vote_record(agenda_item=agenda_item, voted_on=date(2026, 12, 9), yes=4, no=1, not_voting=0)
    resolution = Resolution.objects.get(vote=vote)
    poll = poll_open(agenda_item=other_item)
    return {
        "session": council_session,
        "document": document,
        "verification": verification,
        "item": agenda_item,
        "resolution": resolution,
        "poll": poll,
    }


def page_urls(w):
    s, d, v, i, r, p = w["session"], w["document"], w["verification"], w["item"], w["resolution"], w["poll"]
    return [
        reverse("sessions:session_detail", args=[s.pk]),
        reverse("sessions:session_edit", args=[s.pk]),
        reverse("sessions:group_create", args=[s.pk]),
        reverse("sessions:item_create", args=[s.pk]),
        reverse("sessions:attendance", args=[s.pk]),
        reverse("sessions:document_create", args=[s.pk]),
        reverse("sessions:minutes", args=[s.pk]),
        reverse("sessions:item_edit", args=[i.pk]),
        reverse("sessions:vote_record", args=[i.pk]),
        reverse("sessions:poll_detail", args=[p.pk]),
        reverse("sessions:poll_tally", args=[p.pk]),
        reverse("sessions:document_detail", args=[d.pk]),
        reverse("sessions:document_edit", args=[d.pk]),
        reverse("sessions:document_version", args=[d.pk]),
        reverse("sessions:document_download", args=[d.pk]),
        reverse("sessions:verification_assign", args=[d.pk]),
        reverse("sessions:verification_detail", args=[v.pk]),
        reverse("sessions:verification_edit", args=[v.pk]),
        reverse("sessions:resolution_detail", args=[r.pk]),
        reverse("sessions:resolution_edit", args=[r.pk]),
    ]


LISTS = [
    "session_list",
    "session_calendar",
    "session_create",
    "document_list",
    "verification_list",
    "resolution_list",
    "resolution_create",
]


def test_every_page_opens_for_staff(staff_client, world, draw_minutes):
    for name in LISTS:
        response = staff_client.get(reverse(f"sessions:{name}"))
        assert response.status_code == 200, name
        assert staff_client.get(reverse(f"sessions:{name}") + "?export=xlsx").status_code == 200 or name in (
            "session_calendar",
            "session_create",
            "resolution_create",
        )
    for url in page_urls(world):
        assert staff_client.get(url).status_code == 200, url
    draw_minutes(staff_client, world["session"])
    pdf = staff_client.get(reverse("sessions:minutes_pdf", args=[world["session"].pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_another_councils_records_answer_404(other_staff_client, world):
    for url in page_urls(world):
        assert other_staff_client.get(url).status_code == 404, url
    for name in ("session_status", "agenda_reorder"):
        assert other_staff_client.post(reverse(f"sessions:{name}", args=[world["session"].pk])).status_code == 404
    assert other_staff_client.post(reverse("sessions:poll_close", args=[world["poll"].pk])).status_code == 404
    assert (
        other_staff_client.post(reverse("sessions:poll_cast", args=[world["poll"].pk]), {"choice": "yes"}).status_code
        == 404
    )


def test_missing_permissions_answer_403(world, viewer_client, responder_client, deputy_client):
    s, i, p, d = world["session"], world["item"], world["poll"], world["document"]
    change_pages = [
        reverse("sessions:session_edit", args=[s.pk]),
        reverse("sessions:item_create", args=[s.pk]),
        reverse("sessions:attendance", args=[s.pk]),
        reverse("sessions:document_create", args=[s.pk]),
        reverse("sessions:minutes", args=[s.pk]),
        reverse("sessions:minutes_pdf", args=[s.pk]),
        reverse("sessions:vote_record", args=[i.pk]),
        reverse("sessions:resolution_edit", args=[world["resolution"].pk]),
        reverse("sessions:session_create"),
        reverse("sessions:resolution_create"),
    ]
    for client in (viewer_client, deputy_client):
        for url in change_pages:
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("sessions:poll_close", args=[p.pk])).status_code == 403
        assert client.post(reverse("sessions:session_status", args=[s.pk]), {"action": "close"}).status_code == 403
    # A viewer cannot vote; an agency responder does not see sessions at all.
    assert viewer_client.post(reverse("sessions:poll_cast", args=[p.pk]), {"choice": "yes"}).status_code == 403
    assert responder_client.get(reverse("sessions:session_list")).status_code == 403
    assert responder_client.get(reverse("sessions:session_detail", args=[s.pk])).status_code == 403
    # A document not sent yet is not shown to deputies; viewers see public documents only.
    assert deputy_client.get(reverse("sessions:document_detail", args=[d.pk])).status_code == 404
    assert viewer_client.get(reverse("sessions:document_detail", args=[d.pk])).status_code == 404


def test_the_deputy_reads_and_votes_from_my_sessions(term, deputy_user, deputy_client, world):
    # The deputy sits before the poll opens (the list of voters is frozen at opening).
    from sessions.services import document_send

    document_send(document=world["document"])
    page = deputy_client.get(reverse("sessions:my_sessions"))
    assert page.status_code == 200 and "Tờ trình" in page.content.decode() and page.context["unread"] == 1
    assert deputy_client.get(reverse("sessions:document_download", args=[world["document"].pk])).status_code == 200
    assert deputy_client.get(reverse("sessions:my_sessions")).context["unread"] == 0
    poll = world["poll"]
    deputy_client.post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "yes"})
    second = deputy_client.post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "no"}, follow=True)
    assert "đầu tiên" in second.content.decode() or "first vote stands" in second.content.decode()
    poll.counter.refresh_from_db()
    assert (poll.counter.yes, poll.counter.no) == (1, 0)


def test_staff_run_a_session_in_the_browser_flow(staff_client, council_session, seat_deputies, committee, draw_minutes):
    deputies = seat_deputies(3)
    s = council_session
    staff_client.post(reverse("sessions:group_create", args=[s.pk]), {"title": "Nhóm kinh tế"})
    group = IssueGroup.objects.get()
    for title in ("Mục A", "Mục B", "Mục C"):
        response = staff_client.post(
            reverse("sessions:item_create", args=[s.pk]),
            {
                "title": title,
                "group": group.pk,
                "threshold": "majority",
                "resolution_kind": "regular",
                "proposes_resolution": "on",
            },
        )
        assert response.status_code == 302
    a, b, c = AgendaItem.objects.order_by("position")
    staff_client.post(reverse("sessions:item_move", args=[c.pk]), {"direction": "up"})
    assert list(AgendaItem.objects.order_by("position").values_list("title", flat=True)) == ["Mục A", "Mục C", "Mục B"]
    staff_client.post(reverse("sessions:agenda_reorder", args=[s.pk]), {"order": f"{b.pk},{a.pk},{c.pk}"})
    assert list(AgendaItem.objects.order_by("position").values_list("title", flat=True)) == ["Mục B", "Mục A", "Mục C"]
    bad = staff_client.post(
        reverse("sessions:document_create", args=[s.pk]),
        {
            "kind": "submission",
            "title": "x",
            "issuer": "UBND",
            "doc_date": "20/11/2026",
            "visibility": "public_after",
            "file": pdf_file("x.exe"),
        },
    )
    assert bad.status_code == 200 and ".exe" in bad.content.decode()
    staff_client.post(reverse("sessions:session_status", args=[s.pk]), {"action": "open"})
    s.refresh_from_db()  # opened today (9 December): votes are dated from the opening on
    day = s.days[0]
    form = {
        "day": day.isoformat(),
        f"status_{deputies[0].pk}": "present",
        f"status_{deputies[1].pk}": "absent_excused",
        f"reason_{deputies[1].pk}": "",
        f"status_{deputies[2].pk}": "absent",
    }
    page = staff_client.post(reverse("sessions:attendance", args=[s.pk]), form)
    assert page.status_code == 200 and not Attendance.objects.exists()
    form[f"reason_{deputies[1].pk}"] = "Đi công tác"
    staff_client.post(reverse("sessions:attendance", args=[s.pk]), form)
    assert Attendance.objects.filter(status="present").count() == 1
    bad_vote = staff_client.post(
        reverse("sessions:vote_record", args=[a.pk]),
        {"method": "open", "voted_on": day.strftime("%d/%m/%Y"), "participants": 4, "yes": 4, "no": 0, "not_voting": 0},
    )
    assert bad_vote.status_code == 200 and not Vote.objects.exists()
    good_counts = {"method": "open", "voted_on": day.strftime("%d/%m/%Y"), "participants": 3, "yes": 2, "no": 1,
                   "not_voting": 0}
    # One of three deputies present by the attendance: no quorum, so the vote needs the explicit confirmation.
    no_quorum = staff_client.post(reverse("sessions:vote_record", args=[a.pk]), good_counts)
    assert no_quorum.status_code == 200 and not Vote.objects.exists()
    staff_client.post(
        reverse("sessions:vote_record", args=[a.pk]),
        {**good_counts, "confirm_without_quorum": "on", "quorum_reason": "Đại biểu đến sau khi điểm danh"},
    )
    assert Vote.objects.get().passed and Resolution.objects.get().number == "01/NQ-HĐND"
    # The same quorum rule for an electronic poll: refused without the confirmation, then opened with it.
    poll_url = reverse("sessions:poll_open", args=[b.pk])
    assert staff_client.post(poll_url, {"method": "open"}).status_code == 200 and not Poll.objects.exists()
    staff_client.post(poll_url, {"method": "open", "confirm_without_quorum": "on", "quorum_reason": "Chủ tọa quyết định"})
    poll = Poll.objects.get(agenda_item=b)
    assert poll.opened_without_quorum and poll.quorum_override_reason == "Chủ tọa quyết định"
    refused = staff_client.post(reverse("sessions:session_status", args=[s.pk]), {"action": "close"}, follow=True)
    assert "Mục B" in refused.content.decode()
    staff_client.post(reverse("sessions:poll_close", args=[poll.pk]))
    staff_client.post(reverse("sessions:session_status", args=[s.pk]), {"action": "close"})
    s.refresh_from_db()
    assert s.status == CouncilSession.Status.CLOSED
    draw_minutes(staff_client, s)
    docx = staff_client.get(reverse("sessions:minutes_docx", args=[s.pk]))
    assert b"".join(docx.streaming_content)[:2] == b"PK"


def test_resolution_search_is_accent_insensitive_and_filters_work(staff_client, council):
    resolution_adopt(
        council=council, title="Dự toán ngân sách địa phương", kind=ResolutionKind.REGULAR, adopted_on=date(2025, 12, 9)
    )
    resolution_adopt(
        council=council, title="Quy định mức thu phí", kind=ResolutionKind.NORMATIVE, adopted_on=date(2026, 7, 9)
    )
    url = reverse("sessions:resolution_list")
    assert [r.title for r in staff_client.get(url + "?q=ngan+sach").context["object_list"]] == [
        "Dự toán ngân sách địa phương"
    ]
    assert staff_client.get(url + "?q=01/2026").context["object_list"][0].kind == "normative"
    assert [r.year for r in staff_client.get(url + "?year=2026").context["object_list"]] == [2026]
    assert staff_client.get(url + "?kind=normative").context["paginator"].count == 1


@pytest.mark.parametrize("rows", [10, 60])
def test_list_queries_do_not_grow_with_rows(staff_client, council, term, rows, django_assert_max_num_queries):
    sessions = CouncilSession.objects.bulk_create(
        [
            CouncilSession(
                council=council,
                term=term,
                number=i + 1,
                planned_start=date(2025, 1, 1),
                planned_end=date(2025, 1, 2),
                actual_start=date(2025, 1, 1),
                actual_end=date(2025, 1, 2),
                status=CouncilSession.Status.CLOSED,
            )
            for i in range(rows)
        ]
    )
    item = AgendaItem.objects.create(council=council, session=sessions[0], title="x")
    for i in range(rows):
        resolution_adopt(
            council=council,
            title=f"Nghị quyết {i}",
            kind="regular",
            adopted_on=date(2025, 1, 2),  # a day of the (closed) session
            session=sessions[i % rows],
        )
        SessionDocument.objects.create(
            council=council,
            session=sessions[i],
            kind="other",
            title=f"Tài liệu {i}",
            doc_date=date(2025, 1, 1),
            agenda_item=item,
        )
    Body.objects.filter(council=council)
    for name in ("session_list", "resolution_list", "document_list", "verification_list"):
        with django_assert_max_num_queries(14):
            assert staff_client.get(reverse(f"sessions:{name}") + "?sort=-pk").status_code == 200
    assert CouncilRole.objects.exists() and Poll.objects.count() == 0


def test_attached_files_are_served_after_the_permission_check(staff_client, other_staff_client, council):
    resolution = resolution_adopt(
        council=council, title="NQ", kind="regular", adopted_on=date(2026, 1, 5), signed_file=pdf_file("nq-ky.pdf")
    )
    url = reverse("sessions:signed_file", args=[resolution.pk])
    assert staff_client.get(url).status_code == 200
    assert other_staff_client.get(url).status_code == 404


def test_the_session_list_does_not_look_filtered_by_a_year_it_is_not(staff_client):
    html = staff_client.get("/sessions/").content.decode()
    select = html[html.index('<select name="year"'):]
    select = select[: select.index("</select>")]
    first = select[select.index("<option"):]
    assert first.startswith('<option value="" selected>') or first.startswith('<option value="">'), first[:80]
    assert " selected" not in select.replace('<option value="" selected>', "")


def test_the_session_list_names_each_council_without_joining_it(staff_client, council, commune, term, council_session):
    """The council column of a list page comes from the councils the request read for its
    permissions (PortalListView.council_names): the rows' query does not join core_council."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    commune_term = Term.objects.create(council=commune, numeral="III", start_year=2021, end_year=2026,
                                       start_date=date(2021, 6, 25), is_current=True)
    CouncilSession.objects.create(council=commune, term=commune_term, number=3, kind=CouncilSession.Kind.REGULAR,
                                  planned_start=date(2026, 12, 1), planned_end=date(2026, 12, 1), venue="Nhà văn hoá")
    staff_client.get("/sessions/?below=1")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/sessions/?below=1")
    names = {row[0][0]: row[1][0] for row in response.context["rows"]}
    assert sorted(names.values()) == sorted([council.name, commune.name])
    page = [q["sql"] for q in queries if 'FROM "council_sessions_councilsession"' in q["sql"] and "LIMIT 50" in q["sql"]]
    assert len(page) == 1 and "core_council" not in page[0], page
