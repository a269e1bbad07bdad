"""Electronic voting: a poll on an agenda item, opened and closed by the secretary.

Who voted (PollParticipation) is stored apart from what was chosen. An open vote keeps each
deputy's choice and time (PollBallot). A secret ballot keeps no time per deputy (only the poll's
own opened/closed times) and only increments anonymous counters (PollCounter, a table without
history and without timestamps), so no deputy↔choice or deputy↔moment link exists anywhere; the
counters are shown only once the poll is closed. The deputies entitled to vote are frozen when
the poll opens (PollEntitlement)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import Council, Deputy, PortalModel, User

from .resolutions import Vote
from .session import AgendaItem, CouncilSession, Threshold


class Choice(models.TextChoices):
    YES = "yes", _("In favour")
    NO = "no", _("Against")
    NOT_VOTING = "not_voting", _("Not voting")


class Poll(PortalModel):
    class State(models.TextChoices):
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Voting closed")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("council session"), on_delete=models.PROTECT, related_name="polls"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="polls"
    )
    method = models.CharField(_("method"), max_length=8, choices=Vote.Method.choices, default=Vote.Method.OPEN)
    threshold = models.CharField(_("threshold"), max_length=16, choices=Threshold.choices, default=Threshold.MAJORITY)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entitled_count = models.PositiveSmallIntegerField(_("entitled deputies"), null=True, blank=True, editable=False)
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="poll", editable=False
    )
    # The quorum judged when the poll opened, from the day's attendance (None: attendance not
    # recorded then). The vote recorded at closing carries these figures and the reason.
    present_deputies = models.PositiveSmallIntegerField(
        _("deputies present (attendance)"), null=True, blank=True, editable=False
    )
    quorum_total = models.PositiveSmallIntegerField(
        _("deputies of the council (attendance)"), null=True, blank=True, editable=False
    )
    quorum_required = models.PositiveSmallIntegerField(
        _("deputies present required (two thirds)"), null=True, blank=True, editable=False
    )
    quorum_override_reason = models.CharField(
        _("reason for opening without the quorum"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("electronic poll")
        verbose_name_plural = _("electronic polls")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item"],
                condition=Q(state="open"),
                name="poll_one_open_per_item",
                violation_error_message=_("A poll on this item is already open."),
            ),
        ]
        indexes = [models.Index(fields=["session", "state"])]

    def get_absolute_url(self) -> str:
        return reverse("sessions:poll_detail", args=[self.pk])

    def __str__(self) -> str:
        return str(self.agenda_item)

    @property
    def is_secret(self) -> bool:
        return self.method == Vote.Method.SECRET

    @property
    def quorum_met(self) -> bool | None:
        if self.present_deputies is None or self.quorum_required is None:
            return None
        return self.present_deputies >= self.quorum_required

    @property
    def opened_without_quorum(self) -> bool:
        return self.quorum_met is False

    @property
    def counts_hidden(self) -> bool:
        """A secret poll's per-choice counts stay hidden until it is closed."""
        return self.is_secret and self.state == self.State.OPEN


class PollCounter(models.Model):
    """The poll's anonymous running counts: no history, no timestamp, changed only by queryset
    updates (F() + 1), so the order and moment of each choice are never recorded."""

    poll = models.OneToOneField(Poll, primary_key=True, on_delete=models.CASCADE, related_name="counter")
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    not_voting = models.PositiveSmallIntegerField(default=0)

    @property
    def voted(self) -> int:
        return self.yes + self.no + self.not_voting


class PollEntitlement(models.Model):
    """The deputies entitled to vote, frozen when the poll opens: only they may vote, and their
    number is the base of the result."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="entitlements")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "deputy"],
                name="poll_entitlement_unique",
                violation_error_message=_("The deputy is already on the poll's list of voters."),
            )
        ]


class PollParticipation(models.Model):
    """That a deputy voted — never what (one per deputy per poll). `voted_at` only for an open
    vote; a secret ballot stores no time (the poll's opened/closed times bound it)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "deputy"],
                name="poll_participation_unique",
                violation_error_message=_("You have already voted in this poll; your first vote stands."),
            )
        ]


class PollBallot(models.Model):
    """An open vote's choice with its deputy and time. Never created for a secret ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=12, choices=Choice.choices)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "deputy"],
                name="poll_ballot_unique",
                violation_error_message=_("You have already voted in this poll; your first vote stands."),
            )
        ]
