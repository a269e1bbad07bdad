"""API throttling (rates: settings.REST_FRAMEWORK DEFAULT_THROTTLE_RATES, from the environment) and
its Vietnamese 429 answer. DRF formats the wait into its English sentence before translating it, so
the message is replaced here; every other error goes on to the core API handler."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled

from .api import exception_handler as core_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Throttled):
        wait = math.ceil(exc.wait or 0)
        minutes = max(1, math.ceil(wait / 60))
        exc.detail = ngettext(
            "Too many requests. Try again in %(minutes)d minute.",
            "Too many requests. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes} if wait else _("Too many requests. Try again later.")
    return core_exception_handler(exc, context)
