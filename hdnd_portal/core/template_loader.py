"""The portal's template loader: Django's cached loader, which also marks the tags whose output is
the same on every page view — `{% translate "Log out" %}`, `{% url 'logout' %}`,
`{% static 'css/portal.css' %}` with nothing but a literal — to be worked out once per process.

Every page's frame (base.html, core/list.html) holds some thirty of them: each translation looked
up, each URL reversed, each static path joined again on every request cost about 0.45 ms of a
list page's 6. What their output depends on is the key of the copy each one holds: the active
language and autoescaping (a translation); the language, script prefix, URLconf and current
application (a URL); the static URL and storage (a static file). A tag with anything else — a
variable, a filter, an argument, `as name`, a message context — is left as Django renders it."""

from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

HELD_MAX = 64  # copies a node keeps (languages × prefixes × URLconfs): more means keys that churn


class _Held:
    """render() of the node, kept per key (`held_key`); a new key past HELD_MAX starts afresh."""

    def render(self, context):
        key = self.held_key(context)
        held = self.__dict__.get("_held")
        if held is None:
            held = self._held = {}
        try:
            return held[key]
        except KeyError:
            value = super().render(context)
            if len(held) >= HELD_MAX:
                held.clear()
            held[key] = value
            return value


class HeldTranslateNode(_Held, TranslateNode):
    def held_key(self, context):
        return get_language(), context.autoescape


class HeldURLNode(_Held, URLNode):
    def held_key(self, context):
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return get_language(), get_script_prefix(), urlconf, current_app, context.autoescape


class HeldStaticNode(_Held, StaticNode):
    def held_key(self, context):
        storage = settings.STORAGES.get("staticfiles", {}).get("BACKEND")
        return settings.STATIC_URL, storage, context.autoescape


def _literal(expression) -> bool:
    """A FilterExpression that is a quoted string and nothing else."""
    return not expression.filters and isinstance(expression.var, str) and not expression.is_var


def held_class(node) -> type | None:
    """The held variant for a node whose output depends on nothing in the context, else None."""
    kind = type(node)
    if kind is TranslateNode:
        variable = node.filter_expression.var
        literal = getattr(variable, "literal", None)
        if node.asvar is None and node.message_context is None and not node.filter_expression.filters and (
            isinstance(literal, str)
        ):
            return HeldTranslateNode
    elif kind is URLNode:
        if not node.args and not node.kwargs and node.asvar is None and _literal(node.view_name):
            return HeldURLNode
    elif kind is StaticNode:
        if node.varname is None and _literal(node.path):
            return HeldStaticNode
    return None


def hold_constant_nodes(nodelist) -> int:
    """Give every constant tag of `nodelist` (and of the blocks, ifs and loops inside it) its held
    variant; the number changed."""
    changed = 0
    for kind in (TranslateNode, URLNode, StaticNode):
        for node in nodelist.get_nodes_by_type(kind):
            held = held_class(node)
            if held is not None:
                node.__class__ = held
                changed += 1
    return changed


class Loader(cached.Loader):
    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "constants_held", False):
            hold_constant_nodes(template.nodelist)
            template.constants_held = True
        return template
