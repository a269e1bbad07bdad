from django.contrib import messages
from django.utils.translation import gettext as _

from . import outbox

# Tasks whose delay deserves its own sentence; every other deferred job gets the general one.
_MESSAGES = {
    "hdnd_portal.reports.tasks.generate_report": lambda: _(
        "The queue server cannot be reached right now; the report will be generated when the connection is back."
    ),
}


class OutboxMessageMiddleware:
    """Tells the user, in a page message, when work this request queued is waiting for Redis
    (the data is saved; the job is in the outbox). Must come after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with outbox.watch() as deferred:
            response = self.get_response(request)
        if deferred and not request.path.startswith("/api/"):
            text = next((_MESSAGES[name]() for name in deferred if name in _MESSAGES), None) or _(
                "The queue server cannot be reached right now; the work will be done when the connection is back."
            )
            messages.warning(request, text, fail_silently=True)
        return response
