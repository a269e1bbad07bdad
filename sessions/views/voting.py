"""Electronic voting pages: open a poll, the poll page (chair's live tally / deputy's ballot),
the tally as JSON for polling, cast, close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from .. import services
from ..forms import PollOpenForm
from ..models import AgendaItem, Choice, Poll, PollBallot, PollParticipation, Vote
from .base import ObjectActionView, run_form_action


class PollOpen(CouncilObjectMixin, TemplateView):
    """Open a poll on an agenda item (the session page's "Open poll" button posts here). Refused
    (here, beside its field) when the day's attendance shows no quorum, unless confirmed with a
    reason — the service decides, as for the API."""

    model = AgendaItem
    permission = "can_run_poll"
    template_name = "sessions/poll_open.html"

    def get_queryset(self):
        return AgendaItem.objects.select_related("session", "session__council")

    def get_context_data(self, form=None, **kwargs):
        item = self.get_object()
        return {
            "form": form or PollOpenForm(initial={"method": Vote.Method.OPEN}),
            "item": item,
            "session": item.session,
            "title": _("Open an electronic poll"),
            # Said before opening: today's attendance does not make the quorum.
            "quorum": services.session_quorum(session=item.session, day=timezone.localdate()),
        }

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        form = PollOpenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved, poll = run_form_action(
                form,
                lambda: services.poll_open(
                    agenda_item=item,
                    user=request.user,
                    method=data["method"],
                    confirm_without_quorum=data["confirm_without_quorum"],
                    quorum_reason=data["quorum_reason"],
                ),
            )
            if saved:
                messages.success(request, _("The poll is open."))
                return HttpResponseRedirect(poll.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class PollView(CouncilObjectMixin):
    """Anyone with can_view_session on the poll's council reaches it; acting needs more. Every
    count shown comes from services.poll_tally, which hides a secret poll's choices until closing."""

    permission = "can_view_session"

    def get_queryset(self):
        return Poll.objects.select_related("agenda_item", "session", "vote", "counter")


class PollDetail(PollView, TemplateView):
    template_name = "sessions/poll_detail.html"

    def get_context_data(self, **kwargs):
        poll = self.get_object()
        access = self.request.access
        deputy = seat = None
        voter_message = None
        if access.has(poll.council_id, "can_cast_vote"):
            try:
                deputy = seat = services.poll_voter(poll=poll, user=self.request.user)
            except services.NotSitting as error:
                # A former deputy: no ballot, but the reason, and their own past vote if any.
                voter_message, seat = error.message, error.deputy
            except services.NotAVoter:
                deputy = None
        participation = PollParticipation.objects.filter(poll=poll, deputy=seat).first() if seat else None
        my_choice = None
        if participation and not poll.is_secret:
            ballot = PollBallot.objects.filter(poll=poll, deputy=seat).first()
            my_choice = ballot.get_choice_display() if ballot else None
        can_run = access.has(poll.council_id, "can_run_poll")
        return {
            "poll": poll,
            "session": poll.session,
            "item": poll.agenda_item,
            "tally": services.poll_tally(poll),
            "deputy": deputy,
            "seat": seat,
            "voter_message": voter_message,
            "participation": participation,
            "my_choice": my_choice,
            "choices": Choice.choices,
            "can_run": can_run,
            "title": str(poll.agenda_item),
            "ballots": list(poll.ballots.select_related("deputy").order_by("deputy__sort_key", "deputy_id"))
            if can_run and not poll.is_secret
            else None,
        }


class PollTally(PollView, TemplateView):
    def get(self, request, *args, **kwargs):
        return JsonResponse(services.poll_tally(self.get_object()))


class PollCast(PollView, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        poll = self.get_object()
        if not request.access.has(poll.council_id, "can_cast_vote"):
            raise PermissionDenied("can_cast_vote")
        try:
            # The service decides who the user votes as (their own seat on this poll's list).
            services.poll_cast(poll=poll, user=request.user, choice=request.POST.get("choice", ""))
        except services.NotSitting as error:
            # The deputy's mandate has ended: the reason on the page, no vote.
            messages.error(request, error.message)
        except services.NotAVoter as error:
            raise PermissionDenied(error.message) from None
        except services.AlreadyVoted as error:
            messages.warning(request, error.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your vote is recorded."))
        return HttpResponseRedirect(poll.get_absolute_url())


class PollClose(ObjectActionView):
    model = Poll
    permission = "can_run_poll"

    def act(self, poll):
        vote = services.poll_close(poll=poll, user=self.request.user)
        return _("The poll is closed: passed.") if vote.passed else _("The poll is closed: not passed.")
