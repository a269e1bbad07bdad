"""E-mail delivery: retries after failure, digest mode, and two scans racing each other."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from hdnd_portal.core.models import User
from hdnd_portal.notifications import tasks
from hdnd_portal.notifications.models import Notification, ReminderLog
from hdnd_portal.notifications.services import reminder_email_send, reminder_scan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class FlakyBackend(locmem.EmailBackend):
    """The mail server refuses the first `failures` sends, then works."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("SMTP server down")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_failed_send_is_retried_later_and_sent_once(scan, make_deadline, people, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.FlakyBackend"
    FlakyBackend.failures = 2
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    start = datetime(2026, 3, 18, 8, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        scan()
    entry = ReminderLog.objects.get()
    # The in-app notification is there even though the mail server is down.
    assert Notification.objects.filter(user=people["responsible"]).count() == 1
    assert (entry.email_status, entry.attempts, mail.outbox) == ("pending", 1, [])
    assert "SMTP server down" in entry.last_error and entry.retry_at == start + timedelta(minutes=5)
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        scan()  # too early: not re-queued
    assert ReminderLog.objects.get().attempts == 1
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        run = scan()  # re-queued, fails again
    assert run.emails_requeued == 1 and ReminderLog.objects.get().attempts == 2 and mail.outbox == []
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        scan()
        scan()
    entry.refresh_from_db()
    assert (entry.email_status, entry.attempts, entry.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["responsible@example.vn"]


@pytest.mark.django_db
def test_a_mail_already_sent_is_not_sent_again(scan, make_deadline, people):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 18))
    entry = ReminderLog.objects.get()
    assert reminder_email_send(log_id=entry.pk) == "skipped"
    tasks.send_reminder_emails([entry.pk, entry.pk])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_digest_mode_sends_one_daily_mail(scan, make_deadline, people, django_capture_on_commit_callbacks):
    user = people["responsible"]
    user.email_mode = User.Digest.DAILY
    user.save()
    make_deadline(date(2026, 3, 18), responsible_user=user, responsible_agency=None, title="Báo cáo giám sát")
    make_deadline(date(2026, 3, 20), responsible_user=user, responsible_agency=None, title="Trả lời chất vấn")
    scan(date(2026, 3, 17))
    assert ReminderLog.objects.filter(email_mode="daily", email_status="pending").count() == 2
    assert Notification.objects.filter(user=user).count() == 2 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["responsible@example.vn"]
    assert "Báo cáo giám sát" in message.body and "Trả lời chất vấn" in message.body
    assert "Báo cáo giám sát" in message.alternatives[0][0]
    assert ReminderLog.objects.filter(email_status="sent").count() == 2
    tasks.send_daily_digests.delay()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_digest_is_retried(scan, make_deadline, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.FlakyBackend"
    FlakyBackend.failures = 1
    user = people["responsible"]
    user.email_mode = User.Digest.DAILY
    user.save()
    make_deadline(date(2026, 3, 18), responsible_user=user, responsible_agency=None)
    start = datetime(2026, 3, 18, 7, 0, tzinfo=TZ)
    # Jobs go through the outbox, sent when the (test's) transaction commits.
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        scan()
        tasks.send_daily_digests()
    assert ReminderLog.objects.get().attempts == 1 and mail.outbox == []
    with time_machine.travel(start + timedelta(minutes=10), tick=False), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert len(mail.outbox) == 1 and ReminderLog.objects.get().email_status == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_reminder_once(make_deadline, people):
    for day in range(1, 29):
        make_deadline(date(2026, 3, day), responsible_user=people["responsible"])  # + the agency's responder
    expected = 28 * 2
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            reminder_scan(date(2026, 3, 28), batch_size=4)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ReminderLog.objects.count() == expected
    assert Notification.objects.count() == expected
    assert len(mail.outbox) == expected
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == expected
    # And a third scan afterwards finds nothing left to do.
    assert reminder_scan(date(2026, 3, 28)).reminders == 0


@pytest.mark.django_db
def test_a_worker_down_does_not_get_the_same_mail_queued_by_every_scan(make_deadline, people):
    from hdnd_portal.notifications.services import pending_retries

    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"], responsible_agency=None)
    start = datetime(2026, 3, 18, 8, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        reminder_scan()  # inside the test transaction: the mail task is never queued ("lost")
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert len(pending_retries()[0]) == 1  # the safety net finds it
        assert pending_retries()[0] == []  # and does not hand it out again straight away
    with time_machine.travel(start + timedelta(minutes=22), tick=False):
        assert len(pending_retries()[0]) == 1


@pytest.mark.django_db
def test_a_title_typed_over_several_lines_still_makes_a_one_line_subject(scan, make_deadline, people):
    # Found by the load test's worker log: "Header values can't contain newlines".
    make_deadline(date(2026, 3, 18), title="Kiến nghị sửa đường\nLê Lợi\r\nxuống cấp",
                  responsible_user=people["responsible"], responsible_agency=None)
    scan(date(2026, 3, 18))
    entry = ReminderLog.objects.get()
    assert entry.email_status == "sent" and len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "Lê Lợi xuống cấp" in mail.outbox[0].subject
