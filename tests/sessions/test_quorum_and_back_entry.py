"""Issue #12, sessions: quorum from attendance (two thirds, with an explicit confirmation to record
without it), the regular-sessions-per-year warning, and sessions entered after the fact recorded
as held with their own dates (never today's)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hdnd_portal.core.dashboard import dashboard_cards
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import CouncilRole, Rule
from hdnd_portal.core.scoping import get_access
from sessions.models import AgendaItem, Attendance, CouncilSession, Resolution, ResolutionKind, Vote
from sessions.services import (
    attendance_record,
    resolution_adopt,
    session_close,
    session_open,
    session_quorum,
    session_record_held,
    vote_record,
)
from sessions.services.quorum import quorum_required

API = "/api/sessions"
DAY = date(2026, 12, 8)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def running(council_session):
    return session_open(session=council_session, on=DAY)


def attend(session, deputies, present: int, day=DAY):
    """Record the day's attendance: the first `present` deputies present, the others absent."""
    entries = [(d.pk, "present" if i < present else "absent", "") for i, d in enumerate(deputies)]
    attendance_record(session=session, day=day, entries=entries)


def vote(item, **kwargs):
    values = dict(agenda_item=AgendaItem.objects.get(pk=item.pk), voted_on=DAY, yes=2, no=0, not_voting=0)
    values.update(kwargs)
    return vote_record(**values)


# --- Quorum -------------------------------------------------------------------------------


def test_quorum_is_at_least_two_thirds_of_the_total_from_the_rule(db):
    two_thirds = Rule.objects.filter(code="session.quorum_fraction").order_by("-effective_from").first().value
    assert quorum_required(total=6, fraction=two_thirds) == 4  # exactly two thirds
    assert quorum_required(total=7, fraction=two_thirds) == 5  # 4.67 rounds up
    assert quorum_required(total=30, fraction=two_thirds) == 20
    assert quorum_required(total=0, fraction=two_thirds) == 0


def test_exactly_two_thirds_present_makes_the_quorum_and_one_fewer_does_not(running, seat_deputies):
    deputies = seat_deputies(6)
    attend(running, deputies, present=4)
    quorum = session_quorum(session=running, day=DAY)
    assert (quorum.present, quorum.total, quorum.required, quorum.met) == (4, 6, 4, True)
    assert quorum.rule.code == "session.quorum_fraction" and "2025" in quorum.rule.citation  # the rule in force
    attend(running, deputies, present=3)
    quorum = session_quorum(session=running, day=DAY)
    assert (quorum.present, quorum.required, quorum.met) == (3, 4, False)


def test_no_attendance_recorded_means_no_judgement(running, seat_deputies):
    seat_deputies(6)
    assert session_quorum(session=running, day=DAY) is None


def test_a_vote_at_exactly_two_thirds_is_recorded_without_confirmation(running, agenda_item, seat_deputies):
    attend(running, seat_deputies(6), present=4)
    recorded = vote(agenda_item, yes=4)
    assert (recorded.present_deputies, recorded.quorum_required, recorded.quorum_met) == (4, 4, True)
    assert recorded.quorum_override_reason == ""


def test_a_vote_one_below_two_thirds_needs_confirmation_and_a_reason(running, agenda_item, seat_deputies):
    attend(running, seat_deputies(6), present=3)
    with pytest.raises(DomainError) as refused:
        vote(agenda_item, yes=3)
    assert refused.value.field == "confirm_without_quorum"
    assert "3" in str(refused.value.message) and "Luật Tổ chức chính quyền địa phương 2025" in str(
        refused.value.message
    )
    with pytest.raises(DomainError) as no_reason:
        vote(agenda_item, yes=3, confirm_without_quorum=True, quorum_reason="  ")
    assert no_reason.value.field == "quorum_reason"
    assert not Vote.objects.exists()
    recorded = vote(agenda_item, yes=4, confirm_without_quorum=True, quorum_reason="Đại biểu đến muộn sau điểm danh")
    assert (recorded.present_deputies, recorded.quorum_required, recorded.quorum_met) == (3, 4, False)
    assert recorded.quorum_override_reason == "Đại biểu đến muộn sau điểm danh"
    # The vote passed and adopted its resolution: the adoption does not ask a second time.
    assert Resolution.objects.get().vote == recorded


def test_a_vote_without_attendance_recorded_is_not_blocked(running, agenda_item, seat_deputies):
    seat_deputies(6)
    recorded = vote(agenda_item, yes=4)
    assert recorded.present_deputies is None and recorded.quorum_met is None


def test_a_direct_adoption_at_a_session_without_quorum_needs_confirmation(running, council, seat_deputies):
    attend(running, seat_deputies(6), present=2)
    values = dict(council=council, title="Nghị quyết về biên chế", kind=ResolutionKind.REGULAR, adopted_on=DAY,
                  session=running)
    with pytest.raises(DomainError) as refused:
        resolution_adopt(**values)
    assert refused.value.field == "confirm_without_quorum"
    adopted = resolution_adopt(**values, confirm_without_quorum=True, quorum_reason="Biểu quyết bằng phiếu gửi lại")
    assert adopted.quorum_override_reason == "Biểu quyết bằng phiếu gửi lại"


