from django.conf import settings


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME}
    council = request.council
    perms = request.access.perms(council.id) if council else set()
    return {
        "portal_name": settings.PORTAL_NAME,
        "current_council": council,
        "council_perms": perms,
        "switchable_councils": switchable_councils(request.access),
    }


def switchable_councils(access):
    """The councils of the switcher as (id, name, level, dissolved_on) rows, read when the page
    prints them; none (no query) when the user can see a single council: no switcher then."""
    ids = access.visible_council_ids()
    if ids is not None and len(ids) <= 1:
        return []
    loaded = access.switchable_councils()
    if loaded is not None:
        return loaded[:300]
    return access.councils().values_list("id", "name", "level", "dissolved_on")[:300]
