"""Commitments (cam kết, lời hứa): one register of every promise an agency made — in
questioning, explanation, oversight, or (through the voters app) in answer to a petition."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd_portal.core.models import PortalModel, SearchableModel
from hdnd_portal.core.search import search_index

from .constraints import check

LONG_TEXT = 10_000


class Commitment(SearchableModel):
    """A promise made by an official of an agency, with a roadmap and a deadline.

    The source (a question's answer, an explanation session, an oversight activity, a voters-app
    petition…) is a generic reference so that any app can be a source without a migration
    dependency on it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("oversight status", "In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
        UNFULFILLED = "unfulfilled", _("Not fulfilled")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="oversight_commitments"
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="oversight_commitments"
    )
    official_name = models.CharField(_("official"), max_length=120)
    official_title = models.CharField(_("official's post"), max_length=200, blank=True)
    text = models.TextField(_("commitment"), max_length=LONG_TEXT)
    made_on = models.DateField(_("made on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    deputies = models.ManyToManyField(
        "core.Deputy", verbose_name=_("made to deputies"), blank=True, related_name="oversight_commitments"
    )
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_fields = ("text", "official_name", "official_title", "agency__name", "agency__short_name")

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-made_on", "-id"]
        indexes = [
            search_index("commitment_search"),
            models.Index(fields=["council", "-made_on"], name="commitment_council_made"),
            models.Index(fields=["council", "status", "deadline"], name="commitment_council_status"),
            models.Index(fields=["agency", "status"], name="commitment_agency_status"),
            models.Index(fields=["source_type", "source_id"], name="commitment_source"),
        ]
        constraints = [
            check(
                condition=Q(percent__lte=100),
                name="commitment_percent_max_100",
                message=_("The percentage must be between 0 and 100."),
                field="percent",
            ),
            check(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("made_on")),
                name="commitment_deadline_after_made",
                message=_("The deadline cannot be before the date the commitment was made."),
                field="deadline",
            ),
            check(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="commitment_source_complete",
                message=_("The source must name both the kind of record and the record."),
                field="source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_name} — {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:commitment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_late(self, today) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today


class CommitmentMilestone(PortalModel):
    """A dated step of the commitment's roadmap (lộ trình)."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d/%m/%Y})"


class CommitmentUpdate(PortalModel):
    """A progress update on a commitment, with the percentage reached and the status after it."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("reported on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=20, choices=Commitment.Status.choices)
    text = models.TextField(_("progress"), max_length=LONG_TEXT)
    document = models.FileField(_("document"), upload_to="oversight/commitments/%Y/", blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["commitment", "-reported_on", "-id"]
        constraints = [
            check(
                condition=Q(percent__lte=100),
                name="commitment_update_percent_max_100",
                message=_("The percentage must be between 0 and 100."),
                field="percent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y} — {self.percent}%"
