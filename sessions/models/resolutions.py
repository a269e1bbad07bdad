"""Resolutions (nghị quyết) and the votes (biểu quyết) that adopt them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Agency, Council, Field, PortalModel, Rule, SearchableModel
from hdnd_portal.core.search import search_index

from .documents import SessionDocument
from .session import TEXT_LIMIT, AgendaItem, CouncilSession, ResolutionKind, Threshold

COUNTS_ADD_UP = _("The counts do not add up: in favour + against + not voting must equal the deputies taking part.")
WITHIN_TOTAL = _("More deputies take part than the council has.")
NUMBER_USED = _("This resolution number is already used in this year; reload the page and try again.")


class Vote(PortalModel):
    """The result of a vote on an agenda item. The base is the TOTAL number of deputies sitting on
    the day (not those present); `passed` is computed from the threshold rule, never typed."""

    council_dated_fields = ("voted_on",)

    class Method(models.TextChoices):
        OPEN = "open", _("Open vote")
        SECRET = "secret", _("Secret ballot")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.PROTECT, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="votes"
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.OPEN)
    threshold = models.CharField(_("threshold"), max_length=16, choices=Threshold.choices, default=Threshold.MAJORITY)
    voted_on = models.DateField(_("vote date"))
    total_deputies = models.PositiveSmallIntegerField(_("total number of deputies"), editable=False)
    participants = models.PositiveSmallIntegerField(_("deputies taking part"))
    yes = models.PositiveSmallIntegerField(_("in favour"))
    no = models.PositiveSmallIntegerField(_("against"))
    not_voting = models.PositiveSmallIntegerField(_("not voting"))
    required_yes = models.PositiveSmallIntegerField(_("votes in favour required"), editable=False)
    passed = models.BooleanField(_("passed"), editable=False)
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    is_electronic = models.BooleanField(_("electronic vote"), default=False, editable=False)
    # The quorum on the day of the vote, from the attendance recorded (None: attendance not recorded).
    present_deputies = models.PositiveSmallIntegerField(
        _("deputies present (attendance)"), null=True, blank=True, editable=False
    )
    quorum_required = models.PositiveSmallIntegerField(
        _("deputies present required (two thirds)"), null=True, blank=True, editable=False
    )
    quorum_override_reason = models.CharField(
        _("reason for recording without the quorum"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-voted_on", "-pk"]
        indexes = [models.Index(fields=["council", "voted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants=F("yes") + F("no") + F("not_voting")),
                name="vote_counts_add_up",
                violation_error_message=COUNTS_ADD_UP,
            ),
            models.CheckConstraint(
                condition=Q(participants__lte=F("total_deputies")),
                name="vote_within_total",
                violation_error_message=WITHIN_TOTAL,
            ),
        ]

    def clean(self) -> None:
        # The rule of the check constraint, reported beside the field on the vote form.
        counts = (self.participants, self.yes, self.no, self.not_voting)
        if None not in counts and self.participants != self.yes + self.no + self.not_voting:
            raise ValidationError({"participants": COUNTS_ADD_UP})

    def get_absolute_url(self) -> str:
        return reverse("sessions:session_detail", args=[self.session_id]) + f"#item-{self.agenda_item_id}"

    def __str__(self) -> str:
        return f"{self.agenda_item} — {self.yes}/{self.total_deputies}"

    @property
    def absent(self) -> int:
        return self.total_deputies - self.participants

    @property
    def quorum_met(self) -> bool | None:
        if self.present_deputies is None or self.quorum_required is None:
            return None
        return self.present_deputies >= self.quorum_required

    def percent(self, value: int) -> float:
        return round(100 * value / self.total_deputies, 2) if self.total_deputies else 0.0


class Resolution(SearchableModel):
    """A resolution (nghị quyết) with its number in the council's series for its year."""

    council_dated_fields = ("adopted_on",)

    Kind = ResolutionKind

    class Implementation(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("Being implemented")
        DONE = "done", _("Implemented")
        REPLACED = "replaced", _("Replaced or repealed")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="resolutions"
    )
    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    draft = models.ForeignKey(
        SessionDocument, verbose_name=_("draft"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vote = models.OneToOneField(
        Vote, verbose_name=_("vote"), null=True, blank=True, on_delete=models.PROTECT, related_name="resolution"
    )
    number = models.CharField(_("number"), max_length=40, editable=False)
    number_seq = models.PositiveIntegerField(editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    is_normative = models.BooleanField(_("legal-normative"), default=False, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ResolutionKind.choices, default=ResolutionKind.REGULAR)
    title = models.CharField(_("title"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField(_("adoption date"))
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    signed_file = models.FileField(_("signed file"), upload_to="sessions/resolutions/%Y/", max_length=255, blank=True)
    responsible_agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implementation_status = models.CharField(
        _("implementation"), max_length=16, choices=Implementation.choices, default=Implementation.NOT_STARTED
    )
    implementation_note = models.TextField(_("implementation follow-up"), blank=True, max_length=TEXT_LIMIT)
    is_published = models.BooleanField(_("published"), default=False)
    quorum_override_reason = models.CharField(
        _("reason for adopting without the quorum"), max_length=500, blank=True, editable=False
    )
    search_fields = ("number", "title")

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-adopted_on", "-number_seq"]
        indexes = [
            search_index("resolution_search"),
            models.Index(fields=["council", "-adopted_on"]),
            # The list across a province and its communes: newest first without sorting every row.
            models.Index(fields=["-adopted_on", "-number_seq", "-id"], name="resolution_recent"),
            models.Index(fields=["council", "year", "kind"]),
        ]
        constraints = [
            # A number is never reused: one sequence number per council, series and year.
            models.UniqueConstraint(
                fields=["council", "year", "is_normative", "number_seq"],
                name="resolution_unique_seq",
                violation_error_message=NUMBER_USED,
            ),
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="resolution_unique_number", violation_error_message=NUMBER_USED
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sessions:resolution_detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"
