"""Issue #12, sessions: an electronic poll is opened under the same quorum rule as a vote typed in
(two thirds of the sitting deputies present, from the day's attendance): refused without it unless
confirmed with a reason, recorded on the poll and carried to the vote the poll's result becomes —
on the page and through the API alike."""

from datetime import date

import pytest
from django.urls import reverse

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Rule
from sessions.models import Choice, Poll, Resolution
from sessions.services import attendance_record, poll_cast, poll_close, poll_open, session_open

API = "/api/sessions"
TODAY = date(2026, 12, 9)  # the suite's "today" (tests/sessions/conftest.py)


@pytest.fixture
def running(council_session):
    return session_open(session=council_session, on=date(2026, 12, 8))


def attend(session, deputies, present: int, day=TODAY):
    entries = [(d.pk, "present" if i < present else "absent", "") for i, d in enumerate(deputies)]
    attendance_record(session=session, day=day, entries=entries)


def test_a_poll_opens_when_the_quorum_is_present_and_keeps_the_figures(running, agenda_item, seat_deputies):
    attend(running, seat_deputies(6), present=4)
    poll = poll_open(agenda_item=agenda_item)
    assert (poll.present_deputies, poll.quorum_total, poll.quorum_required) == (4, 6, 4)
    assert poll.quorum_met is True and not poll.opened_without_quorum and poll.quorum_override_reason == ""


def test_a_poll_without_the_quorum_is_refused_then_opened_with_a_reason(
    running, agenda_item, deputy_users, seat_deputies
):
    pairs = deputy_users(2)
    deputies = [d for _u, d in pairs] + seat_deputies(4)
    attend(running, deputies, present=3)
    with pytest.raises(DomainError) as refused:
        poll_open(agenda_item=agenda_item)
    assert refused.value.field == "confirm_without_quorum"
    assert "3/6" in str(refused.value.message) and "Vẫn mở biểu quyết" in str(refused.value.message)
    assert refused.value.extra == {"present": 3, "total": 6, "required": 4}
    with pytest.raises(DomainError) as no_reason:
        poll_open(agenda_item=agenda_item, confirm_without_quorum=True, quorum_reason="   ")
    assert no_reason.value.field == "quorum_reason"
    assert not Poll.objects.exists()

    poll = poll_open(agenda_item=agenda_item, confirm_without_quorum=True, quorum_reason="Chủ tọa quyết định")
    assert poll.opened_without_quorum and poll.quorum_override_reason == "Chủ tọa quyết định"
    assert (poll.present_deputies, poll.quorum_total, poll.quorum_required) == (3, 6, 4)
    for user, _deputy in pairs:
        poll_cast(poll=poll, user=user, choice=Choice.YES)
    # Closing does not ask again: the vote takes the poll's figures and reason, and its adoption
    # (the item proposes a resolution) does not ask either — here the vote does not pass.
    vote = poll_close(poll=poll)
    assert (vote.present_deputies, vote.quorum_required, vote.quorum_met) == (3, 4, False)
    assert vote.quorum_override_reason == "Chủ tọa quyết định" and vote.is_electronic


def test_a_confirmed_poll_that_passes_adopts_its_resolution_without_asking_again(
    running, agenda_item, deputy_users
):
    pairs = deputy_users(3)
    attend(running, [d for _u, d in pairs], present=1)
    poll = poll_open(agenda_item=agenda_item, confirm_without_quorum=True, quorum_reason="Họp trực tuyến")
    for user, _deputy in pairs:
        poll_cast(poll=poll, user=user, choice=Choice.YES)
    vote = poll_close(poll=poll)
    assert vote.passed and vote.quorum_override_reason == "Họp trực tuyến"
    assert Resolution.objects.get().vote == vote


def test_a_poll_without_attendance_recorded_is_not_blocked(running, agenda_item, seat_deputies):
    seat_deputies(6)
    poll = poll_open(agenda_item=agenda_item)
    assert poll.present_deputies is None and poll.quorum_met is None and not poll.opened_without_quorum
    vote = poll_close(poll=poll)
    assert vote.present_deputies is None and vote.quorum_met is None and vote.quorum_override_reason == ""


