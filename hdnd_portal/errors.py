"""Error responses: the Vietnamese pages (templates/400–500.html) for people, JSON under /api/ for
programs (DRF already answers its own errors in JSON; these cover what reaches Django's handlers)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/") and not request.path.startswith("/api/docs/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"message": _("The request could not be understood")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"message": _("You do not have permission to do this on this council.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"message": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"message": _("Something went wrong on the server")}, status=500)
    return defaults.server_error(request)  # 500.html, rendered without the request context
