from collections.abc import Callable

from django.utils.functional import SimpleLazyObject

from .refcache import read_with_tables
from .scoping import get_access

SESSION_KEY = "current_council_id"

# Version keys of a signed-in user that other apps read on its pages (the notifications bell:
# notifications/apps.py), read in the same Redis round trip as the reference tables' numbers.
USER_VERSION_KEYS: list[Callable[[int], str]] = []


def resolve_council(request):
    """The council the user is working on: the one chosen in the switcher if still allowed,
    otherwise the first council they hold a role on."""
    if not request.user.is_authenticated:
        return None
    access = get_access(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        # The chosen council is read only when it is not one of the role councils already loaded
        # (and only then is the queryset of the user's councils built: it costs a millisecond).
        for role in access.roles:
            if role.council_id == chosen and role.council.is_active:
                return role.council
        council = access.councils().filter(pk=chosen).first()
        if council:
            return council
    role = access.roles[0] if access.roles else None
    if role:
        return role.council
    return access.councils().order_by("level", "name").first() if request.user.is_superuser else None


class CurrentCouncilMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if USER_VERSION_KEYS and request.user.is_authenticated:
            read_with_tables(*(key_of(request.user.pk) for key_of in USER_VERSION_KEYS))
        request.access = SimpleLazyObject(lambda: get_access(request.user))
        request.council = SimpleLazyObject(lambda: resolve_council(request))
        return self.get_response(request)
