"""The session minutes are rendered by a worker (a Celery task queued when the request commits),
not inside the request: the minutes page shows the progress and, once ready, the two downloads."""

import pytest
from django.urls import reverse

from hdnd_portal.core.writes import WriteDenied
from hdnd_portal.notifications.models import OutboxJob
from sessions.models import SessionMinutes
from sessions.services.minutes import minutes_generate, minutes_request

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_staff_draw_up_the_minutes_and_download_both_files(staff_client, council_session, agenda_item, draw_minutes):
    page = draw_minutes(staff_client, council_session).content.decode()
    minutes = SessionMinutes.objects.get(session=council_session)
    assert (minutes.status, minutes.progress, minutes.generation) == ("done", 100, 1)
    assert minutes.pdf.name.endswith(".pdf") and minutes.docx.name.endswith(".docx")
    pdf_url = reverse("sessions:minutes_pdf", args=[council_session.pk])
    assert pdf_url in page and reverse("sessions:minutes_docx", args=[council_session.pk]) in page
    pdf = staff_client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf" and _body(pdf).startswith(b"%PDF")
    assert _body(staff_client.get(reverse("sessions:minutes_docx", args=[council_session.pk])))[:2] == b"PK"
    progress = staff_client.get(reverse("sessions:minutes", args=[council_session.pk]), HTTP_ACCEPT="application/json")
    assert progress.json()["status"] == "done" and progress.json()["downloads"]["pdf"] == pdf_url
    detail = staff_client.get(reverse("sessions:session_detail", args=[council_session.pk])).content.decode()
    assert reverse("sessions:minutes", args=[council_session.pk]) in detail


def test_the_request_only_queues_the_rendering(staff_client, council_session, django_capture_on_commit_callbacks,
                                                monkeypatch):
    import sessions.minutes

    def not_in_the_request(session):
        raise AssertionError("the minutes were rendered inside the request")

    monkeypatch.setattr(sessions.minutes, "minutes_pdf", not_in_the_request)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(reverse("sessions:minutes", args=[council_session.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    minutes = SessionMinutes.objects.get(session=council_session)
    assert (minutes.status, bool(minutes.pdf)) == ("queued", False)
    assert OutboxJob.objects.get().task == "sessions.tasks.generate_minutes"
    # Until the worker has run, the download links lead to the progress page.
    assert staff_client.get(reverse("sessions:minutes_pdf", args=[council_session.pk])).url == reverse(
        "sessions:minutes", args=[council_session.pk])
    progress = staff_client.get(reverse("sessions:minutes", args=[council_session.pk]), HTTP_ACCEPT="application/json")
    assert progress.json() == {"status": "queued", "status_label": "Đang chờ", "progress": 0, "error": "",
                               "downloads": {}}
    # A second click while it waits does not queue it twice.
    with django_capture_on_commit_callbacks(execute=False) as again:
        staff_client.post(reverse("sessions:minutes", args=[council_session.pk]))
    assert len(again) == 0 and SessionMinutes.objects.get().generation == 1


def test_drawing_up_again_replaces_the_files_and_an_older_task_stops(staff_user, council_session, draw_minutes,
                                                                      staff_client, django_capture_on_commit_callbacks):
    draw_minutes(staff_client, council_session)
    first = SessionMinutes.objects.get()
    old_pdf = first.pdf.name
    with django_capture_on_commit_callbacks(execute=False):
        again = minutes_request(session=council_session, by=staff_user)
    assert (again.generation, again.status) == (2, "queued")
    assert minutes_generate(minutes_id=again.pk, generation=1) is None  # the first request's task, delivered late
    done = minutes_generate(minutes_id=again.pk, generation=2)
    assert done.status == "done" and done.pdf.name != old_pdf


def test_a_failed_rendering_is_shown_and_can_be_asked_again(staff_client, council_session, draw_minutes, monkeypatch):
    import sessions.minutes

    def broken(session):
        raise RuntimeError("font missing")

    monkeypatch.setattr(sessions.minutes, "minutes_pdf", broken)
    page = draw_minutes(staff_client, council_session).content.decode()
    minutes = SessionMinutes.objects.get()
    assert minutes.status == "failed" and minutes.error == "RuntimeError: font missing"
    assert "RuntimeError: font missing" in page
    monkeypatch.undo()
    draw_minutes(staff_client, council_session)
    assert SessionMinutes.objects.get().status == "done"


def test_only_those_who_change_sessions_draw_them_up(council_session, viewer_client, deputy_client, deputy_user,
                                                     other_staff_client):
    url = reverse("sessions:minutes", args=[council_session.pk])
    for client in (viewer_client, deputy_client):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert other_staff_client.post(url).status_code == 404
    with pytest.raises(WriteDenied):
        minutes_request(session=council_session, by=deputy_user)
    assert not SessionMinutes.objects.exists()


def test_the_minutes_page_reads_a_few_queries(staff_client, council_session, draw_minutes,
                                              django_assert_max_num_queries):
    draw_minutes(staff_client, council_session)
    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse("sessions:minutes", args=[council_session.pk])).status_code == 200
