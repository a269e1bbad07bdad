from django import template

from ..queries import bell

register = template.Library()


@register.inclusion_tag("notifications/_bell_menu.html", takes_context=True)
def notification_bell(context):
    """The navbar bell: unread count and the latest notifications (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    perms = context.get("council_perms") or set()
    return {"show": True, "request": request, "can_manage": "can_manage_reminders" in perms, **bell(user)}
