from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ..deadlines import status_of
from ..htmltext import conditional_escape_text, escape_text

register = template.Library()


@register.simple_tag
def cell(column, obj):
    return column.display(obj)


@register.simple_tag
def object_url(url_name, obj):
    if not url_name:
        return ""
    try:
        return reverse(url_name, args=[obj.pk])
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def url_replace(context, **kwargs):
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def filter_fields(fields, column="col-6 col-md-4 col-xl-2", titled=True):
    """A list's filter bar: each field of `fields` (a form, or its visible_fields) as its label,
    widget and errors in a column, written in Python (core/list.html, voters/petition_list.html):
    the template's loop, its lookups and escaping per field cost as much as the widgets
    themselves. `titled`: the label carries its text as a title and is truncated to the column."""
    if fields is None:
        return ""
    label_css = "form-label small mb-0 text-truncate d-block" if titled else "form-label small mb-0"
    out = []
    for field in fields:
        label = conditional_escape_text(field.label)
        title = f' title="{label}"' if titled else ""
        errors = "".join(f'<div class="text-danger small">{conditional_escape_text(e)}</div>' for e in field.errors)
        out.append(
            f'\n    <div class="{column}">\n'
            f'      <label class="{label_css}" for="{conditional_escape_text(field.id_for_label)}"{title}>{label}</label>\n'
            f"      {field}\n"
            f"      {errors}\n"
            "    </div>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 — every label and error is escaped; widgets are safe HTML


@register.simple_tag
def column_headers(columns, sort="", sort_querystring=""):
    """A list's header cells (core/list.html, voters/petition_list.html): each column's label, a
    sortable one as a link that sorts by it (▲/▼ on the column sorted by, whose link reverses the
    order). Written in Python: the template's loop, with its three-way test and six lookups per
    column, cost more than the rows' fifty links."""
    prefix = f"?{escape_text(sort_querystring)}&" if sort_querystring else "?"
    out = []
    for column in columns:
        label = conditional_escape_text(column.label)
        key = column.sort
        if key:
            if sort == key:
                label = f'<a href="{prefix}sort=-{escape_text(key)}">{label} ▲</a>'
            elif sort == f"-{key}":
                label = f'<a href="{prefix}sort={escape_text(key)}">{label} ▼</a>'
            else:
                label = f'<a href="{prefix}sort={escape_text(key)}">{label}</a>'
        out.append(f'<th scope="col" class="{escape_text(column.css)}">{label}</th>')
    return mark_safe("\n    ".join(out))  # noqa: S308 — every label, key and query string is escaped


@register.filter
def deadline_badge(due, done=False):
    state = status_of(due, bool(done), timezone.localdate())
    return state


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def safe_url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# The switcher's options as written, per (rows, chosen council, language, day): the same rows come
# back on every page of a user (a province's councils), and writing them costs a millisecond.
_COUNCIL_OPTIONS: dict[tuple, str] = {}


@register.simple_tag
def council_options(rows, current):
    """The council switcher's <option>s from (id, name, level, dissolved_on) rows, written in
    Python: a template loop over a province's councils costs milliseconds on every page."""
    from ..models import Council

    rows = tuple(tuple(row) for row in rows)
    today = timezone.localdate()
    current_id = getattr(current, "id", None)
    key = (rows, current_id, get_language(), today)
    html = _COUNCIL_OPTIONS.get(key)
    if html is not None:
        return html
    dissolved = gettext("%(name)s (dissolved)")
    html = format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (pk, " selected" if pk == current_id else "",
             dissolved % {"name": name} if Council.historical(level, dissolved_on, today) else name)
            for pk, name, level, dissolved_on in rows
        ),
    )
    if len(_COUNCIL_OPTIONS) > 500:
        _COUNCIL_OPTIONS.clear()
    _COUNCIL_OPTIONS[key] = html
    return html


_APP_NAV: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def app_nav(context, template_name="core/_app_nav.html"):
    """The apps' menus (core/_app_nav.html) or the Directory menu (core/_directory_nav.html): the
    same for everyone with the same permissions on the same council, so rendered once per such key
    and reused — seven includes, seventy URLs and as many translations on every page otherwise.
    Not kept while DEBUG (templates change)."""
    perms = context.get("council_perms") or set()
    council = context.get("current_council")
    request = context.get("request")
    voter = "can_cast_vote" in perms and bool(request.access.deputy_ids()) if request is not None else False
    key = (
        template_name,
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        "*" if type(perms) is not set and "\0" in perms else frozenset(perms),  # a superuser holds every permission
        getattr(council, "id", None),
        voter,
    )
    html = _APP_NAV.get(key)
    if html is None:
        html = context.template.engine.get_template(template_name).render(context)
        if not settings.DEBUG:
            if len(_APP_NAV) > 2000:
                _APP_NAV.clear()
            _APP_NAV[key] = html
    return html
