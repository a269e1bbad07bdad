"""A generated summary report (báo cáo): what was asked for, its number, its editable narrative,
the figures it was built from and the three files (PDF, Excel, Word) a worker produced."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Council, SearchableModel
from hdnd_portal.core.search import search_index


class Report(SearchableModel):
    """One report. While it is queued or running, the same request (council, kind, period,
    include_below) cannot be queued a second time: a partial unique constraint backs the
    compare-and-set in services.report_request, so the second request shows the first one."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual activity report")
        SIX_MONTH = "six_month", _("Six-month report")
        QUARTERLY = "quarterly", _("Quarterly briefing report")
        PETITIONS = "petitions", _("Report on voter-petition resolution")
        OVERSIGHT = "oversight", _("Oversight follow-up report")
        CITIZENS = "citizens", _("Citizen reception and letters statistics")
        CUSTOM = "custom", _("Custom period report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    IN_FLIGHT = (Status.QUEUED, Status.RUNNING)

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    include_below = models.BooleanField(
        _("include the councils below"),
        default=True,
        help_text=_("Adds the totals of the communes and a table per commune"),
    )
    number = models.CharField(_("number"), max_length=40, editable=False)
    number_seq = models.PositiveIntegerField(editable=False)
    issued_on = models.DateField(_("document date"))
    title = models.CharField(_("title"), max_length=300)
    signer_title = models.CharField(_("signer's title"), max_length=60, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One recipient per line (Nơi nhận)"))
    narrative = models.JSONField(_("narrative"), default=list, blank=True)
    narrative_edited = models.BooleanField(_("narrative edited by hand"), default=False)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    generation = models.PositiveIntegerField(
        _("generation"),
        default=1,
        editable=False,
        help_text=_("Raised on each regeneration; a task for an older one stops"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", max_length=255, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to="reports/%Y/", max_length=255, blank=True)
    docx = models.FileField(_("Word"), upload_to="reports/%Y/", max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    figures_seconds = models.FloatField(_("figures time (s)"), null=True, blank=True)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)
    search_fields = ("number", "title", "council__name")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            search_index("report_search"),
            models.Index(fields=["council", "-requested_at"]),
            models.Index(fields=["status", "started_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "kind", "period_start", "period_end", "include_below"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_in_flight",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_in_flight(self) -> bool:
        return self.status in self.IN_FLIGHT

    def file_for(self, fmt: str):
        return {"pdf": self.pdf, "xlsx": self.xlsx, "docx": self.docx}.get(fmt)