def test_a_day_without_a_quorum_rule_in_force_is_not_blocked(running, agenda_item, seat_deputies):
    attend(running, seat_deputies(6), present=1)
    Rule.objects.filter(code="session.quorum_fraction").delete()
    poll = poll_open(agenda_item=agenda_item)
    assert poll.present_deputies is None and poll.quorum_override_reason == ""


def test_the_poll_page_refuses_beside_the_field_and_opens_when_confirmed(
    running, agenda_item, seat_deputies, staff_client, other_staff_client, viewer_client
):
    attend(running, seat_deputies(6), present=3)
    url = reverse("sessions:poll_open", args=[agenda_item.pk])
    form = staff_client.get(url)
    html = form.content.decode()
    assert form.status_code == 200 and 'id="quorum-warning"' in html and 'name="confirm_without_quorum"' in html
    assert other_staff_client.get(url).status_code == 404
    assert viewer_client.get(url).status_code == 403
    assert other_staff_client.post(url, {"method": "open"}).status_code == 404

    # The session page's button posts only the method: the answer is the form with the message.
    refused = staff_client.post(url, {"method": "open"})
    assert refused.status_code == 200 and not Poll.objects.exists()
    errors = refused.context["form"].errors
    assert list(errors) == ["confirm_without_quorum"]
    assert "Vẫn mở biểu quyết" in errors["confirm_without_quorum"][0]  # the message names the box to tick
    html = refused.content.decode()
    checkbox = html.index('name="confirm_without_quorum"')
    message = html.index('class="invalid-feedback d-block"', checkbox)
    assert message < html.index('name="quorum_reason"')  # beside the confirmation, before the reason

    no_reason = staff_client.post(url, {"method": "open", "confirm_without_quorum": "on"})
    assert list(no_reason.context["form"].errors) == ["quorum_reason"] and not Poll.objects.exists()

    opened = staff_client.post(
        url, {"method": "secret", "confirm_without_quorum": "on", "quorum_reason": "Theo ý kiến chủ tọa"}
    )
    poll = Poll.objects.get()
    assert opened.status_code == 302 and opened["Location"] == poll.get_absolute_url()
    assert poll.method == "secret" and poll.quorum_override_reason == "Theo ý kiến chủ tọa"
    page = staff_client.get(poll.get_absolute_url()).content.decode()
    assert 'data-quorum="not-met"' in page and "Theo ý kiến chủ tọa" in page
    assert "3/6 đại biểu có mặt, cần ít nhất 4 đại biểu" in page


def test_the_poll_page_says_the_quorum_when_it_was_met(running, agenda_item, seat_deputies, staff_client):
    attend(running, seat_deputies(6), present=5)
    poll = poll_open(agenda_item=agenda_item)
    page = staff_client.get(poll.get_absolute_url()).content.decode()
    assert 'data-quorum="met"' in page


def test_the_api_refuses_a_poll_without_the_quorum_unless_confirmed(running, agenda_item, seat_deputies, api_client):
    attend(running, seat_deputies(6), present=3)
    body = {"agenda_item": agenda_item.pk, "method": "open"}
    refused = api_client.post(f"{API}/polls/", body, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "confirm_without_quorum"
    assert refused.json()["extra"] == {"present": 3, "total": 6, "required": 4}
    no_reason = api_client.post(f"{API}/polls/", {**body, "confirm_without_quorum": True}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "quorum_reason"
    assert not Poll.objects.exists()
    done = api_client.post(
        f"{API}/polls/", {**body, "confirm_without_quorum": True, "quorum_reason": "Mất điện phòng họp"}, format="json"
    )
    assert done.status_code == 201, done.content
    data = done.json()
    assert (data["present_deputies"], data["quorum_total"], data["quorum_required"], data["quorum_met"]) == (
        3, 6, 4, False
    )
    assert data["quorum_override_reason"] == "Mất điện phòng họp" and "confirm_without_quorum" not in data
    assert Poll.objects.get().quorum_override_reason == "Mất điện phòng họp"


def test_the_api_opens_a_poll_with_the_quorum_without_confirmation(running, agenda_item, seat_deputies, api_client):
    attend(running, seat_deputies(6), present=4)
    done = api_client.post(f"{API}/polls/", {"agenda_item": agenda_item.pk, "method": "open"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["quorum_met"] is True and done.json()["quorum_override_reason"] == ""
