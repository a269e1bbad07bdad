"""The session's generated minutes (biên bản): the PDF and Word files a worker renders, and where
that rendering stands. One row per session; each new request raises `generation`, so a task for an
older request stops instead of overwriting newer files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .session import CouncilSession


class SessionMinutes(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    IN_FLIGHT = (Status.QUEUED, Status.RUNNING)

    session = models.OneToOneField(
        CouncilSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="minutes_file"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    generation = models.PositiveIntegerField(_("generation"), default=1, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="sessions/minutes/%Y/", max_length=255, blank=True)
    docx = models.FileField(_("Word"), upload_to="sessions/minutes/%Y/", max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session minutes")
        verbose_name_plural = _("session minutes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="minutes_progress_max",
                violation_error_message=_("The progress of the minutes cannot exceed 100%."),
            )
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_in_flight(self) -> bool:
        return self.status in self.IN_FLIGHT

    def file_for(self, fmt: str):
        return {"pdf": self.pdf, "docx": self.docx}.get(fmt)
