"""Telling deputies about the petitions they took: when one is answered, and when the target
date an agency promised has passed. E-mail to the users linked to those deputies; the target
scan claims each petition with a compare-and-set update so a deputy is told once, ever."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.models import CouncilRole

from .models import Petition


def _recipients(petition: Petition) -> list[str]:
    deputy_ids = list(petition.deputies.values_list("id", flat=True))
    return sorted(
        set(
            CouncilRole.objects.filter(role=CouncilRole.Role.DEPUTY, deputy_id__in=deputy_ids, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def notify_answered(*, petition_id: int) -> int:
    """E-mail and the bell: the deputies who took the petition learn the agency's answer."""
    from hdnd_portal.notifications.services.notices import notice_send, users_of_deputies

    petition = Petition.objects.select_related("agency", "council").get(pk=petition_id)
    notice_send(
        users=users_of_deputies(petition.deputies.values_list("id", flat=True)), council=petition.council,
        title=_("%(agency)s answered petition %(p)s") % {"agency": petition.agency, "p": petition},
        url=reverse("voters:petition_detail", args=[petition.pk]),
    )
    to = _recipients(petition)
    if not to:
        return 0
    subject = _("A petition you took has been answered")
    body = _("%(agency)s answered petition %(p)s: %(status)s.\n%(text)s\n\n%(url)s") % {
        "agency": petition.agency,
        "p": petition,
        "status": petition.get_status_display(),
        "text": petition.response_text[:1000],
        "url": reverse("voters:petition_detail", args=[petition.pk]),
    }
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in to])


def notify_target_dates_passed(*, today: date | None = None) -> int:
    """State-based scan (a missed run catches up): petitions being resolved whose target date
    has passed, each reported once."""
    today = today or timezone.localdate()
    sent = 0
    due = Petition.objects.filter(
        status=Petition.Status.IN_PROGRESS, target_date__lt=today, target_notice_sent_on__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due[:500]):
        if Petition.objects.filter(pk=pk, target_notice_sent_on__isnull=True).update(target_notice_sent_on=today) != 1:
            continue  # claimed by a concurrent run
        petition = Petition.objects.select_related("agency").get(pk=pk)
        to = _recipients(petition)
        if to:
            subject = _("The target date of a petition you took has passed")
            body = _("%(agency)s promised to resolve petition %(p)s by %(date)s; it is still being resolved.") % {
                "agency": petition.agency,
                "p": petition,
                "date": petition.target_date.strftime("%d/%m/%Y"),
            }
            sent += send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in to])
    return sent


def notify_forwarded(*, letter, count: int) -> int:
    """The agency's responders find the petitions forwarded to them in their bell."""
    from hdnd_portal.notifications.services.notices import notice_send, users_of_agency

    return notice_send(
        users=users_of_agency(letter.agency_id), council=letter.council,
        title=_("%(n)s petition(s) forwarded to %(agency)s by letter %(number)s")
        % {"n": count, "agency": letter.agency, "number": letter.number},
        url=reverse("voters:petition_list"),
    )
