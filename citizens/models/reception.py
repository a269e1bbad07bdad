from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Agency, Body, Council, Deputy, Field, SearchableModel, User
from hdnd_portal.core.search import fold_parts, search_index

from .choices import Kind


class ReceptionSchedule(SearchableModel):
    """A recurring reception schedule set by the standing committee: who receives, where and how
    often (sessions per month, default from the per-council rule reception.sessions_per_month)."""

    class Receiver(models.TextChoices):
        CHAIR = "chair", _("Council chair")
        STANDING = "standing", _("Standing committee")
        DEPUTIES = "deputies", _("Deputies")
        GROUP = "group", _("Delegate group")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    receiver_kind = models.CharField(_("who receives"), max_length=16, choices=Receiver.choices)
    body = models.ForeignKey(
        Body, verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receivers = models.ManyToManyField(Deputy, verbose_name=_("receiving deputies"), blank=True, related_name="+")
    location = models.CharField(_("location"), max_length=255)
    sessions_per_month = models.PositiveSmallIntegerField(
        _("sessions per month"), help_text=_("Leave empty to use the council's rule (reception.sessions_per_month)")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.THURSDAY)
    weeks = models.CharField(
        _("weeks of the month"),
        max_length=20,
        blank=True,
        help_text=_("e.g. 3 for the third week, or 1,3; empty spreads the sessions over the month"),
    )
    start_time = models.TimeField(_("start time"), default="08:00")
    end_time = models.TimeField(_("end time"), default="11:30")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    search_fields = ("title", "location", "note")

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        ordering = ["council", "-valid_from"]
        indexes = [search_index("reception_schedule_search"), models.Index(fields=["council", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="reception_schedule_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_month__gte=1) & Q(sessions_per_month__lte=8),
                name="reception_schedule_sessions_range",
                violation_error_message=_("A schedule holds between 1 and 8 sessions a month."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("citizens:schedule_detail", args=[self.pk])

    def week_list(self) -> list[int]:
        """Weeks of the month (1–5; 5 = the last) that hold a session."""
        if self.weeks.strip():
            return sorted({int(w) for w in self.weeks.replace(" ", "").split(",") if w})
        n = self.sessions_per_month or 1
        step = max(1, 4 // n)
        return [1 + i * step for i in range(min(n, 5))]

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
        if self.weeks.strip():
            try:
                weeks = self.week_list()
            except ValueError:
                raise ValidationError({"weeks": _("Write week numbers 1–5 separated by commas.")})
            if any(w < 1 or w > 5 for w in weeks):
                raise ValidationError({"weeks": _("Write week numbers 1–5 separated by commas.")})
            if self.sessions_per_month and len(weeks) != self.sessions_per_month:
                raise ValidationError(
                    {"weeks": _("List as many weeks as sessions per month (%(n)s).") % {"n": self.sessions_per_month}}
                )
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})


class ReceptionDay(SearchableModel):
    """One reception session (buổi tiếp công dân), generated from a schedule or added ad hoc."""

    council_dated_fields = ("date",)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="days",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), default="08:00")
    location = models.CharField(_("location"), max_length=255)
    receivers = models.ManyToManyField(Deputy, verbose_name=_("receiving deputies"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    search_fields = ("location", "note", "cancel_reason")

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["council", "-date"]
        indexes = [search_index("reception_day_search"), models.Index(fields=["council", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "date"],
                name="reception_day_one_per_schedule_date",
                violation_error_message=_("This schedule already has a reception day on that date."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Reception day %(date)s") % {"date": self.date.strftime("%d/%m/%Y")})

    def get_absolute_url(self) -> str:
        return reverse("citizens:day_detail", args=[self.pk])


class ReceptionSubstitution(models.Model):
    """A receiving deputy replaced on one reception day (who, by whom, why)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="substitutions")
    absent = models.ForeignKey(Deputy, verbose_name=_("absent deputy"), on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(Deputy, verbose_name=_("substitute"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class Case(SearchableModel):
    """A matter (vụ việc): the visits and letters about one matter, counted once."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        CLOSED = "closed", _("Closed")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("case number"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    search_fields = ("code", "title", "summary")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["council", "-opened_on"]
        indexes = [search_index("citizen_case_search"), models.Index(fields=["council", "opened_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "code"],
                name="citizen_case_unique_code",
                violation_error_message=_("A case with this number already exists in this council."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("citizens:case_detail", args=[self.pk])


class Visit(SearchableModel):
    """A visit (lượt tiếp) on a reception day: one citizen or a group, with the fields of the
    reception log. The visitor is owed an answer within reception.answer_wd working days."""

    council_dated_fields = ("date",)

    class Outcome(models.TextChoices):
        GUIDED = "guided", _("Guided")
        LETTER = "letter", _("Letter received")
        FORWARDED = "forwarded", _("Forwarded")
        REFUSED = "refused", _("Refused")

    class RefusalReason(models.TextChoices):
        # Luật Tiếp công dân 2013, Điều 9
        INTOXICATED = "intoxicated", _("Intoxicated or unable to control behaviour (Art. 9.1)")
        DISRUPTIVE = "disruptive", _("Violent, threatening or insulting behaviour (Art. 9.2)")
        RESOLVED = "resolved", _("Matter already resolved lawfully and reviewed (Art. 9.3)")
        OTHER_LAW = "other", _("Other cases under the law (Art. 9.4)")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted for handling")
        MORE_TIME = "more_time", _("Needs more time")
        REFUSED = "refused", _("Refused")
        FORWARDED = "forwarded", _("Forwarded")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    day = models.ForeignKey(
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.PROTECT, related_name="visits"
    )
    sequence = models.PositiveIntegerField(_("sequence number"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of matter"), max_length=16, choices=Kind.choices)
    is_group = models.BooleanField(_("group visit"), default=False)
    citizen_count = models.PositiveIntegerField(_("number of citizens"), default=1)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"), max_length=10000)
    requests = models.TextField(_("requests"), max_length=10000, blank=True)
    handling = models.TextField(_("how it was considered and handled"), max_length=10000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    refusal_reason = models.CharField(
        _("legal reason for refusing"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    forwarded_to = models.ForeignKey(
        Agency, verbose_name=_("forwarded to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("answer to the visitor"), max_length=16, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True, editable=False)
    # Stored protection, as on Letter: a change of kind never clears it (visit_lift_protection does).
    identity_protected = models.BooleanField(_("identity protected"), default=False, editable=False)
    protection_lifted_at = models.DateTimeField(_("protection lifted at"), null=True, blank=True, editable=False)
    protection_lifted_by = models.ForeignKey(
        User, verbose_name=_("protection lifted by"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )
    protection_lift_reason = models.TextField(
        _("reason for lifting the protection"), max_length=2000, blank=True, editable=False
    )
    search_fields = ("content", "requests", "handling")

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["council", "-date", "-sequence"]
        indexes = [
            search_index("visit_search"),
            models.Index(fields=["council", "date"]),
            # The list's order over many councils (a city with its communes): read in order, stop at a page.
            models.Index(fields=["-date", "-sequence", "-id"], name="visit_date_sequence"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "date", "sequence"],
                name="visit_unique_sequence",
                violation_error_message=_("This sequence number is already used on that date."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(refusal_reason=""),
                name="visit_refusal_has_reason",
                violation_error_message=_("Give the legal reason for refusing the visit."),
            ),
            models.CheckConstraint(
                condition=Q(citizen_count__gte=1),
                name="visit_has_citizens",
                violation_error_message=_("A visit has at least one citizen."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="denunciation") | Q(identity_protected=True) | Q(protection_lifted_at__isnull=False),
                name="visit_denunciation_protected",
                violation_error_message=_(
                    "A denunciation keeps its denouncer's identity protected unless the protection is lifted."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Visit no. %(n)s on %(date)s") % {"n": self.sequence, "date": self.date.strftime("%d/%m/%Y")})

    def get_absolute_url(self) -> str:
        return reverse("citizens:visit_detail", args=[self.pk])

    @property
    def is_protected(self) -> bool:
        return self.identity_protected

    def build_search_text(self) -> str:
        text = super().build_search_text()
        # Visitors' names are searchable, except those who bring a denunciation.
        if self.pk and not self.is_protected:
            names = [(c.full_name, c.address) for c in self.citizens.all()]
            text = " ".join(filter(None, [text, fold_parts(*(p for pair in names for p in pair))]))
        return text


class VisitCitizen(models.Model):
    """A visitor of a visit (identity; protected when the visit brings a denunciation)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="citizens")
    full_name = models.CharField(_("full name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-is_representative", "id"]

    def __str__(self) -> str:
        return self.full_name
