"""In-app notifications, the reminder ledger and the record of each reminder scan.

The ledger (ReminderLog) is what makes reminders idempotent: one row per (deadline, point,
recipient), claimed by INSERT … ON CONFLICT DO NOTHING inside the scan's transaction, so two
scans running at once, or a scan retried after a crash, can never notify the same person twice
for the same point. The same row carries the e-mail delivery state (immediate or digest), so a
mail that fails is retried from the table and never lost."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Council, Deadline


class Notification(models.Model):
    """One message shown to one user in the portal (the bell and the notifications list)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        DUE = "due", _("Due today")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Escalation")
        EXTENSION = "extension", _("Extension")
        INFO = "info", _("Information")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INFO)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notif_user_recent"),
            # The bell's unread count reads only this small partial index.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notif_user_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderLog(models.Model):
    """The claim of one reminder (or extension notice) for one recipient, and its e-mail delivery.

    `point` is the reminder point: before_7, before_3, before_1, due, overdue, weekly_overdue_<n>,
    escalation, or extension_<id>; when the deadline's due date has moved since it was first set,
    the point carries the date it was computed for (e.g. "before_3@20260310") so that the moved
    deadline is reminded again, once."""

    class Reason(models.TextChoices):
        RESPONSIBLE = "responsible", _("Responsible staff member")
        STAFF = "staff", _("Council office staff")
        RESPONDER = "responder", _("Agency responder")
        DEPUTY = "deputy", _("Deputy following the item")
        LEADER = "leader", _("Leader (escalation)")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        NO_ADDRESS = "no_address", _("No e-mail address")
        FAILED = "failed", _("Gave up after repeated failures")

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("One daily digest")

    deadline = models.ForeignKey(Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="+")
    point = models.CharField(_("reminder point"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("why this recipient"), max_length=16, choices=Reason.choices)
    due_date = models.DateField(_("due date reminded"))
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminder",
    )
    sent_at = models.DateTimeField(_("notified at"), default=timezone.now)
    email_mode = models.CharField(_("e-mail mode"), max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)
    email_status = models.CharField(
        _("e-mail status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    retry_at = models.DateTimeField(_("next attempt after"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "point", "recipient"], name="reminder_once_per_point"),
        ]
        indexes = [
            # The sweep that re-queues unsent immediate mails and the digest read only pending rows.
            models.Index(
                fields=["email_mode", "retry_at"], condition=Q(email_status="pending"), name="reminder_pending_mail"
            ),
            models.Index(fields=["recipient", "deadline"], name="reminder_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}/{self.point}/{self.recipient_id}"

    @property
    def point_label(self) -> str:
        from .kinds import point_label

        return point_label(self.point)


class ScanRun(models.Model):
    """One run of the reminder scan: when, how long, what it did (the operations page)."""

    class Trigger(models.TextChoices):
        BEAT = "beat", _("Scheduled")
        MANUAL = "manual", _("By hand")

    today = models.DateField(_("scan date"))
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices, default=Trigger.BEAT)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("deadlines examined"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    reminders = models.PositiveIntegerField(_("reminders created"), default=0)
    escalations = models.PositiveIntegerField(_("escalations"), default=0)
    emails_queued = models.PositiveIntegerField(_("e-mails queued"), default=0)
    emails_requeued = models.PositiveIntegerField(_("e-mails re-queued"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Fingerprint of what the deadlines' cursors were computed from (reminder rules, councils,
    # working-day calendar): a scan whose inputs differ from the last good scan's reads every
    # deadline within reach, as if no cursor existed (services/scan.py).
    # (Defaults in the database too: a server still running the previous release keeps recording
    # its scans while the new one migrates.)
    plan_key = models.CharField(max_length=64, blank=True, editable=False, default="", db_default="")
    full = models.BooleanField(_("every deadline read"), default=True, db_default=True)

    class Meta:
        verbose_name = _("reminder scan")
        verbose_name_plural = _("reminder scans")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at"], name="scanrun_recent")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started_at):%d/%m/%Y %H:%M} ({self.duration_ms} ms)"


class OutboxJob(models.Model):
    """One Celery job, recorded in the same transaction as the change that asks for it, so the work
    survives an unreachable Redis: sent on commit when the broker answers, otherwise left pending
    and sent by the drain (beat every minute, and the worker when it starts). Sending is claimed by
    a compare-and-set update on `status`, so a job is sent once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the queue server")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent to the queue")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued job")
        verbose_name_plural = _("queued jobs")
        ordering = ["id"]
        indexes = [
            # The drain reads only unsent rows.
            models.Index(fields=["id"], condition=~Q(status="sent"), name="outbox_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} ({self.status})"
