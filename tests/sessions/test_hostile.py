"""The sessions app as a hostile user would try it: another council's staff, a council
administrator who links their own account to a deputy, a viewer watching a secret ballot, and
malformed or oversized input. Each test states the exact answer and that nothing was saved."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Body, CouncilRole, Term
from sessions.models import (
    AgendaItem,
    Choice,
    CouncilSession,
    DocumentVersion,
    IssueGroup,
    Poll,
    PollBallot,
    PollCounter,
    PollEntitlement,
    PollParticipation,
    Resolution,
    SessionDocument,
    Verification,
    Vote,
)
from sessions.services import (
    document_create,
    poll_cast,
    poll_close,
    poll_open,
    resolution_adopt,
    session_open,
    verification_assign,
)

from .conftest import pdf_file

API = "/api/sessions"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def html_file(name="x.html"):
    return SimpleUploadedFile(name, HTML, content_type="text/html")


def exe_as_pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


@pytest.fixture
def running(council_session):
    return session_open(session=council_session, on=date(2026, 12, 8))


# --- Secret ballot -----------------------------------------------------------------------------


def test_a_secret_poll_shows_only_how_many_voted_until_it_closes_on_pages_and_api(
    running, agenda_item, deputy_users, api_client, viewer_client, make_user, council, client_for
):
    pairs = deputy_users(3)
    viewer_api = api_for(make_user("xem-api", council, CouncilRole.Role.VIEWER))
    poll = poll_open(agenda_item=agenda_item, method=Vote.Method.SECRET)
    cast = api_for(pairs[0][0]).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "yes"}, format="json")
    assert cast.status_code == 201 and cast.json()["tally"]["yes"] is None
    page_cast = client_for(pairs[1][0]).post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "no"})
    assert page_cast.status_code == 302

    def hidden(data, voted=2):
        return data["voted"] == voted and (data["yes"], data["no"], data["not_voting"]) == (None, None, None)

    for client in (viewer_api, api_client):
        assert hidden(client.get(f"{API}/polls/{poll.pk}/tally/").json())
        one = client.get(f"{API}/polls/{poll.pk}/").json()
        assert one["voted_count"] == 2 and one["counts_hidden"] is True
        assert (one["yes_count"], one["no_count"], one["not_voting_count"]) == (None, None, None)
        listed = client.get(f"{API}/polls/").json()["results"][0]
        assert listed["yes_count"] is None and listed["voted_count"] == 2
    assert hidden(viewer_client.get(reverse("sessions:poll_tally", args=[poll.pk])).json())
    page = viewer_client.get(reverse("sessions:poll_detail", args=[poll.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-k="yes"' not in html and 'id="counts-hidden"' in html
    assert page.context["tally"]["yes"] is None

    poll_close(poll=poll)
    for client in (viewer_api, api_client):
        tally = client.get(f"{API}/polls/{poll.pk}/tally/").json()
        assert (tally["voted"], tally["yes"], tally["no"], tally["not_voting"]) == (2, 1, 1, 0)
        assert client.get(f"{API}/polls/{poll.pk}/").json()["yes_count"] == 1
    assert viewer_client.get(reverse("sessions:poll_tally", args=[poll.pk])).json()["no"] == 1
    html = viewer_client.get(reverse("sessions:poll_detail", args=[poll.pk])).content.decode()
    assert 'data-k="yes">1<' in html and 'id="counts-hidden"' not in html


def test_a_secret_ballot_stores_no_time_and_no_choice_per_deputy(running, agenda_item, deputy_users):
    pairs = deputy_users(3)
    poll = poll_open(agenda_item=agenda_item, method=Vote.Method.SECRET)
    poll_cast(poll=poll, user=pairs[0][0], choice=Choice.YES)
    poll_cast(poll=poll, user=pairs[1][0], choice=Choice.NO)
    # Who voted is known, with no time (the poll's opened/closed times bound it) and no choice.
    assert list(PollParticipation.objects.filter(poll=poll).values_list("voted_at", flat=True)) == [None, None]
    assert not PollBallot.objects.filter(poll=poll).exists()
    # The running counts live in a table without timestamps and without history.
    assert {f.name for f in PollCounter._meta.concrete_fields} == {"poll", "yes", "no", "not_voting"}
    for model in (PollCounter, PollParticipation, PollBallot, PollEntitlement):
        assert not hasattr(model, "history"), model
    # The poll's own history table holds no counts, and no row was written per vote.
    history_fields = {f.name for f in Poll.history.model._meta.fields}
    assert not history_fields & {"yes_count", "no_count", "not_voting_count", "yes", "no", "not_voting"}
    assert poll.history.count() == 1
    poll_close(poll=poll)
    assert poll.history.count() == 1
    assert list(PollParticipation.objects.filter(poll=poll).values_list("voted_at", flat=True)) == [None, None]


def test_the_voters_are_frozen_when_the_poll_opens(
    running, agenda_item, deputy_users, make_user, make_deputy, council, term, client_for
):
    deputy_users(2)
    poll = poll_open(agenda_item=agenda_item)
    assert poll.entitled_count == 2 and PollEntitlement.objects.filter(poll=poll).count() == 2
    newcomer = make_deputy(council, "Đại biểu mới", term=term)
    user = make_user("moi", council, CouncilRole.Role.DEPUTY, deputy=newcomer)
    refused = api_for(user).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "yes"}, format="json")
    assert refused.status_code == 403 and refused.json()["message"]
    assert client_for(user).post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "yes"}).status_code == 403
    assert not PollParticipation.objects.filter(poll=poll).exists()
    assert PollCounter.objects.get(poll=poll).voted == 0
    vote = poll_close(poll=poll)
    assert vote.total_deputies == 2 and PollEntitlement.objects.filter(poll=poll).count() == 2


def test_an_administrator_linked_to_another_councils_deputy_cannot_vote(
    running, agenda_item, deputy_users, make_user, make_deputy, council, other_council, client_for
):
    deputy_users(2)
    foreign = make_deputy(other_council, "Đại biểu tỉnh khác")
    admin = make_user("quantri-x", council, CouncilRole.Role.ADMIN)
    # The old hole: the serializer skipped clean(), so such a link could be stored.
    CouncilRole.objects.create(user=admin, council=council, role=CouncilRole.Role.DEPUTY, deputy=foreign)
    poll = poll_open(agenda_item=agenda_item)
    assert api_for(admin).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "yes"}, format="json").status_code == 403
    assert client_for(admin).post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "yes"}).status_code == 403
    assert not PollParticipation.objects.filter(poll=poll).exists()
    assert PollCounter.objects.get(poll=poll).voted == 0


def test_a_deputy_link_the_voter_made_themself_does_not_vote(
    running, agenda_item, deputy_users, make_user, make_deputy, council, term, client_for
):
    (deputy_user, _d), _ = deputy_users(2)
    absent = make_deputy(council, "Đại biểu chưa có tài khoản", term=term)
    poll = poll_open(agenda_item=agenda_item)
    assert PollEntitlement.objects.filter(poll=poll, deputy=absent).exists()
    admin = make_user("quantri-y", council, CouncilRole.Role.ADMIN)
    role = CouncilRole(user=admin, council=council, role=CouncilRole.Role.DEPUTY, deputy=absent)
    role._history_user = admin  # written by the admin themself (as the old role page allowed)
    role.save()
    assert api_for(admin).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "yes"}, format="json").status_code == 403
    assert client_for(admin).post(reverse("sessions:poll_cast", args=[poll.pk]), {"choice": "yes"}).status_code == 403
    with pytest.raises(DomainError):
        poll_cast(poll=poll, user=admin, choice=Choice.YES)
    assert not PollParticipation.objects.filter(poll=poll).exists()
    # The deputy's own account still votes.
    assert api_for(deputy_user).post(f"{API}/polls/{poll.pk}/cast/", {"choice": "no"}, format="json").status_code == 201
    assert PollCounter.objects.get(poll=poll).no == 1


# --- Reorder -----------------------------------------------------------------------------------


def test_reorder_refuses_malformed_or_foreign_ids_with_400(
    api_client, staff_client, council_session, other_session, council, term
):
    a, b = (
        AgendaItem.objects.create(council=council, session=council_session, position=i, title=t)
        for i, t in ((1, "A"), (2, "B"))
    )
    sibling = CouncilSession.objects.create(
        council=council, term=term, number=13, planned_start=date(2026, 12, 20), planned_end=date(2026, 12, 21)
    )
    other_item = AgendaItem.objects.create(council=council, session=sibling, title="Of another session")
    foreign = AgendaItem.objects.create(council=other_session.council, session=other_session, title="Foreign")
    url = f"{API}/sessions/{council_session.pk}/reorder/"
    for body in (
        {"order": ["a"]},
        {"order": "a,b"},
        {"order": [True, False]},
        {"order": [[a.pk], [b.pk]]},
        {"order": [{"id": a.pk}]},
        {"order": [a.pk]},
        {"order": [a.pk, b.pk, b.pk]},
        {"order": [b.pk, other_item.pk]},
        {"order": [b.pk, a.pk, foreign.pk]},
        {"order": [b.pk, 99_999_999_999_999]},
        {"order": []},
        {"order": None},
        {},
    ):
        response = api_client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["message"], body
    assert api_client.post(url, [b.pk, a.pk], format="json").status_code == 400
    page = staff_client.post(reverse("sessions:agenda_reorder", args=[council_session.pk]), {"order": "a"})
    assert page.status_code == 302
    assert list(AgendaItem.objects.filter(session=council_session).order_by("position")) == [a, b]
    ok = api_client.post(url, {"order": [b.pk, a.pk]}, format="json")
    assert ok.status_code == 200 and [i["title"] for i in ok.json()] == ["B", "A"]


# --- Constraint messages -----------------------------------------------------------------------


def test_constraint_rules_read_in_vietnamese_beside_the_field_on_the_page(staff_client, term, agenda_item, seat_deputies):
    seat_deputies(5)
    session_page = staff_client.post(
        reverse("sessions:session_create"),
        {"term": term.pk, "number": 30, "kind": "regular", "planned_start": "10/12/2026", "planned_end": "08/12/2026"},
    )
    assert session_page.status_code == 200
    form = session_page.context["form"]
    assert form.errors["planned_end"] == ["Ngày bế mạc không thể trước ngày khai mạc."]
    assert not form.non_field_errors()
    vote_page = staff_client.post(
        reverse("sessions:vote_record", args=[agenda_item.pk]),
        {"method": "open", "voted_on": "09/12/2026", "participants": 5, "yes": 3, "no": 1, "not_voting": 0},
    )
    assert vote_page.status_code == 200
    vote_form = vote_page.context["form"]
    assert vote_form.errors["participants"] == [
        "Số phiếu không khớp: tán thành + không tán thành + không biểu quyết phải bằng số đại biểu tham gia."
    ]
    for page in (session_page, vote_page):
        text = page.content.decode()
        assert "is violated" not in text and "vote_counts_add_up" not in text and "session_planned_ordered" not in text
    assert CouncilSession.objects.filter(number=30).count() == 0 and not Vote.objects.exists()


def test_every_constraint_of_the_app_has_a_message():
    from django.apps import apps

    for model in apps.get_app_config("council_sessions").get_models():
        for constraint in model._meta.constraints:
            assert constraint.violation_error_message != constraint.default_violation_error_message, constraint.name


# --- Versions, councils and relations through the API ------------------------------------------


@pytest.fixture
def resources(council_session, agenda_item, committee):
    group = IssueGroup.objects.create(council=council_session.council, session=council_session, title="Nhóm")
    document = document_create(
        session=council_session, kind="submission", title="Tờ trình", doc_date=date(2026, 11, 20), file=pdf_file()
    )
    verification = verification_assign(submission=document, committee=committee, assigned_on=date(2026, 11, 21))
    resolution = resolution_adopt(council=council_session.council, title="NQ", kind="regular", adopted_on=date(2026, 1, 5))
    return {
        "sessions": (CouncilSession, council_session.pk, "title"),
        "issue-groups": (IssueGroup, group.pk, "title"),
        "agenda-items": (AgendaItem, agenda_item.pk, "title"),
        "documents": (SessionDocument, document.pk, "title"),
        "verifications": (Verification, verification.pk, "conclusion"),
        "resolutions": (Resolution, resolution.pk, "title"),
    }


def test_api_updates_need_the_current_version(api_client, resources):
    for name, (model, pk, field) in resources.items():
        url = f"{API}/{name}/{pk}/"
        before = model.objects.get(pk=pk)
        original = getattr(before, field)
        for body in ({field: "Đổi"}, {field: "Đổi", "version": "abc"}, {field: "Đổi", "version": ""},
                     {field: "Đổi", "version": [before.version]}, {field: "Đổi", "version": True}, {}):
            response = api_client.patch(url, body, format="json")
            assert response.status_code == 400, (name, body, response.content)
            assert response.json()["field"] == "version", (name, body)
        saved = api_client.patch(url, {field: "Lần một", "version": before.version}, format="json")
        assert saved.status_code == 200, (name, saved.content)
        assert saved.json()["version"] == before.version + 1
        stale = api_client.patch(url, {field: "Lần hai", "version": before.version}, format="json")
        assert stale.status_code == 409, name
        after = model.objects.get(pk=pk)
        assert getattr(after, field) == "Lần một" and after.version == before.version + 1, name
        assert original != "Lần một"


def test_a_record_cannot_move_to_another_council_or_session(
    api_client, resources, other_council, other_session, council_session, term
):
    for name in ("sessions", "resolutions"):
        model, pk, _field = resources[name]
        version = model.objects.get(pk=pk).version
        moved = api_client.patch(f"{API}/{name}/{pk}/", {"council": other_council.pk, "version": version}, format="json")
        assert moved.status_code == 400, (name, moved.content)
        row = model.objects.get(pk=pk)
        assert row.council_id == council_session.council_id and row.version == version
    sibling = CouncilSession.objects.create(
        council=council_session.council, term=term, number=40, planned_start=date(2027, 1, 5),
        planned_end=date(2027, 1, 6),
    )
    for name in ("agenda-items", "issue-groups", "documents"):
        model, pk, _field = resources[name]
        version = model.objects.get(pk=pk).version
        for target in (other_session.pk, sibling.pk):
            moved = api_client.patch(f"{API}/{name}/{pk}/", {"session": target, "version": version}, format="json")
            assert moved.status_code == 400, (name, target, moved.content)
        row = model.objects.get(pk=pk)
        assert row.session_id == council_session.pk and row.version == version


def test_relations_into_another_council_are_refused(
    api_client, council_session, agenda_item, other_session, other_council, resources
):
    other_agency = Agency.objects.create(council=other_council, name="Sở khác")
    other_term = Term.objects.get(council=other_council)
    other_committee = Body.objects.create(council=other_council, term=other_term, kind=Body.Kind.COMMITTEE, name="Ban khác")
    foreign_item = AgendaItem.objects.create(council=other_council, session=other_session, title="Nội dung tỉnh khác")
    counts = (AgendaItem.objects.count(), Vote.objects.count(), Poll.objects.count(), Verification.objects.count(),
              Resolution.objects.count())
    attempts = [
        ("agenda-items", {"session": other_session.pk, "title": "x"}),
        ("agenda-items", {"session": council_session.pk, "title": "x", "presenter_agency": other_agency.pk}),
        ("votes", {"agenda_item": foreign_item.pk, "voted_on": "2026-12-09", "yes": 1, "no": 0, "not_voting": 0}),
        ("polls", {"agenda_item": foreign_item.pk, "method": "open"}),
        ("verifications", {"submission": resources["documents"][1], "committee": other_committee.pk}),
        ("resolutions", {"council": council_session.council_id, "session": other_session.pk, "title": "x",
                         "kind": "regular", "adopted_on": "2026-12-09"}),
        ("resolutions", {"council": other_council.pk, "title": "x", "kind": "regular", "adopted_on": "2026-12-09"}),
    ]
    for name, body in attempts:
        response = api_client.post(f"{API}/{name}/", body, format="json")
        assert response.status_code == 400, (name, body, response.content)
    assert counts == (AgendaItem.objects.count(), Vote.objects.count(), Poll.objects.count(),
                      Verification.objects.count(), Resolution.objects.count())


def test_a_documents_agenda_item_must_be_of_its_session_through_the_api_too(api_client, resources, council, term):
    sibling = CouncilSession.objects.create(
        council=council, term=term, number=41, planned_start=date(2027, 2, 5), planned_end=date(2027, 2, 6)
    )
    elsewhere = AgendaItem.objects.create(council=council, session=sibling, title="Nội dung kỳ họp khác")
    pk = resources["documents"][1]
    version = SessionDocument.objects.get(pk=pk).version
    response = api_client.patch(f"{API}/documents/{pk}/", {"agenda_item": elsewhere.pk, "version": version}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "agenda_item"
    assert SessionDocument.objects.get(pk=pk).agenda_item_id is None


def test_malformed_ids_and_bodies_answer_400(api_client, council_session, deputy_users, running, agenda_item):
    voter = deputy_users(2)[0][0]
    for body in ({"session": "abc", "title": "x"}, {"session": [council_session.pk], "title": "x"},
                 {"session": 99_999_999_999, "title": "x"}, {"session": {"id": 1}, "title": "x"}):
        assert api_client.post(f"{API}/agenda-items/", body, format="json").status_code == 400, body
    assert api_client.get(f"{API}/agenda-items/?session=abc").status_code == 400
    assert api_client.get(f"{API}/sessions/abc/").status_code == 404
    url = f"{API}/sessions/{council_session.pk}/attendance/"
    for body in ({"day": "2026-12-08", "entries": "x"}, {"day": "x", "entries": []},
                 {"day": "2026-12-08", "entries": [{"deputy": "x"}]}, {"day": "2026-12-08", "entries": [{"deputy": True}]},
                 {"day": "2026-12-08", "entries": [{"deputy": 1, "status": ["present"]}]}, {"day": "2026-12-08", "entries": [1]}):
        assert api_client.post(url, body, format="json").status_code == 400, body
    assert api_client.post(url, [1, 2], format="json").status_code == 400
    poll = poll_open(agenda_item=agenda_item)
    for body in ({"choice": ["yes"]}, {"choice": "maybe"}, {}):
        assert api_for(voter).post(f"{API}/polls/{poll.pk}/cast/", body, format="json").status_code == 400, body
    assert api_for(voter).post(f"{API}/polls/{poll.pk}/cast/", ["yes"], format="json").status_code == 400
    assert not PollParticipation.objects.filter(poll=poll).exists()
    for body in ({"agenda_item": agenda_item.pk, "voted_on": "2026-12-09", "yes": "x", "no": 0, "not_voting": 0},
                 {"agenda_item": agenda_item.pk, "voted_on": "2026-12-09", "yes": -1, "no": 0, "not_voting": 0},
                 {"agenda_item": agenda_item.pk, "voted_on": "2026-12-09", "yes": 99999, "no": 0, "not_voting": 0}):
        assert api_client.post(f"{API}/votes/", body, format="json").status_code == 400, body
    assert not Vote.objects.exists()


def test_over_long_text_is_refused(api_client, staff_client, council, term, council_session):
    too_long = api_client.post(
        f"{API}/sessions/",
        {"council": council.pk, "term": term.pk, "number": 50, "planned_start": "2027-03-01",
         "planned_end": "2027-03-02", "notice_text": "x" * 10_001},
        format="json",
    )
    assert too_long.status_code == 400 and "notice_text" in too_long.json()
    title = api_client.post(f"{API}/agenda-items/", {"session": council_session.pk, "title": "x" * 501}, format="json")
    assert title.status_code == 400 and "title" in title.json()
    page = staff_client.post(
        reverse("sessions:item_create", args=[council_session.pk]),
        {"title": "Mục", "description": "x" * 10_001, "threshold": "majority", "resolution_kind": "regular"},
    )
    assert page.status_code == 200 and "description" in page.context["form"].errors
    assert not CouncilSession.objects.filter(number=50).exists() and not AgendaItem.objects.exists()


# --- Files -------------------------------------------------------------------------------------


def test_html_and_disguised_uploads_are_refused_through_the_api_and_the_pages(api_client, staff_client, resources,
                                                                               council_session):
    document_count, version_count = SessionDocument.objects.count(), DocumentVersion.objects.count()
    for bad in (html_file(), exe_as_pdf()):
        response = api_client.post(
            f"{API}/documents/",
            {"session": council_session.pk, "kind": "report", "title": "x", "doc_date": "2026-11-20", "file": bad},
            format="multipart",
        )
        assert response.status_code == 400 and "file" in response.json(), response.content
    pk = resources["documents"][1]
    for bad in (html_file(), exe_as_pdf()):
        assert api_client.post(f"{API}/documents/{pk}/version/", {"file": bad}, format="multipart").status_code == 400
    assert api_client.post(f"{API}/documents/{pk}/version/", {"file": "abc"}, format="json").status_code == 400
    page = staff_client.post(
        reverse("sessions:document_create", args=[council_session.pk]),
        {"kind": "report", "title": "x", "issuer": "UBND", "doc_date": "20/11/2026", "visibility": "public_after",
         "file": html_file()},
    )
    assert page.status_code == 200 and "file" in page.context["form"].errors
    version_page = staff_client.post(reverse("sessions:document_version", args=[pk]), {"file": exe_as_pdf()})
    assert version_page.status_code == 200 and "file" in version_page.context["form"].errors
    resolution_page = staff_client.post(
        reverse("sessions:resolution_create"),
        {"kind": "regular", "title": "NQ", "adopted_on": "05/01/2026", "implementation_status": "not_started",
         "signed_file": html_file("nq.html")},
    )
    assert resolution_page.status_code == 200 and "signed_file" in resolution_page.context["form"].errors
    assert SessionDocument.objects.count() == document_count and DocumentVersion.objects.count() == version_count
    assert SessionDocument.objects.get(pk=pk).current_version == 1 and Resolution.objects.count() == 1


def test_stored_files_are_served_only_by_checked_views_with_safe_headers(
    staff_client, other_staff_client, council_session, resources
):
    council_session.notice_file.save("thong-bao.pdf", ContentFile(b"%PDF-1.4 notice"), save=False)
    CouncilSession.objects.filter(pk=council_session.pk).update(notice_file=council_session.notice_file.name)
    resolution = Resolution.objects.get(pk=resources["resolutions"][1])
    resolution.signed_file.save("nq.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    Resolution.objects.filter(pk=resolution.pk).update(signed_file=resolution.signed_file.name)
    document_pk = resources["documents"][1]
    urls = {
        reverse("sessions:notice_file", args=[council_session.pk]): "attachment",
        reverse("sessions:signed_file", args=[resolution.pk]): "attachment",
        reverse("sessions:document_download", args=[document_pk]): "inline",
    }
    for url, disposition in urls.items():
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith(disposition), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Content-Type"] == "application/pdf"
        assert other_staff_client.get(url).status_code == 404, url
    for bad in ("abc", "²", "99999999999", "7"):
        assert staff_client.get(reverse("sessions:document_download", args=[document_pk]) + f"?v={bad}").status_code == 404
    templates = Path(__file__).resolve().parents[2] / "templates" / "sessions"
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert ".url }}" not in text and ".url}}" not in text, template
