"""E-mails to citizens who follow the public site: the confirmation and the digest."""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def _url(path: str) -> str:
    from hdnd_portal.notifications.services.mail import portal_url

    return portal_url() + path


def send_confirmation(subscription) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "s": subscription,
            "confirm_url": _url(reverse("public:confirm", args=[subscription.token])),
            "council_name": subscription.council.name,
        }
        body = render_to_string("public/emails/confirm.txt", context)
        message = EmailMultiAlternatives(
            subject=_("Please confirm your subscription to the People's Council of %(name)s")
            % {"name": subscription.council.name},
            body=body, to=[subscription.email],
        )
        message.send()


def send_digest(subscription, items: list[dict], since: datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = _url(reverse("public:unsubscribe", args=[subscription.token]))
        context = {"s": subscription, "items": items, "since": since, "unsubscribe_url": unsubscribe,
                   "council_name": subscription.council.name}
        body = render_to_string("public/emails/digest.txt", context)
        message = EmailMultiAlternatives(
            subject=_("New on the transparency site of the People's Council of %(name)s")
            % {"name": subscription.council.name},
            body=body, to=[subscription.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        message.send()