def test_the_api_enforces_the_quorum_confirmation(running, agenda_item, seat_deputies, api_client):
    attend(running, seat_deputies(6), present=3)
    body = {"agenda_item": agenda_item.pk, "voted_on": "2026-12-08", "yes": 3, "no": 0, "not_voting": 0}
    refused = api_client.post(f"{API}/votes/", body, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "confirm_without_quorum"
    assert refused.json()["extra"] == {"present": 3, "total": 6, "required": 4}
    no_reason = api_client.post(f"{API}/votes/", {**body, "confirm_without_quorum": True}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "quorum_reason"
    done = api_client.post(
        f"{API}/votes/", {**body, "confirm_without_quorum": True, "quorum_reason": "Mất điện phòng họp"}, format="json"
    )
    assert done.status_code == 201, done.content
    data = done.json()
    assert (data["present_deputies"], data["quorum_required"], data["quorum_met"]) == (3, 4, False)
    assert data["quorum_override_reason"] == "Mất điện phòng họp" and "confirm_without_quorum" not in data


def test_the_vote_page_warns_before_and_records_only_with_the_box_ticked(
    running, agenda_item, seat_deputies, staff_client
):
    attend(running, seat_deputies(6), present=3, day=date(2026, 12, 9))  # today, the form's default date
    url = reverse("sessions:vote_record", args=[agenda_item.pk])
    page = staff_client.get(url)
    html = page.content.decode()
    assert 'id="quorum-warning"' in html and "confirm_without_quorum" in html
    form = {"method": "open", "voted_on": "09/12/2026", "participants": 3, "yes": 3, "no": 0, "not_voting": 0}
    refused = staff_client.post(url, form)
    assert refused.status_code == 200 and not Vote.objects.exists()
    staff_client.post(url, {**form, "confirm_without_quorum": "on", "quorum_reason": "Theo ý kiến chủ tọa"})
    assert Vote.objects.get().quorum_override_reason == "Theo ý kiến chủ tọa"


def test_the_session_page_shows_each_days_quorum(running, seat_deputies, staff_client, django_assert_max_num_queries):
    attend(running, seat_deputies(6), present=3)
    with django_assert_max_num_queries(60):
        page = staff_client.get(reverse("sessions:session_detail", args=[running.pk]))
    assert 'data-quorum="not-met"' in page.content.decode()
    attendance = staff_client.get(reverse("sessions:attendance", args=[running.pk]) + "?day=2026-12-08")
    assert 'id="quorum"' in attendance.content.decode()


# --- Regular sessions per year --------------------------------------------------------------


def _session(council, term, number, start, kind=CouncilSession.Kind.REGULAR):
    return CouncilSession.objects.create(
        council=council, term=term, number=number, kind=kind, planned_start=start, planned_end=start
    )


def _warnings(council, access):
    return [c for c in dashboard_cards(council, access) if c.get("year")]


def test_the_dashboard_warns_when_a_year_has_fewer_regular_sessions_than_the_rule(
    council, term, staff_user, django_assert_max_num_queries
):
    year = timezone.localdate().year
    _session(council, term, 1, date(year - 1, 7, 10))
    _session(council, term, 2, date(year - 1, 12, 10))
    _session(council, term, 3, date(year, 7, 10))
    _session(council, term, 4, date(year, 9, 10), kind=CouncilSession.Kind.THEMATIC)
    access = get_access(staff_user)
    with django_assert_max_num_queries(12):
        cards = _warnings(council, access)
    warnings = [c for c in cards if c.get("year") == year]
    assert len(warnings) == 1 and warnings[0]["value"] == "1/2"
    assert "Luật Tổ chức chính quyền địa phương 2025" in str(warnings[0]["label"])
    assert warnings[0]["alert"] and str(year) in str(warnings[0]["label"])
    assert not [c for c in cards if c.get("year") == year - 1]  # two regular sessions: no warning
    _session(council, term, 5, date(year, 12, 28))
    assert not _warnings(council, access)


def test_no_warning_for_years_before_the_councils_first_session_in_the_portal(council, term, staff_user):
    year = timezone.localdate().year
    _session(council, term, 1, date(year, 7, 10))
    _session(council, term, 2, date(year, 12, 10))
    assert not _warnings(council, get_access(staff_user))


# --- Sessions entered after the fact ----------------------------------------------------------


@pytest.fixture
def old_session(council, term):
    return _session(council, term, 3, date(2021, 12, 8))


def test_closing_a_2021_session_through_the_api_never_records_today(old_session, api_client):
    url = f"{API}/sessions/{old_session.pk}/close/"
    refused = api_client.post(url, {}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "actual_end"
    old_session.refresh_from_db()
    assert old_session.status == CouncilSession.Status.PLANNED and old_session.actual_end is None
    done = api_client.post(url, {"actual_end": "2021-12-08"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["actual_start"], done.json()["actual_end"]) == ("2021-12-08", "2021-12-08")
    assert done.json()["status"] == "closed"


def test_a_future_closing_date_is_refused(running):
    with pytest.raises(DomainError) as refused:
        session_close(session=running, on=date(2026, 12, 10))
    assert refused.value.field == "actual_end"


def test_recording_a_past_session_as_held_takes_the_given_dates(old_session):
    held = session_record_held(
        session=old_session, actual_start=date(2021, 12, 8), actual_end=date(2021, 12, 9), expected_version=1
    )
    held.refresh_from_db()
    assert (held.status, held.actual_start, held.actual_end, held.version) == (
        CouncilSession.Status.CLOSED, date(2021, 12, 8), date(2021, 12, 9), 2
    )
    with pytest.raises(DomainError):
        session_record_held(
            session=held, actual_start=date(2021, 12, 8), actual_end=date(2021, 12, 9), expected_version=2
        )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2021, 12, 9), date(2021, 12, 8), "actual_end"),  # end before start
        (date(2026, 12, 9), date(2026, 12, 11), "actual_end"),  # in the future
        (date(2026, 12, 10), date(2026, 12, 10), "actual_start"),  # start in the future
        (date(2019, 12, 8), date(2019, 12, 9), "actual_start"),  # before the council existed
    ],
)
def test_held_dates_are_validated(old_session, council, start, end, field):
    council.established_on = date(2020, 1, 1)
    council.save()
    with pytest.raises(DomainError) as refused:
        session_record_held(session=old_session, actual_start=start, actual_end=end, expected_version=1)
    assert refused.value.field == field
    old_session.refresh_from_db()
    assert old_session.status == CouncilSession.Status.PLANNED


