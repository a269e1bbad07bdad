"""Council sessions (kỳ họp) and everything prepared, held and decided in them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Council, SearchableModel, Term
from hdnd_portal.core.search import search_index


class CouncilSession(SearchableModel):
    """A council session (kỳ họp), numbered within its term: "Kỳ họp thứ 12"."""

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
    notice_text = models.TextField(_("convening notice"), blank=True)
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
            models.Index(fields=["council", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["council", "term", "number"], name="session_unique_number"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="session_planned_ordered"),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="session_actual_ordered",
            ),
        ]

    def __str__(self) -> str:
        label = _("Session %(number)s") % {"number": self.number}
        return f"{label} — {self.title}" if self.title else str(label)

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end
