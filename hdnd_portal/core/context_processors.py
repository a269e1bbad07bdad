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
        "switchable_councils": request.access.councils().only("id", "name", "level", "parent_id", "dissolved_on")[:300],
    }
