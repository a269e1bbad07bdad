"""Work programmes and plans (chương trình, kế hoạch công tác), coordination programmes
(chương trình phối hợp công tác) and briefings (giao ban) of a council's standing committee.

A programme's task is carried out by records elsewhere in the portal (a session, an oversight
activity, a voter meeting, a report): where it links some, its progress follows from them
(see programmes.progress); otherwise the office enters it by hand."""

from datetime import date, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd_portal.core.models import SearchableModel
from hdnd_portal.core.search import search_index


class Programme(SearchableModel):
    """A programme or plan of the standing committee or of one of the council's bodies."""

    class Kind(models.TextChoices):
        TERM = "term", _("Whole-term programme")
        YEAR = "year", _("Annual work programme")
        SIX_MONTH = "six_month", _("Six-month plan")
        QUARTER = "quarter", _("Quarterly plan")
        COORDINATION = "coordination", _("Coordination programme")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="work_programmes"
    )
    body = models.ForeignKey(
        "core.Body", verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="work_programmes", help_text=_("The standing committee or the committee whose programme it is"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.YEAR)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("For a whole-term programme: its first year"))
    part = models.PositiveSmallIntegerField(
        _("quarter or half"), null=True, blank=True, help_text=_("1–4 for a quarterly plan, 1–2 for a six-month plan")
    )
    period_start = models.DateField(_("period start"), editable=False)
    period_end = models.DateField(_("period end"), editable=False)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("aims and requirements"), max_length=10000, blank=True)
    partner_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("partner agencies"), blank=True, related_name="+",
        help_text=_("For a coordination programme: the People's Committee and the Fatherland Front committee"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    document_number = models.CharField(_("document number"), max_length=60, blank=True,
                                       help_text=_("e.g. 05/CTr-HĐND or 12/KH-TTHĐND"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=60, blank=True, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    is_published = models.BooleanField(_("published"), default=False,
                                       help_text=_("Published programmes are visible to deputies and viewers"))
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    search_fields = ("title", "document_number", "body__name")

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["council", "-year", "kind", "part"]
        indexes = [
            search_index("programme_search"),
            models.Index(fields=["council", "-year", "kind"], name="programme_council_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(document_number="") & Q(adopted_on__isnull=False)),
                name="programme_adopted_has_document",
                violation_error_message=_("An adopted programme needs its document number and date."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="programme_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="quarter", part__gte=1, part__lte=4) | Q(kind="six_month", part__gte=1, part__lte=2)
                           | (~Q(kind__in=["quarter", "six_month"]) & Q(part__isnull=True))),
                name="programme_part_fits_kind",
                violation_error_message=_("Give the quarter (1–4) of a quarterly plan or the half (1–2) of a "
                                          "six-month plan, and neither for other programmes."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_coordination(self) -> bool:
        return self.kind == self.Kind.COORDINATION


def period_of(kind: str, year: int, part: int | None, term_end_year: int | None = None) -> tuple[date, date]:
    """The dates a programme covers, from its kind, year and quarter/half."""
    if kind == Programme.Kind.QUARTER and part:
        start = date(year, 3 * (part - 1) + 1, 1)
        end = date(year, 12, 31) if part == 4 else date(year, 3 * part + 1, 1) - timedelta(days=1)
        return start, end
    if kind == Programme.Kind.SIX_MONTH and part:
        return (date(year, 1, 1), date(year, 6, 30)) if part == 1 else (date(year, 7, 1), date(year, 12, 31))
    if kind == Programme.Kind.TERM:
        return date(year, 1, 1), date(term_end_year or year + 4, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


class ProgrammeTask(SearchableModel):
    """One task of a programme: what, who leads, with whom, by when, and what carries it out."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("programme progress", "In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE,
                                  related_name="tasks")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    group = models.CharField(_("group"), max_length=200, blank=True,
                             help_text=_("e.g. Công tác chuẩn bị kỳ họp, Hoạt động giám sát"))
    title = models.CharField(_("task"), max_length=500)
    description = models.TextField(_("details"), max_length=10000, blank=True)
    lead_body = models.ForeignKey("core.Body", verbose_name=_("lead body"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    lead_agency = models.ForeignKey("core.Agency", verbose_name=_("lead agency"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    lead_person = models.CharField(_("lead person"), max_length=200, blank=True)
    partners = models.CharField(_("in coordination with"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"))
    sessions = models.ManyToManyField("council_sessions.CouncilSession", verbose_name=_("sessions"), blank=True,
                                      related_name="+")
    activities = models.ManyToManyField("oversight.OversightActivity", verbose_name=_("oversight activities"),
                                        blank=True, related_name="+")
    voter_meetings = models.ManyToManyField("voters.VoterMeeting", verbose_name=_("voter meetings"), blank=True,
                                            related_name="+")
    reports = models.ManyToManyField("reports.Report", verbose_name=_("reports"), blank=True, related_name="+")
    status = models.CharField(_("progress entered by hand"), max_length=16, choices=Status.choices,
                              default=Status.NOT_STARTED,
                              help_text=_("Used when the task links no session, activity, meeting or report"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=10000, blank=True)
    search_fields = ("title", "group", "lead_person", "partners", "lead_body__name", "lead_agency__name")
    LINK_FIELDS = ("sessions", "activities", "voter_meetings", "reports")

    class Meta:
        verbose_name = _("programme task")
        verbose_name_plural = _("programme tasks")
        ordering = ["programme", "position", "due_date", "pk"]
        indexes = [
            search_index("programmetask_search"),
            models.Index(fields=["council", "due_date"], name="programmetask_council_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="programmetask_done_has_date",
                violation_error_message=_("A task done by hand needs the date it was completed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self) -> str:
        return ", ".join(str(x) for x in (self.lead_body, self.lead_agency) if x) or self.lead_person


class Briefing(SearchableModel):
    """A briefing (hội nghị giao ban) of the standing committee with the standing committees of
    the councils below, or with its committees, on one period."""

    class Scope(models.TextChoices):
        LOWER_COUNCILS = "lower_councils", _("With the standing committees of the councils below")
        COMMITTEES = "committees", _("With the council's committees")

    class PeriodKind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        SIX_MONTH = "six_month", _("Six months")
        YEAR = "year", _("Year")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", pgettext_lazy("briefing status", "Held")

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT,
                                related_name="briefings")
    scope = models.CharField(_("with"), max_length=16, choices=Scope.choices, default=Scope.LOWER_COUNCILS)
    title = models.CharField(_("title"), max_length=500)
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    year = models.PositiveSmallIntegerField(_("year"))
    part = models.PositiveSmallIntegerField(_("quarter or half"), null=True, blank=True)
    period_start = models.DateField(_("period start"), editable=False)
    period_end = models.DateField(_("period end"), editable=False)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=300, blank=True)
    participants = models.ManyToManyField(
        "core.Council", verbose_name=_("councils taking part"), blank=True, related_name="+",
        help_text=_("The councils below whose standing committees take part"),
    )
    bodies = models.ManyToManyField("core.Body", verbose_name=_("committees taking part"), blank=True,
                                    related_name="+")
    attendees = models.TextField(_("attendees"), max_length=10000, blank=True, help_text=_("One person per line"))
    conclusions = models.TextField(_("conclusions"), max_length=20000, blank=True)
    notice_number = models.CharField(_("conclusion notice number"), max_length=60, blank=True,
                                     help_text=_("e.g. 15/TB-HĐND"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    figures_at = models.DateTimeField(_("figures computed at"), null=True, blank=True, editable=False)
    search_fields = ("title", "place", "chaired_by", "notice_number")

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["council", "-held_on"]
        indexes = [
            search_index("briefing_search"),
            models.Index(fields=["council", "-held_on"], name="briefing_council_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(period_kind="quarter", part__gte=1, part__lte=4)
                           | Q(period_kind="six_month", part__gte=1, part__lte=2)
                           | Q(period_kind="year", part__isnull=True)),
                name="briefing_part_fits_period",
                violation_error_message=_("Give the quarter (1–4) or the half (1–2) the briefing reviews."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BriefingTask(SearchableModel):
    """A task agreed at a briefing, assigned to a council taking part (or the convening council
    itself); it becomes a deadline (kind "briefing.task") on the assignee's council."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    briefing = models.ForeignKey(Briefing, verbose_name=_("briefing"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=500)
    assignee_council = models.ForeignKey("core.Council", verbose_name=_("assigned to council"),
                                         on_delete=models.PROTECT, related_name="briefing_tasks")
    assignee_user = models.ForeignKey(
        "core.User", verbose_name=_("responsible person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Leave empty: the office staff of the assigned council are reminded"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=10000, blank=True)
    search_fields = ("title", "assignee_council__name")

    class Meta:
        verbose_name = _("briefing task")
        verbose_name_plural = _("briefing tasks")
        ordering = ["briefing", "due_date", "pk"]
        indexes = [
            search_index("briefingtask_search"),
            models.Index(fields=["assignee_council", "status", "due_date"], name="briefingtask_assignee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="briefingtask_done_has_date",
                violation_error_message=_("A task marked done needs the date it was completed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


ISSUED_UPLOADS = (".pdf", ".docx", ".doc")


class IssuedDocument(SearchableModel):
    """A document issued by the standing committee or a committee of the council (sổ văn bản đi):
    decisions, regulations, plans, reports, notices, letters, submissions. Its number comes from
    the portal's register (core.numbering) unless the office types the one already issued."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        REGULATION = "regulation", _("Regulation")
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Report")
        NOTICE = "notice", _("Notice")
        LETTER = "letter", _("Official letter")
        SUBMISSION = "submission", _("Submission")
        OTHER = "other", _("Other document")

    # The type abbreviation of each kind's number ("15/KH-HĐND"); an official letter is numbered
    # after the issuer alone ("27/HĐND"); other documents carry the number typed by the office.
    NUMBER_TYPES = {"decision": "QĐ", "regulation": "QC", "plan": "KH", "report": "BC", "notice": "TB",
                    "letter": "CV", "submission": "TTr"}

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT,
                                related_name="issued_documents")
    body = models.ForeignKey("core.Body", verbose_name=_("issuing body"), on_delete=models.PROTECT,
                             related_name="issued_documents",
                             help_text=_("The standing committee or the committee that issues the document"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PLAN)
    number = models.CharField(pgettext_lazy("issued document", "number"), max_length=60, blank=True,
                              help_text=_("e.g. 15/KH-HĐND; leave empty to take the next number of the register"))
    number_seq = models.PositiveIntegerField(_("sequence"), null=True, blank=True, editable=False)
    issuer = models.CharField(_("issuer symbol"), max_length=40, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    issued_on = models.DateField(pgettext_lazy("issued document", "issued on"))
    summary = models.TextField(_("summary (trích yếu)"), max_length=2000)
    signer_deputy = models.ForeignKey("core.Deputy", verbose_name=_("signed by (deputy)"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    signer_title = models.CharField(_("signer's title"), max_length=60, blank=True,
                                    help_text=_("e.g. CHỦ TỊCH, PHÓ CHỦ TỊCH, TRƯỞNG BAN"))
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True,
                                   help_text=_("Filled from the deputy when one is chosen"))
    file = models.FileField(_("file"), upload_to="programmes/issued/%Y/", max_length=255, blank=True)
    search_fields = ("number", "summary", "signer_name")
    council_dated_fields = ("issued_on",)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["council", "-issued_on", "-pk"]
        indexes = [
            search_index("issueddocument_search"),
            models.Index(fields=["council", "-issued_on"], name="issueddocument_council_date"),
            models.Index(fields=["council", "body", "kind"], name="issueddocument_council_body"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "issuer", "year", "number"], name="issueddocument_unique_number",
                violation_error_message=_("This number is already used by another document of the same issuer "
                                          "this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.summary[:80]}" if self.number else self.summary[:80]
