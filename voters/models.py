"""Voter meetings (tiếp xúc cử tri) and voter petitions (kiến nghị cử tri).

A petition keeps every meeting it was raised at as a PetitionSource row; merging moves the
sources of the merged petition onto the kept one (nothing is lost, the count is the rows).
Deadlines (response, outside-constituency approval and notice) live in core.Deadline; the
dates stored here mirror them for fast lists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Agency, Body, Council, Deputy, Field, PortalModel, SearchableModel
from hdnd_portal.core.search import search_index

# The longest text a petition, an answer or a note may have (forms, API, import and services).
TEXT_MAX = 10_000
# What a meeting's minutes and an agency's answer document may be (pages and API alike).
MINUTES_UPLOADS = (".pdf", ".docx", ".doc", ".jpg", ".png")
RESPONSE_UPLOADS = (".pdf", ".docx", ".xlsx")


class VoterMeeting(SearchableModel):
    """One meeting of deputies with voters; the council office keeps its minutes."""

    council_dated_fields = ("date",)

    class Kind(models.TextChoices):
        BEFORE_SESSION = "before_session", _("Before a session")
        AFTER_SESSION = "after_session", _("After a session")
        THEMATIC = "thematic", _("Thematic")
        BY_FIELD = "by_field", _("By field")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="voter_meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BEFORE_SESSION)
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("e.g. Tiếp xúc cử tri trước Kỳ họp thứ 12")
    )
    session = models.ForeignKey(
        "council_sessions.CouncilSession",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voter_meetings",
        help_text=_("The session the meeting reports on or prepares"),
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a meeting by field or a thematic meeting"),
    )
    group = models.ForeignKey(
        Body,
        verbose_name=_("delegate group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voter_meetings",
    )
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("deputies present"), blank=True, related_name="voter_meetings"
    )
    commune = models.ForeignKey(
        Council,
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the meeting was held (a council at or below this one)"),
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    date = models.DateField(_("date"))
    voter_count = models.PositiveIntegerField(_("number of voters"), default=0)
    minutes = models.FileField(_("minutes"), upload_to="voters/minutes/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    outside_constituency = models.BooleanField(
        _("outside the deputy's constituency"),
        default=False,
        help_text=_("Needs an approval decision and a notice to voters ahead of the meeting"),
    )
    outside_requested_on = models.DateField(_("request for approval sent on"), null=True, blank=True)
    outside_decision_due = models.DateField(_("approval decision due"), null=True, blank=True, editable=False)
    outside_approved_on = models.DateField(_("approved on"), null=True, blank=True)
    outside_notice_due = models.DateField(_("notice due"), null=True, blank=True, editable=False)
    outside_notice_on = models.DateField(_("notice sent on"), null=True, blank=True)
    search_fields = ("title", "place", "commune__name", "group__name", "notes")

    class Meta:
        verbose_name = _("voter meeting")
        verbose_name_plural = _("voter meetings")
        ordering = ["-date", "-pk"]
        indexes = [
            search_index("votermeeting_search"),
            models.Index(fields=["council", "-date"]),
            # The list's order over many councils (a city with its communes): read in order, stop at a page.
            models.Index(fields=["-date", "-id"], name="votermeeting_date"),
        ]

    def __str__(self) -> str:
        label = self.title or self.get_kind_display()
        return f"{label} — {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.group_id and self.council_id and self.group.council_id != self.council_id:
            raise ValidationError({"group": _("The delegate group belongs to another council.")})
        if self.group_id and self.group.kind != Body.Kind.GROUP:
            raise ValidationError({"group": _("Choose a delegate group.")})
        if self.session_id and self.council_id and self.session.council_id != self.council_id:
            raise ValidationError({"session": _("The session belongs to another council.")})


class ForwardingLetter(PortalModel):
    """The numbered letter that forwards a batch of petitions to one agency (a PDF)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="petition_letters"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="petition_letters"
    )
    number = models.CharField(_("document number"), max_length=60)
    sequence = models.PositiveIntegerField(_("sequence"))
    date = models.DateField(_("date"))
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)
    file = models.FileField(_("letter (PDF)"), upload_to="voters/letters/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("forwarding letter")
        verbose_name_plural = _("forwarding letters")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["council", "-date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number", "date"],
                name="voters_letter_unique",
                violation_error_message=_("A forwarding letter with this number and date already exists."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Letter %(number)s to %(agency)s") % {"number": self.number, "agency": self.agency})


class Petition(SearchableModel):
    """A voter petition (kiến nghị) or opinion (ý kiến) and its road to resolution."""

    council_dated_fields = ("received_on",)

    class Kind(models.TextChoices):
        PETITION = "petition", _("Petition")
        OPINION = "opinion", _("Opinion")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune")
        DISTRICT = "district", _("District (historical)")

    class Status(models.TextChoices):
        NEW = "new", _("Received")
        FORWARDED = "forwarded", _("Forwarded, awaiting answer")
        RESOLVED = "resolved", _("Resolved")
        IN_PROGRESS = "in_progress", _("Being resolved")
        EXPLAINED = "explained", _("Explained / information provided")
        NOT_COMPETENT = "not_competent", _("Not within competence")
        MERGED = "merged", _("Merged into another petition")

    class Evaluation(models.TextChoices):
        NONE = "", _("Not evaluated")
        SATISFACTORY = "satisfactory", _("Satisfactory")
        UNSATISFACTORY = "unsatisfactory", _("Not satisfactory")

    ANSWERED = (Status.RESOLVED, Status.IN_PROGRESS, Status.EXPLAINED, Status.NOT_COMPETENT)
    OPEN = (Status.NEW, Status.FORWARDED, Status.IN_PROGRESS)
    # A petition can be (re)forwarded while new or forwarded and not yet answered.
    FORWARDABLE = (Status.NEW, Status.FORWARDED)

    # No index of its own: petition_council_recv and petition_council_status lead with it. With one,
    # the planner read the dashboard's year of a council through it, every petition the council
    # ever had (its rows lie together), and more so the larger the table grew with other provinces.
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="petitions", db_index=False
    )
    content = models.TextField(_("content"), max_length=TEXT_MAX)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PETITION)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locality = models.CharField(
        _("locality"), max_length=200, blank=True, help_text=_("Commune, ward or area the petition concerns")
    )
    level = models.CharField(_("competence level"), max_length=12, choices=Level.choices, default=Level.PROVINCE)
    committee = models.ForeignKey(
        Body,
        verbose_name=_("responsible committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        help_text=_("Defaults from the field when left empty"),
    )
    meetings = models.ManyToManyField(
        VoterMeeting,
        verbose_name=_("source meetings"),
        through="PetitionSource",
        through_fields=("petition", "meeting"),
        related_name="petitions",
        blank=True,
    )
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("deputies who took it"), blank=True, related_name="petitions"
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    is_urgent = models.BooleanField(_("urgent"), default=False, help_text=_("Forwarded at once, not at the next round"))
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to every deputy and on the transparency site")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("assigned agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    letter = models.ForeignKey(
        ForwardingLetter,
        verbose_name=_("forwarding letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    forwarded_on = models.DateField(_("forwarding date"), null=True, blank=True)
    forwarding_number = models.CharField(_("forwarding document number"), max_length=60, blank=True)
    response_due = models.DateField(_("response due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    response_text = models.TextField(_("response"), blank=True, max_length=TEXT_MAX)
    response_document = models.FileField(_("response document"), upload_to="voters/responses/%Y/", blank=True)
    response_number = models.CharField(_("response document number"), max_length=60, blank=True)
    response_date = models.DateField(_("response date"), null=True, blank=True)
    response_by = models.CharField(
        _("answered by"), max_length=200, blank=True, help_text=_("Person and agency that signed the answer")
    )
    responded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roadmap = models.TextField(_("roadmap"), blank=True, max_length=TEXT_MAX)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    target_notice_sent_on = models.DateField(
        _("deputies told the target date passed"), null=True, blank=True, editable=False
    )
    evaluation = models.CharField(_("evaluation"), max_length=16, choices=Evaluation.choices, blank=True, default="")
    needs_follow_up = models.BooleanField(_("needs follow-up oversight"), default=False)
    evaluation_note = models.TextField(_("evaluation note"), blank=True, max_length=TEXT_MAX)
    evaluated_by = models.ForeignKey(
        Body, verbose_name=_("evaluated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_petitions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_fields = ("content", "locality", "forwarding_number", "response_text")

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-pk"]
        indexes = [
            search_index("petition_search"),
            models.Index(fields=["council", "-received_on", "-id"], name="petition_council_recv"),
            # lists over a council and the councils below it (and the API) order across councils
            models.Index(fields=["-received_on", "-id"], name="petition_received"),
            models.Index(fields=["council", "status", "-received_on"], name="petition_council_status"),
            models.Index(fields=["agency", "status"], name="petition_agency_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="petition_not_merged_into_self",
                violation_error_message=_("A petition cannot be merged into itself."),
            ),
            models.CheckConstraint(
                condition=Q(response_date__isnull=True)
                | Q(forwarded_on__isnull=True)
                | Q(response_date__gte=F("forwarded_on")),
                name="petition_response_after_forwarding",
                violation_error_message=_("The answer cannot be dated before the petition was forwarded."),
            ),
        ]

    def __str__(self) -> str:
        text = " ".join(self.content.split())
        return f"#{self.pk} {text[:80]}{'…' if len(text) > 80 else ''}"

    @property
    def is_answered(self) -> bool:
        return self.status in self.ANSWERED

    @property
    def age_days(self) -> int:
        return (timezone.localdate() - self.received_on).days

    @property
    def age_class(self) -> str:
        return self.age_on(timezone.localdate())[0]

    @property
    def age_label(self) -> str:
        return self.age_on(timezone.localdate())[1]

    def age_on(self, today) -> tuple[str, str]:
        """How long an open petition has been carried over on `today`: its class and label. A year
        open is a warning, two years a danger ("2 năm 3 tháng"); nothing once answered. A list
        passes the day it reads once, not the clock per row."""
        if self.status not in self.OPEN:
            return "", ""
        days = (today - self.received_on).days
        css = "danger" if days >= 730 else "warning" if days >= 365 else ""
        if days >= 365:
            return css, str(_("%(y)s y %(m)s m") % {"y": days // 365, "m": (days % 365) // 30})
        return css, str(_("%(d)s days") % {"d": days})

    @property
    def source_count(self) -> int:
        value = getattr(self, "n_sources", None)
        return value if value is not None else self.sources.count()


class PetitionSource(models.Model):
    """One raising of a petition: at a meeting (or imported without one). Rows of a merged
    petition move to the kept petition with `merged_from` set, so every source stays counted."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="sources")
    meeting = models.ForeignKey(
        VoterMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="petition_sources"
    )
    merged_from = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("petition source")
        verbose_name_plural = _("petition sources")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["meeting"])]

    def __str__(self) -> str:
        return f"{self.petition_id} ← {self.meeting or '-'}"
