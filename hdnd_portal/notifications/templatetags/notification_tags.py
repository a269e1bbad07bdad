from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from hdnd_portal.core.htmltext import escape_text
from hdnd_portal.core.views.generic import date_text, object_url_maker

from ..queries import bell

register = template.Library()

_BELL_ICON = (
    '<svg aria-hidden="true" width="18" height="18" viewBox="0 0 16 16" fill="currentColor" style="vertical-align:-3px">'
    '<path d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2zm.995-14.901a1 1 0 1 0-1.99 0A5.002 5.002 0 0 0 3 6c0 1.098-.5 '
    '6-2 7h14c-1.5-1-2-5.902-2-7 0-2.42-1.72-4.44-4.005-4.901z"/></svg>'
)

# The bell's fixed parts per (language, URLs, may manage reminders): its links and labels.
_FIXED: dict[tuple, dict[str, str]] = {}


def _fixed(can_manage: bool) -> dict[str, str]:
    # Its links depend on the URL configuration and the script prefix as well (as app_nav's do).
    key = (get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, can_manage)
    parts = _FIXED.get(key)
    if parts is None:
        deadlines = escape_text(reverse("notifications:my_deadlines"))
        links = [
            (reverse("notifications:list"), gettext("All notifications")),
            (reverse("notifications:my_deadlines"), gettext("My deadlines")),
            (reverse("notifications:settings"), gettext("E-mail notifications")),
        ]
        operations = (
            f'<li><a class="dropdown-item" href="{escape_text(reverse("notifications:operations"))}">'
            f"{escape_text(gettext('Reminder operations'))}</a></li>"
            if can_manage
            else ""
        )
        parts = _FIXED[key] = {
            "head": (
                f'\n<li class="nav-item">\n  <a class="nav-link" href="{deadlines}" id="nav-deadlines">'
                f"{escape_text(gettext('Deadlines'))}</a>\n</li>\n"
                '<li class="nav-item dropdown notification-bell">\n'
                '  <a class="nav-link dropdown-toggle position-relative" href="#" role="button" '
                'data-bs-toggle="dropdown" aria-expanded="false" id="bell-toggle"\n     aria-label="'
            ),
            "menu": (
                '\n  </a>\n  <ul class="dropdown-menu dropdown-menu-end shadow-sm" style="min-width: 22rem; max-width: 28rem;">\n'
                '    <li class="dropdown-header d-flex justify-content-between align-items-center">\n'
                f"      <span>{escape_text(gettext('Notifications'))}</span>\n      "
            ),
            "read_all": escape_text(reverse("notifications:read_all")),
            "mark_all": escape_text(gettext("Mark all as read")),
            "none": (
                '<li><span class="dropdown-item-text small text-muted">'
                f"{escape_text(gettext('No notifications.'))}</span></li>"
            ),
            "foot": '\n    <li><hr class="dropdown-divider"></li>\n'
            + "".join(
                f'    <li><a class="dropdown-item" href="{escape_text(url)}">{escape_text(label)}</a></li>\n'
                for url, label in links
            )
            + f"    {operations}\n  </ul>\n</li>\n\n",
        }
    return parts


def bell_html(request, unread: int, latest: list, can_manage: bool) -> SafeString:
    """The navbar's deadlines link and bell: the unread count, "mark all as read" and the latest
    notifications, written in Python as the list rows are (core.views.generic.rows_html): an
    included template with its tags and links cost more than the bell's one query."""
    fixed = _fixed(can_manage)
    lang = get_language()
    label = ngettext("%(n)s unread notification", "%(n)s unread notifications", unread) % {"n": unread}
    out = [fixed["head"], escape_text(label), '">\n    ', _BELL_ICON]
    if unread:
        out.append(f'<span class="badge rounded-pill bg-warning text-dark ms-1" id="bell-count">{unread}</span>')
    out.append(fixed["menu"])
    if unread:
        out += [
            f'\n      <form method="post" action="{fixed["read_all"]}" class="m-0">',
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape_text(get_token(request))}">\n',
            f'        <input type="hidden" name="next" value="{escape_text(request.get_full_path())}">\n',
            f'        <button type="submit" class="btn btn-link btn-sm p-0">{fixed["mark_all"]}</button>\n',
            "      </form>\n      ",
        ]
    out.append("\n    </li>\n    ")
    if latest:
        note_url = object_url_maker("notifications:open")
        for note in latest:
            weight = "" if note.read_at else " fw-semibold"
            created = date_text(timezone.localtime(note.created_at), "SHORT_DATETIME_FORMAT", lang)
            out.append(
                f'\n    <li><a class="dropdown-item text-wrap small{weight}" href="{escape_text(note_url(note.pk))}">\n'
                f"      {escape_text(Truncator(note.title).chars(110))}<br>"
                f'<span class="text-muted">{created}</span></a></li>\n    '
            )
    else:
        out.append("\n    " + fixed["none"] + "\n    ")
    out.append(fixed["foot"])
    return mark_safe("".join(out))  # noqa: S308 — every text and link above is escaped


@register.simple_tag(takes_context=True)
def notification_bell(context) -> str:
    """The navbar bell: unread count and the latest notifications (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # A superuser's permissions are an empty set that holds everything (scoping._AllPermissions):
    # ask it, never replace it by "or set()".
    perms = context.get("council_perms")
    can_manage = perms is not None and "can_manage_reminders" in perms
    return bell_html(request, **bell(user), can_manage=can_manage)
