"""Confidence votes (lấy phiếu tín nhiệm): once per term, percentages against the deputies sitting
on the day, thresholds and applicability from the rules table (oversight.services.confidence)."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import PortalModel, SearchableModel
from hdnd_portal.core.search import search_index

from .constraints import check


class ConfidenceVote(SearchableModel):
    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="confidence_votes"
    )
    council_session = models.ForeignKey(
        "council_sessions.CouncilSession",
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confidence_votes",
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    total_deputies = models.PositiveSmallIntegerField(
        _("total number of deputies"),
        editable=False,
        help_text=_("The deputies sitting on the day of the vote; percentages are counted against this total"),
    )
    ballots_issued = models.PositiveSmallIntegerField(_("ballots issued"))
    ballots_returned = models.PositiveSmallIntegerField(_("ballots returned"))
    resolution_number = models.CharField(_("confirming resolution"), max_length=60, blank=True)
    search_fields = ("title", "resolution_number")

    class Meta:
        verbose_name = _("confidence vote")
        verbose_name_plural = _("confidence votes")
        ordering = ["-held_on", "-id"]
        indexes = [search_index("confidencevote_search")]
        constraints = [
            check(
                condition=Q(ballots_issued__lte=F("total_deputies")),
                name="cv_issued_le_total",
                message=_("More ballots were issued than there are deputies."),
                field="ballots_issued",
            ),
            check(
                condition=Q(ballots_returned__lte=F("ballots_issued")),
                name="cv_returned_le_issued",
                message=_("More ballots were returned than were issued."),
                field="ballots_returned",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:confidence_detail", args=[self.pk])


class ConfidenceSubject(PortalModel):
    """One person rated in a confidence vote, with the counts of each level."""

    class FormalResult(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        PENDING = "pending", _("Formal vote pending")
        CONFIDENCE = "confidence", _("Confidence")
        NO_CONFIDENCE = "no_confidence", _("No confidence")

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    vote = models.ForeignKey(
        ConfidenceVote, verbose_name=_("confidence vote"), on_delete=models.CASCADE, related_name="subjects"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    post = models.CharField(_("post"), max_length=200)
    deputy = models.ForeignKey(
        "core.Deputy", verbose_name=_("deputy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField(_("elected or appointed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    valid_ballots = models.PositiveSmallIntegerField(_("valid ballots"))
    high = models.PositiveSmallIntegerField(_("high confidence"))
    confidence = models.PositiveSmallIntegerField(_("confidence"))
    low = models.PositiveSmallIntegerField(_("low confidence"))
    resigned = models.BooleanField(
        _("resigned after the vote"), default=False,
        help_text=_("Rated low by more than half and resigned: no formal vote of confidence is put"),
    )
    may_resign = models.BooleanField(_("more than half low"), default=False, editable=False)
    requires_formal_vote = models.BooleanField(_("formal vote of confidence required"), default=False, editable=False)
    requires_dismissal = models.BooleanField(
        _("two thirds or more low: dismissal to be submitted"), default=False, editable=False
    )
    formal_result = models.CharField(
        _("formal vote of confidence"), max_length=16, choices=FormalResult.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("subject of the vote")
        verbose_name_plural = _("subjects of the vote")
        ordering = ["vote", "order", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.post}"
