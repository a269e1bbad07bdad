"""Council sessions (kỳ họp) and everything prepared, held and decided in them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Agency, Council, Deputy, Field, PortalModel, SearchableModel, Term
from hdnd_portal.core.search import search_index

# Long free text (notices, descriptions, notes): a generous limit that forms and the API enforce.
TEXT_LIMIT = 10_000
DATES_ORDERED = _("The closing date cannot be before the opening date.")


class CouncilSession(SearchableModel):
    """A council session (kỳ họp), numbered within its term: "Kỳ họp thứ 12"."""

    council_dated_fields = ("planned_start", "actual_start", "actual_end")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")
        URGENT = "urgent", _("Urgent")
        EXTRAORDINARY = "extraordinary", _("Extraordinary (legacy)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DOCUMENTS_SENT = "documents_sent", _("Documents sent")
        IN_SESSION = "in_session", _("In session")
        CLOSED = "closed", _("Closed")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="council_sessions"
    )
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="council_sessions")
    number = models.PositiveSmallIntegerField(_("number in the term"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("Optional, e.g. the theme"))
    planned_start = models.DateField(_("planned opening date"))
    planned_end = models.DateField(_("planned closing date"))
    actual_start = models.DateField(_("actual opening date"), null=True, blank=True)
    actual_end = models.DateField(_("actual closing date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    is_public = models.BooleanField(_("public session"), default=True)
    is_paperless = models.BooleanField(_("paperless session"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    notice_number = models.CharField(_("convening notice number"), max_length=60, blank=True)
    notice_date = models.DateField(_("convening notice date"), null=True, blank=True)
    notice_text = models.TextField(_("convening notice"), blank=True, max_length=TEXT_LIMIT)
    notice_file = models.FileField(
        _("convening notice file"), upload_to="sessions/notices/%Y/", max_length=255, blank=True
    )
    search_fields = ("title", "venue", "notice_number", "council__name")

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-planned_start", "-number"]
        indexes = [
            search_index("councilsession_search"),
            models.Index(fields=["council", "planned_start"]),
            models.Index(fields=["-planned_start", "-number", "-id"], name="session_recent"),
            models.Index(fields=["council", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "number"],
                name="session_unique_number",
                violation_error_message=_("A session with this number already exists in this term."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="session_planned_ordered",
                violation_error_message=DATES_ORDERED,
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="session_actual_ordered",
                violation_error_message=DATES_ORDERED,
            ),
        ]

    def clean(self) -> None:
        # The same rules as the check constraints, reported beside the field on the forms.
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = DATES_ORDERED
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = DATES_ORDERED
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("sessions:session_detail", args=[self.pk])

    def __str__(self) -> str:
        return self.label(self.number, self.title)

    @staticmethod
    def label(number, title: str) -> str:
        """A session as the portal names it, from its number and title (a list reading them as
        columns writes the same as str(session))."""
        label = gettext("Session %(number)s") % {"number": number}  # not lazy: a list writes one per row
        return f"{label} — {title}" if title else label

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end

    @property
    def days(self) -> list:
        """Every calendar day of the session (actual dates when known)."""
        from datetime import timedelta

        start, end = self.start, self.end
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]


class Threshold(models.TextChoices):
    """Which rule decides whether a vote passes."""

    MAJORITY = "majority", _("More than half of all deputies")
    DISMISSAL = "dismissal", _("Two thirds of all deputies (dismissal)")


class ResolutionKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    PERSONNEL = "personnel", _("Personnel")
    NORMATIVE = "normative", _("Legal-normative")


class IssueGroup(PortalModel):
    """An issue group (nhóm vấn đề) of a session's agenda."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.CASCADE, related_name="issue_groups"
    )
    title = models.CharField(_("title"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("issue group")
        verbose_name_plural = _("issue groups")
        ordering = ["session", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(SearchableModel):
    """One item of a session's agenda (nội dung chương trình), in order within the session."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    group = models.ForeignKey(
        IssueGroup,
        verbose_name=_("issue group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_LIMIT)
    presenter_agency = models.ForeignKey(
        Agency, verbose_name=_("presenting agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presenter_name = models.CharField(_("presenter"), max_length=200, blank=True)
    expected_minutes = models.PositiveSmallIntegerField(_("expected duration (minutes)"), null=True, blank=True)
    proposes_resolution = models.BooleanField(
        _("adopts a resolution"),
        default=False,
        help_text=_("A passed vote on this item adopts a resolution under the resolution title below"),
    )
    resolution_title = models.CharField(
        _("resolution title"),
        max_length=500,
        blank=True,
        help_text=_(
            "The title of the resolution this item adopts. Left empty, it is taken from the draft resolution "
            "or the submission (“Tờ trình về X” gives “Nghị quyết về X”)."
        ),
    )
    resolution_kind = models.CharField(
        _("resolution kind"), max_length=16, choices=ResolutionKind.choices, default=ResolutionKind.REGULAR
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    threshold = models.CharField(
        _("voting threshold"), max_length=16, choices=Threshold.choices, default=Threshold.MAJORITY
    )
    search_fields = ("title", "presenter_name", "description")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]
        indexes = [search_index("agendaitem_search"), models.Index(fields=["session", "position"])]

    def get_absolute_url(self) -> str:
        return reverse("sessions:session_detail", args=[self.session_id]) + f"#item-{self.pk}"

    def __str__(self) -> str:
        return self.title

    @property
    def presenter(self) -> str:
        # The agency's full name: abbreviations ("SXD") mean nothing in the minutes.
        return self.presenter_name or (self.presenter_agency.name if self.presenter_agency_id else "")


class Attendance(PortalModel):
    """A deputy's attendance on one day of a session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT_EXCUSED = "absent_excused", _("Absent with reason")
        ABSENT = "absent", _("Absent without reason")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.DateField(_("day"))
    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices, default=Status.PRESENT)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "day", "deputy__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "day", "deputy"],
                name="attendance_one_per_day",
                violation_error_message=_("Attendance changed meanwhile; reload the page."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} — {self.day:%d/%m/%Y} — {self.get_status_display()}"
