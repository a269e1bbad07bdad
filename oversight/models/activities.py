"""Annual oversight programmes, oversight activities and their recommendations."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd_portal.core.models import PortalModel, SearchableModel
from hdnd_portal.core.search import search_index

from .constraints import check, unique

LONG_TEXT = 10_000


class ConductingLevel(models.TextChoices):
    COUNCIL = "council", _("The council")
    STANDING = "standing", _("Standing committee")
    COMMITTEE = "committee", _("Committee")
    GROUP = "group", _("Delegate group")
    DEPUTY = "deputy", _("Deputy")


class ActivityKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic oversight")
    REGULAR = "regular", _("Regular oversight")
    SURVEY = "survey", _("Survey")
    UNANNOUNCED = "unannounced", _("Unannounced oversight")
    FOLLOW_UP = "follow_up", _("Follow-up oversight")


class OversightProgramme(SearchableModel):
    """The annual oversight programme (chương trình giám sát năm), adopted by a resolution."""

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="oversight_programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    resolution_number = models.CharField(
        _("adopting resolution"), max_length=60, blank=True, help_text=_("e.g. 15/NQ-HĐND")
    )
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    resolution = models.ForeignKey(
        "council_sessions.Resolution",
        verbose_name=_("adopting resolution in the portal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("If the resolution is recorded in the portal; otherwise give its number and date."),
    )
    note = models.TextField(_("note"), blank=True, max_length=LONG_TEXT)
    search_fields = ("title", "resolution_number", "year")

    class Meta:
        verbose_name = _("oversight programme")
        verbose_name_plural = _("oversight programmes")
        ordering = ["-year"]
        indexes = [search_index("oversightprogramme_search")]
        constraints = [
            unique(
                fields=["council", "year"],
                name="programme_one_per_year",
                message=_("This council already has an oversight programme for this year."),
                field="year",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:programme_detail", args=[self.pk])


class PlannedTopic(PortalModel):
    """A topic the programme plans to oversee: the conducting body and the planned period."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        OversightProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.CharField(_("topic"), max_length=300)
    conducting_level = models.CharField(
        _("conducted by"), max_length=16, choices=ConductingLevel.choices, default=ConductingLevel.STANDING
    )
    body = models.ForeignKey(
        "core.Body",
        verbose_name=_("conducting body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices, default=ActivityKind.THEMATIC)
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("planned from"))
    period_end = models.DateField(_("planned until"))

    class Meta:
        verbose_name = _("planned topic")
        verbose_name_plural = _("planned topics")
        ordering = ["programme", "period_start", "id"]
        constraints = [
            check(
                condition=Q(period_end__gte=F("period_start")),
                name="topic_period_ordered",
                message=_("The end of the planned period cannot be before its start."),
                field="period_end",
            )
        ]

    def __str__(self) -> str:
        return self.topic


class OversightActivity(SearchableModel):
    """An oversight or survey activity (cuộc giám sát, khảo sát) and its documents."""

    council_dated_fields = ("start_date",)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("oversight status", "In progress")
        REPORTED = "reported", _("Reported")
        CONCLUDED = "concluded", _("Concluded")
        CANCELLED = "cancelled", _("Cancelled")

    DONE_STATUSES = (Status.REPORTED, Status.CONCLUDED)

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="oversight_activities"
    )
    programme = models.ForeignKey(
        OversightProgramme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    planned_topic = models.ForeignKey(
        PlannedTopic,
        verbose_name=_("planned topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    conducting_level = models.CharField(
        _("conducted by"), max_length=16, choices=ConductingLevel.choices, default=ConductingLevel.STANDING
    )
    body = models.ForeignKey(
        "core.Body",
        verbose_name=_("conducting body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversight_activities",
    )
    lead_deputy = models.ForeignKey(
        "core.Deputy",
        verbose_name=_("conducting deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices, default=ActivityKind.THEMATIC)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    topic = models.CharField(_("topic"), max_length=300)
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("supervised agencies"), blank=True, related_name="oversight_activities"
    )
    supervised_units = models.PositiveIntegerField(
        _("number of supervised units"),
        null=True,
        blank=True,
        help_text=_(
            "How many units were supervised or surveyed (the figure the annual report states). Left empty, it is "
            "the number of supervised agencies chosen."
        ),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    team_deputies = models.ManyToManyField(
        "core.Deputy", verbose_name=_("team deputies"), blank=True, related_name="oversight_activities"
    )
    team_staff = models.ManyToManyField(
        "core.User", verbose_name=_("team staff"), blank=True, related_name="oversight_activities"
    )
    plan_number = models.CharField(_("plan number"), max_length=60, blank=True)
    plan_sent_on = models.DateField(_("plan sent on"), null=True, blank=True)
    plan_file = models.FileField(_("plan document"), upload_to="oversight/activities/%Y/", blank=True)
    programme_number = models.CharField(_("programme document number"), max_length=60, blank=True)
    programme_sent_on = models.DateField(_("programme sent on"), null=True, blank=True)
    programme_file = models.FileField(_("programme document"), upload_to="oversight/activities/%Y/", blank=True)
    report_number = models.CharField(_("report number"), max_length=60, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    report_file = models.FileField(_("report"), upload_to="oversight/activities/%Y/", blank=True)
    conclusion_number = models.CharField(_("conclusion notice number"), max_length=60, blank=True)
    conclusion_date = models.DateField(_("conclusion notice date"), null=True, blank=True)
    conclusion_text = models.TextField(_("conclusion"), blank=True, max_length=LONG_TEXT)
    conclusion_file = models.FileField(_("conclusion notice"), upload_to="oversight/activities/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    search_fields = ("topic", "plan_number", "report_number", "conclusion_number", "body__name")

    class Meta:
        verbose_name = _("oversight activity")
        verbose_name_plural = _("oversight activities")
        ordering = ["-start_date", "-id"]
        indexes = [
            search_index("oversightactivity_search"),
            models.Index(fields=["council", "-start_date"], name="activity_council_start"),
            models.Index(fields=["council", "status"], name="activity_council_status"),
        ]
        constraints = [
            check(
                condition=Q(end_date__gte=F("start_date")),
                name="activity_dates_ordered",
                message=_("The end date cannot be before the start date."),
                field="end_date",
            ),
            check(
                condition=Q(supervised_units__isnull=True) | Q(supervised_units__gte=1),
                name="activity_supervised_units_positive",
                message=_("The number of supervised units must be at least 1."),
                field="supervised_units",
            ),
            check(
                condition=~Q(kind="follow_up") | Q(follows__isnull=False),
                name="activity_follow_up_linked",
                message=_("A follow-up oversight must name the earlier activity it follows."),
                field="follows",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("oversight:activity_detail", args=[self.pk])

    @property
    def conductor(self) -> str:
        if self.conducting_level == ConductingLevel.DEPUTY and self.lead_deputy_id:
            return str(self.lead_deputy)
        if self.body_id:
            return str(self.body)
        return str(self.get_conducting_level_display())


class Recommendation(SearchableModel):
    """A recommendation (kiến nghị) made after oversight, addressed to one agency, followed until
    the office accepts it as done. Overdue is derived from the deadline (never stored)."""

    council_dated_fields = ("issued_on",)

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("oversight status", "In progress")
        DONE = "done", _("Done")
        PARTLY_DONE = "partly_done", _("Partly done")

    class Evaluation(models.TextChoices):
        PENDING = "pending", _("Not evaluated")
        ACCEPTED = "accepted", _("Accepted as done")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="oversight_recommendations"
    )
    activity = models.ForeignKey(
        OversightActivity,
        verbose_name=_("oversight activity"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="oversight_recommendations"
    )
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("recommendation"), max_length=LONG_TEXT)
    issued_on = models.DateField(_("issued on"))
    is_complex = models.BooleanField(
        _("complex"), default=False, help_text=_("Complex recommendations get the longer follow-up period")
    )
    deadline = models.DateField(_("deadline"), help_text=_("Leave empty to take it from the rule"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evaluation = models.CharField(
        _("office evaluation"), max_length=16, choices=Evaluation.choices, default=Evaluation.PENDING
    )
    evaluation_note = models.TextField(_("evaluation note"), blank=True, max_length=LONG_TEXT)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        "core.User", verbose_name=_("evaluated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs_follow_up = models.BooleanField(_("for follow-up oversight"), default=False)
    search_fields = ("text", "agency__name", "agency__short_name", "activity__topic")

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-issued_on", "-id"]
        indexes = [
            search_index("recommendation_search"),
            models.Index(fields=["council", "-issued_on"], name="rec_council_issued"),
            models.Index(fields=["council", "status", "deadline"], name="rec_council_status_deadline"),
            models.Index(fields=["agency", "status"], name="rec_agency_status"),
        ]
        constraints = [
            check(
                condition=Q(deadline__gte=F("issued_on")),
                name="rec_deadline_after_issue",
                message=_("The deadline cannot be before the recommendation was issued."),
                field="deadline",
            )
        ]

    def __str__(self) -> str:
        return self.text[:100]

    def get_absolute_url(self) -> str:
        return reverse("oversight:recommendation_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.evaluation == self.Evaluation.ACCEPTED

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.DONE and self.deadline < today


class RecommendationReport(PortalModel):
    """A progress report on a recommendation, posted by the agency or entered by staff from the
    agency's written report."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(_("status reported"), max_length=16, choices=Recommendation.Status.choices)
    text = models.TextField(_("progress"), max_length=LONG_TEXT)
    document_number = models.CharField(_("agency's document number"), max_length=60, blank=True)
    on_behalf = models.BooleanField(_("entered by staff from a written report"), default=False)
    posted_by = models.ForeignKey(
        "core.User", verbose_name=_("posted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["recommendation", "-reported_on", "-id"]
        indexes = [models.Index(fields=["council", "reported_on"], name="recreport_council_date")]

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y} — {self.get_status_display()}"


class Evidence(models.Model):
    """An evidence file attached to a progress report (checked for type and size on upload)."""

    council = models.ForeignKey("core.Council", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(RecommendationReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="oversight/evidence/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name