def test_held_dates_must_cover_the_votes_already_recorded(running, agenda_item, seat_deputies):
    seat_deputies(3)
    vote(agenda_item, yes=2)
    with pytest.raises(DomainError) as refused:
        session_record_held(
            session=running, actual_start=date(2026, 12, 9), actual_end=date(2026, 12, 9), expected_version=running.version
        )
    assert refused.value.field == "actual_start"


def test_record_held_through_the_api_needs_the_version_and_the_permission(
    old_session, api_client, make_user, council, other_council
):
    url = f"{API}/sessions/{old_session.pk}/record_held/"
    body = {"actual_start": "2021-12-08", "actual_end": "2021-12-09"}
    missing = api_client.post(url, body, format="json")
    assert missing.status_code == 400
    stale = api_client.post(url, {**body, "version": 7}, format="json")
    assert stale.status_code == 409
    stranger = api_for(make_user("khac", other_council, CouncilRole.Role.STAFF))
    assert stranger.post(url, {**body, "version": 1}, format="json").status_code == 404
    viewer = api_for(make_user("xem", council, CouncilRole.Role.VIEWER))
    assert viewer.post(url, {**body, "version": 1}, format="json").status_code == 403
    bad = api_client.post(url, {**body, "actual_end": "09/12/2021", "version": 1}, format="json")
    assert bad.status_code == 400
    old_session.refresh_from_db()
    assert old_session.status == CouncilSession.Status.PLANNED and old_session.version == 1
    done = api_client.post(url, {**body, "version": 1}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["actual_end"], done.json()["version"]) == ("closed", "2021-12-09", 2)


def test_record_held_page(old_session, staff_client, other_staff_client, viewer_client):
    url = reverse("sessions:session_record_held", args=[old_session.pk])
    assert url in staff_client.get(old_session.get_absolute_url()).content.decode()
    assert staff_client.get(url).status_code == 200
    assert other_staff_client.get(url).status_code == 404
    assert viewer_client.get(url).status_code == 403
    form = {"actual_start": "08/12/2021", "actual_end": "10/12/2021", "_version": 1}
    assert other_staff_client.post(url, form).status_code == 404
    no_version = staff_client.post(url, {"actual_start": "08/12/2021", "actual_end": "10/12/2021"})
    assert no_version.status_code == 200
    response = staff_client.post(url, form)
    assert response.status_code == 302
    old_session.refresh_from_db()
    assert (old_session.status, old_session.actual_end) == (CouncilSession.Status.CLOSED, date(2021, 12, 10))
    stale = staff_client.post(url, form)
    assert stale.status_code == 200


def test_attendance_is_only_counted_for_the_day_judged(running, seat_deputies):
    deputies = seat_deputies(3)
    attend(running, deputies, present=3, day=date(2026, 12, 9))
    assert session_quorum(session=running, day=DAY) is None
    assert Attendance.objects.count() == 3
