from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd_portal.core.models import Agency, Council, Deputy, Field, SearchableModel, User
from hdnd_portal.core.search import fold, fold_parts, search_index

from .choices import Kind
from .reception import Case, Visit


class Letter(SearchableModel):
    """A letter (đơn) in the council's register. The senders' identity is in LetterSender and
    LetterScan; for a denunciation it is never folded into search_text (see build_search_text)."""

    council_dated_fields = ("received_on",)

    Kind = Kind

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Handed in at a reception")
        POST = "post", _("By post")
        DEPUTY = "deputy", _("Forwarded by a deputy")
        AGENCY = "agency", _("Forwarded by an agency")
        EMAIL = "email", _("E-mail")
        LEADERS = "leaders", _("From the leaders")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        HANDLED = "handled", _("Handled")
        ACCEPTED = "accepted", _("Accepted for resolution")
        RESOLVED = "resolved", _("Result received")
        DUPLICATE = "duplicate", _("Duplicate (linked)")
        SPLIT = "split", _("Split into separate letters")

    class Decision(models.TextChoices):
        FORWARD = "forward", _("Forward to the competent agency")
        GUIDE = "guide", _("Guide the sender")
        FILE = "file", pgettext_lazy("letter decision", "File")
        RETURN = "return", _("Return to the sender")

    class Complexity(models.TextChoices):
        NORMAL = "normal", _("Normal")
        COMPLEX = "complex", _("Complex")
        VERY_COMPLEX = "very_complex", _("Especially complex")

    class ResultKind(models.TextChoices):
        UPHELD = "upheld", _("Found right")
        PARTLY = "partly", _("Partly right")
        REJECTED = "rejected", _("Found wrong")
        ANSWERED = "answered", _("Answered / explained")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    register_year = models.PositiveSmallIntegerField(_("register year"))
    register_seq = models.PositiveIntegerField(_("register sequence"))
    register_number = models.CharField(_("register number"), max_length=30)
    received_on = models.DateField(_("received on"))
    letter_date = models.DateField(_("date written on the letter"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    forwarded_by_deputy = models.ForeignKey(
        Deputy, verbose_name=_("forwarding deputy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_by_agency = models.ForeignKey(
        Agency, verbose_name=_("forwarding agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"), max_length=10000, blank=True)
    respondent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    respondent_person = models.CharField(_("person complained about"), max_length=200, blank=True)
    signer_count = models.PositiveIntegerField(_("number of signers"), default=1)
    is_multi_signer = models.BooleanField(_("multi-signer letter"), default=False, editable=False)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    is_signed = models.BooleanField(_("signed"), default=True)
    has_address = models.BooleanField(_("sender's address given"), default=True)
    decision_known_on = models.DateField(
        _("date the complainant learnt of the decision"),
        null=True,
        blank=True,
        help_text=_("Complaints: the limitation period (90 days, Luật Khiếu nại Art. 9) runs from this date"),
    )
    has_clear_evidence = models.BooleanField(
        _("clear evidence"),
        default=False,
        help_text=_("Anonymous denunciations: clear evidence of a violation leads to an inspection"),
    )
    is_eligible = models.BooleanField(_("eligible"), default=True, editable=False)
    eligibility_issues = models.JSONField(_("eligibility issues"), default=list, blank=True, editable=False)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    split_from = models.ForeignKey(
        "self", verbose_name=_("split from"), null=True, blank=True, on_delete=models.PROTECT, related_name="parts"
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    decision = models.CharField(_("handling decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)
    forwarded_to = models.ForeignKey(
        Agency, verbose_name=_("forwarded to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forward_doc_number = models.CharField(_("forwarding document number"), max_length=40, blank=True)
    for_inspection = models.BooleanField(_("forwarded for inspection"), default=False)
    complexity = models.CharField(_("complexity"), max_length=16, choices=Complexity.choices, default=Complexity.NORMAL)
    remote_area = models.BooleanField(_("remote area"), default=False)
    round = models.PositiveSmallIntegerField(
        _("complaint round"), default=1, choices=[(1, _("First")), (2, _("Second"))]
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    result_kind = models.CharField(_("result"), max_length=16, choices=ResultKind.choices, blank=True)
    result_date = models.DateField(_("resolved on"), null=True, blank=True)
    result_summary = models.TextField(_("result summary"), max_length=10000, blank=True)
    reported_on = models.DateField(_("result reported on"), null=True, blank=True)
    citizen_notified_on = models.DateField(_("citizen informed on"), null=True, blank=True)
    # Denouncer protection is a stored state, not the current kind: set when the letter is (or
    # becomes) a denunciation, when it derives from a protected record (a visit, a split, a
    # duplicate), or when the office decides; cleared only by letter_lift_protection, by a holder
    # of can_view_denouncer_identity, with a reason written to the identity log.
    identity_protected = models.BooleanField(_("identity protected"), default=False, editable=False)
    protection_lifted_at = models.DateTimeField(_("protection lifted at"), null=True, blank=True, editable=False)
    protection_lifted_by = models.ForeignKey(
        User, verbose_name=_("protection lifted by"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
    )
    protection_lift_reason = models.TextField(
        _("reason for lifting the protection"), max_length=2000, blank=True, editable=False
    )
    search_fields = (
        "register_number",
        "subject",
        "content",
        "respondent_person",
        "respondent_agency__name",
        "forward_doc_number",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["council", "-received_on", "-register_seq"]
        indexes = [
            search_index("letter_search"),
            models.Index(fields=["council", "-received_on", "-id"], name="letter_council_received"),
            # lists over a council and the councils below it (and the API) order across councils
            models.Index(fields=["-received_on", "-id"], name="letter_received"),
            models.Index(fields=["council", "kind", "-received_on"], name="letter_council_kind"),
            models.Index(fields=["council", "status", "-received_on"], name="letter_council_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "register_year", "register_seq"],
                name="letter_unique_register",
                violation_error_message=_("This register number is already used in this council's register."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=""),
                name="letter_has_kind",
                violation_error_message=_(
                    "Choose the kind of letter (complaint, denunciation, recommendation or reflection)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(signer_count__gte=0),
                name="letter_signers_nonneg",
                violation_error_message=_("The number of signers cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="denunciation") | Q(identity_protected=True) | Q(protection_lifted_at__isnull=False),
                name="letter_denunciation_protected",
                violation_error_message=_(
                    "A denunciation keeps its denouncer's identity protected unless the protection is lifted."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Letter %(number)s") % {"number": self.register_number})

    def get_absolute_url(self) -> str:
        return reverse("citizens:letter_detail", args=[self.pk])

    @property
    def is_protected(self) -> bool:
        """Its senders' identity is secret (Luật Tố cáo 2018, Điều 47): the stored state, which a
        change of kind never clears (see identity_protected)."""
        return self.identity_protected

    def build_search_text(self) -> str:
        text = super().build_search_text()
        if self.pk and not self.is_protected:
            parts = [p for s in self.senders.all() for p in (s.full_name, s.address)]
            text = " ".join(filter(None, [text, fold_parts(*parts)]))
        return text


class LetterSender(models.Model):
    """A sender (signer) of a letter. Protected identity when the letter is a denunciation."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="senders")
    full_name = models.CharField(_("full name"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)

    class Meta:
        verbose_name = _("sender")
        verbose_name_plural = _("senders")
        ordering = ["-is_representative", "id"]
        indexes = [models.Index(fields=["name_folded", "letter"], name="letter_sender_name")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)[:120]
        super().save(*args, **kwargs)


def _scan_path(instance, filename: str) -> str:
    return f"citizens/scans/{instance.letter.council_id}/{instance.letter_id}/{filename}"


class LetterScan(models.Model):
    """A scan of the letter (handwriting) — identity data, downloaded only through the
    protected view that checks the permission and logs the disclosure."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), upload_to=_scan_path)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]


class IdentityViewLog(models.Model):
    """Every disclosure of a protected identity: who, when, which letter or visit, how."""

    class Via(models.TextChoices):
        PAGE = "page", _("Detail page")
        EDIT = "edit", _("Edit form")
        API = "api", _("API")
        SCAN = "scan", _("Scan download")
        LIFT = "lift", _("Protection lifted")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), null=True, blank=True, on_delete=models.CASCADE, related_name="identity_views"
    )
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.CASCADE, related_name="identity_views"
    )
    via = models.CharField(_("via"), max_length=8, choices=Via.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity view")
        verbose_name_plural = _("identity views")
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["council", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {timezone.localtime(self.viewed_at):%d/%m/%Y %H:%M}"
