"""The reminder scan: points, recipients, catch-up, escalation, holidays, idempotency."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from hdnd_portal.core.deadlines import deadline_complete, deadline_extend
from hdnd_portal.core.models import CouncilRole, Membership
from hdnd_portal.notifications.models import Notification, ReminderLog, ScanRun
from hdnd_portal.notifications.services.plan import Calendar, Plan, current_point

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = Plan(before=(7, 3, 1), repeat=7, long_overdue=30, all_staff=False)


def points(**filters):
    return sorted(ReminderLog.objects.filter(**filters).values_list("point", "recipient__username"))


def test_points_follow_the_calendar_of_a_plain_week():
    cal = Calendar()
    due = date(2026, 3, 18)  # a Wednesday
    assert current_point(PLAN, due, date(2026, 3, 10), cal) is None
    assert current_point(PLAN, due, date(2026, 3, 11), cal) == "before_7"
    assert current_point(PLAN, due, date(2026, 3, 15), cal) == "before_3"
    assert current_point(PLAN, due, date(2026, 3, 17), cal) == "before_1"
    assert current_point(PLAN, due, date(2026, 3, 18), cal) == "due"
    assert current_point(PLAN, due, date(2026, 3, 19), cal) == "overdue"
    assert current_point(PLAN, due, date(2026, 3, 26), cal) == "weekly_overdue_1"
    assert current_point(PLAN, due, date(2026, 4, 2), cal) == "weekly_overdue_2"


def test_a_reminder_reaches_the_responsible_user_the_agency_responder_and_by_mail(scan, make_deadline, people):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    run = scan(date(2026, 3, 15))
    assert points() == [("before_3", "phutrach"), ("before_3", "traloi")]
    notes = Notification.objects.filter(deadline=deadline)
    assert {n.user.username for n in notes} == {"phutrach", "traloi"}
    assert all("3" in n.title and n.kind == Notification.Kind.REMINDER for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == ["responder@example.vn", "responsible@example.vn"]
    assert mail.outbox[0].alternatives and "18/03/2026" in mail.outbox[0].body
    assert ReminderLog.objects.filter(email_status="sent", email_sent_at__isnull=False).count() == 2
    assert (run.reminders, run.emails_queued, run.candidates) == (2, 2, 1)


def test_a_second_scan_the_same_day_sends_nothing(scan, make_deadline, people):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    scan(date(2026, 3, 15))
    again = scan(date(2026, 3, 15))
    assert again.reminders == 0 and Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_day_without_a_scan_is_caught_up_the_next_day(scan, make_deadline, people):
    # Due Friday 27/03/2026: before_7 on Fri 20/03, before_3 on Tue 24/03, before_1 on Thu 26/03.
    make_deadline(date(2026, 3, 27), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 20))
    assert points() == [("before_7", "phutrach")]
    scan(date(2026, 3, 23))
    assert len(points()) == 1
    # 24/03 passes without any scan (worker down): the next day's scan sends the missed reminder.
    scan(date(2026, 3, 25))
    assert points() == [("before_3", "phutrach"), ("before_7", "phutrach")]
    note = Notification.objects.get(reminder__point="before_3")
    assert "2 ngày" in note.title or "2 day" in note.title  # what is true today: two days left


def test_points_passed_while_the_scan_was_down_are_not_sent_stale(scan, make_deadline, people):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 20))
    assert points() == [("overdue", "phutrach")]
    assert Notification.objects.get().kind == Notification.Kind.OVERDUE


def test_without_a_responsible_user_the_council_staff_are_reminded(scan, make_deadline, people, set_rule, council):
    make_deadline(date(2026, 3, 18), responsible_agency=None)
    scan(date(2026, 3, 17))
    assert points() == [("before_1", "chuyenvien2"), ("before_1", "phutrach")]
    # A council that wants every staff member told about every deadline says so with a rule.
    set_rule("reminder.notify_all_staff", 1, council=council, unit="count")
    make_deadline(date(2026, 3, 18), responsible_user=people["staff2"], responsible_agency=None)
    scan(date(2026, 3, 17))
    assert ReminderLog.objects.count() == 4


def test_deputies_following_the_subject_are_reminded(
    scan, make_deadline, make_deputy, make_user, council, committee, monkeypatch
):
    deputy = make_deputy(council, "Lê Văn Cường")
    follower = make_user("daibieu_theo_doi", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    subject = Membership.objects.create(council=council, deputy=deputy, body=committee, start_date=date(2021, 7, 1))
    monkeypatch.setattr(Membership, "reminder_deputy_fields", ("deputy",), raising=False)
    make_deadline(date(2026, 3, 18), subject=subject, responsible_agency=None)
    scan(date(2026, 3, 18))
    assert ("due", follower.username) in points()
    assert ReminderLog.objects.get(recipient=follower).reason == "deputy"


def test_escalation_to_the_leaders_after_the_long_overdue_threshold(scan, make_deadline, people, set_rule, council):
    set_rule("deadline.long_overdue_days", 10, council=council)
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 28))  # 10 days overdue: not past the threshold yet
    assert not ReminderLog.objects.filter(point="escalation").exists()
    run = scan(date(2026, 3, 30))  # 12 days overdue
    assert points(point="escalation") == [("escalation", "lanhdao")]
    assert run.escalations == 1
    note = Notification.objects.get(user=people["leader"])
    assert note.kind == Notification.Kind.ESCALATION
    assert "leader@example.vn" in [m.to[0] for m in mail.outbox]
    scan(date(2026, 4, 6))
    assert ReminderLog.objects.filter(point="escalation").count() == 1  # once, ever


def test_weekly_reminders_while_overdue_and_none_once_done(scan, make_deadline, people):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    for day in range(19, 32):
        scan(date(2026, 3, day))
    assert [p for p, _u in points()] == ["overdue", "weekly_overdue_1"]
    deadline_complete(subject=deadline.subject, kind=deadline.kind)
    scan(date(2026, 4, 2))
    assert ReminderLog.objects.count() == 2


def test_an_extended_deadline_is_reminded_again_for_its_new_date(scan, make_deadline, people):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 17))
    deadline_extend(deadline=deadline, new_due_date=date(2026, 4, 17), legal_basis="Luật Tố cáo 2018, Điều 30")
    scan(date(2026, 3, 20))
    assert [p for p, _u in points()] == ["before_1"]  # nothing overdue any more
    scan(date(2026, 4, 16))
    assert [p for p, _u in points()] == ["before_1", "before_1@20260417"]


def test_only_deadlines_within_the_longest_lead_are_read(scan, make_deadline, people):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    for month in range(5, 10):
        make_deadline(date(2026, month, 10), responsible_user=people["responsible"])
    run = scan(date(2026, 3, 15))
    assert run.candidates == 1 and run.batches == 1


def test_batches_cover_every_deadline(scan, make_deadline, people, monkeypatch):
    from hdnd_portal.notifications.services import scan as scan_module

    monkeypatch.setattr(scan_module, "ANALYZE_AFTER", 5)  # exercise the statistics refresh too
    for day in range(10, 20):
        make_deadline(date(2026, 3, day), responsible_user=people["responsible"], responsible_agency=None)
    run = scan(date(2026, 3, 20), batch_size=3)
    assert run.candidates == 10 and run.batches == 4 and run.reminders == 10


def test_across_tet_and_weekends_reminders_come_on_working_days(scan, make_deadline, people):
    """Tết 2026: Sat 14/02 – Sun 22/02 off. A deadline due Mon 23/02: its warnings fall in the
    holiday, so the warning comes on Fri 13/02, the last working day before it, and nothing
    is sent during the holiday."""
    make_deadline(date(2026, 2, 23), responsible_user=people["responsible"], responsible_agency=None)
    sent = {}
    for offset in range(0, 20):
        day = date(2026, 2, 8) + timedelta(days=offset)
        with time_machine.travel(datetime(day.year, day.month, day.day, 8, 0, tzinfo=TZ), tick=False):
            before = set(ReminderLog.objects.values_list("point", flat=True))
            scan()
            for point in set(ReminderLog.objects.values_list("point", flat=True)) - before:
                sent[point] = day
    # 7, 3 and 1 days before all fall in the holiday: one warning on Fri 13/02 (the nearest point).
    assert sent == {"before_1": date(2026, 2, 13), "due": date(2026, 2, 23), "overdue": date(2026, 2, 24)}
    assert all(d.weekday() < 5 for d in sent.values())


def test_overdue_reminder_falling_on_a_weekend_waits_for_monday(scan, make_deadline, people):
    make_deadline(date(2026, 3, 20), responsible_user=people["responsible"], responsible_agency=None)  # Friday
    with time_machine.travel(datetime(2026, 3, 21, 9, 0, tzinfo=TZ), tick=False):
        scan()
    assert [p for p, _u in points()] == ["due"]
    with time_machine.travel(datetime(2026, 3, 23, 9, 0, tzinfo=TZ), tick=False):
        scan()
    assert [p for p, _u in points()] == ["due", "overdue"]


def test_inactive_users_and_users_without_mail(scan, make_deadline, people):
    people["responder"].is_active = False
    people["responder"].save()
    people["responsible"].email = ""
    people["responsible"].save()
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    scan(date(2026, 3, 18))
    assert points() == [("due", "phutrach")]
    assert ReminderLog.objects.get().email_status == "no_address"
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_the_management_command_runs_one_scan(make_deadline, people, capsys):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    call_command("run_reminder_scan", "--date", "15/03/2026")
    assert "2 reminder(s)" in capsys.readouterr().out
    run = ScanRun.objects.get()
    assert run.trigger == "manual" and run.finished_at and run.duration_ms is not None


def test_reminder_points_have_readable_names():
    from django.utils import translation

    from hdnd_portal.notifications.kinds import point_label

    with translation.override("vi"):
        assert point_label("before_3") == "Trước hạn 3 ngày"
        assert point_label("weekly_overdue_2@20260417") == "Quá hạn, nhắc hằng tuần lần 2 (hạn mới 17/04/2026)"
        assert point_label("escalation") == "Báo cáo lãnh đạo"
