"""Session documents (tài liệu kỳ họp) with versions and read receipts, and verification (thẩm tra)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Body, Council, Deputy, SearchableModel, User
from hdnd_portal.core.search import search_index

from .session import TEXT_LIMIT, AgendaItem, CouncilSession


class SessionDocument(SearchableModel):
    """A document of a session: submission, report, verification report, draft resolution…"""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission (TTr)")
        REPORT = "report", _("Report (BC)")
        VERIFICATION_REPORT = "verification_report", _("Verification report")
        DRAFT_RESOLUTION = "draft_resolution", _("Draft resolution")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        DEPUTIES = "deputies", _("Deputies only")
        PUBLIC_AFTER = "public_after", _("Deputies; public after the session")
        PUBLIC = "public", _("Public")

    # Numbered kinds and the document type in their number ("12/TTr-UBND", "05/BC-HĐND").
    NUMBER_TYPES = {Kind.SUBMISSION: "TTr", Kind.REPORT: "BC", Kind.VERIFICATION_REPORT: "BC"}

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.PROTECT, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(
        _("issuing body"),
        max_length=40,
        default="HĐND",
        help_text=_("Abbreviation used in the number, e.g. HĐND, UBND, KTNS"),
    )
    number = models.CharField(
        _("register number"),
        max_length=60,
        blank=True,
        help_text=_("Given by the portal only to documents the council itself issues"),
    )
    external_number = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("As printed on the document by its issuer, e.g. 08/TTr-UBND"),
    )
    external_date = models.DateField(_("date on the document"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    doc_date = models.DateField(_("document date"))
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC_AFTER
    )
    sent_at = models.DateTimeField(_("sent to deputies at"), null=True, blank=True)
    current_version = models.PositiveSmallIntegerField(_("current version"), default=0, editable=False)
    search_fields = ("number", "external_number", "title", "issuer")

    class Meta:
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")
        ordering = ["session", "kind", "pk"]
        indexes = [
            search_index("sessiondocument_search"),
            models.Index(fields=["council", "doc_date"]),
            models.Index(fields=["session", "kind"]),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sessions:document_detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.shown_number} — {self.title}" if self.shown_number else self.title

    @property
    def shown_number(self) -> str:
        """The number printed everywhere: the issuer's own number when entered, else the portal's
        register number (only documents the council issues have one); never invented."""
        return self.external_number or self.number

    @property
    def shown_date(self):
        return self.external_date or self.doc_date

    def is_public(self) -> bool:
        if self.visibility == self.Visibility.PUBLIC:
            return True
        return self.visibility == self.Visibility.PUBLIC_AFTER and self.session.status == CouncilSession.Status.CLOSED


def version_upload_to(instance, filename: str) -> str:
    return f"sessions/documents/{instance.document.council_id}/{instance.document_id}/v{instance.number}-{filename}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; a new version supersedes the previous one (kept)."""

    document = models.ForeignKey(SessionDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="docversion_unique_number",
                violation_error_message=_("Another version was uploaded meanwhile; reload the page and try again."),
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.original_name}"


class DocumentRead(models.Model):
    """Read receipt: when a deputy first (and last) opened a document."""

    document = models.ForeignKey(SessionDocument, on_delete=models.CASCADE, related_name="reads")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(_("first opened at"))
    last_read_at = models.DateTimeField(_("last opened at"))
    version_read = models.PositiveSmallIntegerField(_("version opened"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "deputy"],
                name="docread_unique",
                violation_error_message=_("The read receipt of this deputy already exists."),
            )
        ]
        indexes = [models.Index(fields=["deputy", "document"])]


class Verification(SearchableModel):
    """A committee's examination (thẩm tra) of a submission, due before the session opens."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Report issued")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.PROTECT, related_name="verifications"
    )
    submission = models.ForeignKey(
        SessionDocument, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="verifications"
    )
    committee = models.ForeignKey(Body, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    assigned_on = models.DateField(_("assigned on"))
    due_date = models.DateField(_("due date"), editable=False)
    report = models.ForeignKey(
        SessionDocument,
        verbose_name=_("verification report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=TEXT_LIMIT)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    search_fields = ("submission__title", "submission__number", "committee__name", "conclusion")

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["due_date", "pk"]
        indexes = [search_index("verification_search"), models.Index(fields=["council", "due_date"])]

    def get_absolute_url(self) -> str:
        return reverse("sessions:verification_detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.committee} — {self.submission.title}"
