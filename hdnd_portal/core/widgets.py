"""Form widgets shared by every app.

SearchableSelectMultiple renders an ordinary ``<select multiple>`` (it works as it is without
JavaScript) marked with ``data-searchable``; static/js/portal.js turns it into a type-to-filter
list of checkboxes with chips of the chosen items (accents ignored: "nguyen van" finds
"Nguyễn Văn"). The labels the script shows come from the attributes set here, so they are
translated on the server like every other string.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multi-select for long lists (94 deputies, every agency of a province)."""

    def __init__(self, attrs=None, choices=()):
        base = {
            "class": "form-select",
            "size": 8,
            "data-searchable": "",
            "data-search-label": _("Type to filter"),
            "data-search-placeholder": _("Type part of a name, accents optional…"),
            "data-none-label": _("Nothing matches."),
            "data-remove-label": pgettext_lazy("take a chosen item off the list", "Remove"),
            "data-chosen-label": _("Chosen: %(n)s of %(total)s"),
            "data-all-label": _("Choose all shown"),
            "data-clear-label": _("Clear the choice"),
        }
        super().__init__(attrs={**base, **(attrs or {})}, choices=choices)


def agency_label(agency) -> str:
    """An agency as offices write it in a choice: the full name, the abbreviation after it."""
    name, short = agency.name, agency.short_name
    return f"{name} ({short})" if short and short.lower() not in name.lower() else name


def use_searchable(field: forms.Field) -> None:
    """Give a multiple-choice field the searchable widget (keeping its attributes but the list
    height, which the script replaces), and agencies their full names in any choice field."""
    from .models import Agency

    queryset = getattr(field, "queryset", None)
    if queryset is not None and queryset.model is Agency:
        field.label_from_instance = agency_label
    widget = field.widget
    if isinstance(widget, forms.SelectMultiple) and not isinstance(widget, SearchableSelectMultiple):
        attrs = {k: v for k, v in widget.attrs.items() if k != "size"}
        new = SearchableSelectMultiple(attrs=attrs)
        new.choices = field.choices
        new.is_required = field.required
        field.widget = new


# --- Selects written in Python -------------------------------------------------------------------
# Django renders a <select> with one template render per <option> (select_option.html, attrs.html):
# a list page's filter bar with a few hundred options spends tens of milliseconds there. A select
# that uses Django's own templates is written here instead, to the same HTML.

_SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _attrs_html(attrs: dict) -> str:
    from django.utils.html import format_html

    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import conditional_escape, format_html
        from django.utils.safestring import mark_safe

        if _plain_options(type(self)):
            return self._render_plain(name, value, attrs)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts += ["\n  ", format_html('<option value="{}"', option["value"]), _attrs_html(option["attrs"]),
                          ">", conditional_escape(option["label"]), "</option>\n"]  # select_option.html's newline
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


    def _render_plain(self, name, value, attrs):
        """The same HTML straight from the choices, for a select whose options carry no attributes
        but `selected` (Django's Select: optgroups/create_option build a dict per option first)."""
        from django.utils.safestring import mark_safe

        from .htmltext import conditional_escape_text, escape_text

        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = widget["value"]
        parts = [f'<select name="{escape_text(widget["name"])}"', _attrs_html(widget["attrs"]), ">"]
        has_selected = False
        choices = self.choices
        held = getattr(choices, "held_html", None)
        held = held() if held is not None else None
        if held is not None:
            # A directory's options held by this process, escaped once (core.filters.HeldChoices).
            if choices.field.empty_label is not None:
                choices = [("", choices.field.empty_label)]
            else:
                choices = []
        for option_value, option_label in choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                parts.append(f'\n  <optgroup label="{conditional_escape_text(option_value)}">')
            for sub_value, sub_label in option_label if grouped else ((option_value, option_label),):
                selected = (not has_selected or self.allow_multiple_selected) and str(sub_value) in chosen
                has_selected |= selected
                parts += ['\n  <option value="', escape_text(sub_value), '" selected>' if selected else '">',
                          conditional_escape_text(sub_label), "</option>\n"]
            if grouped:
                parts.append("\n  </optgroup>")
        for text, opening, rest in held or ():
            selected = (not has_selected or self.allow_multiple_selected) and text in chosen
            has_selected |= selected
            parts += [opening, '" selected>' if selected else '">', rest]
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value and label above is escaped


def _plain_options(cls) -> bool:
    """Whether the select builds its options the way Django's Select does, untouched."""
    from django.forms.widgets import ChoiceWidget

    return (
        cls.get_context is forms.Select.get_context
        and cls.optgroups is ChoiceWidget.optgroups
        and cls.create_option is ChoiceWidget.create_option
        and not cls.option_inherits_attrs
        and cls.format_value is forms.Select.format_value
    )


_QUICK_CLASSES: dict[type, type] = {}


# Django's <input> widgets whose template is input.html and nothing else (text.html, date.html…).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "date", "datetime", "time", "number", "email", "url", "search", "tel",
                 "password", "hidden", "color", "checkbox")
)


class QuickInputMixin:
    """input.html and attrs.html written in Python: a filter bar's two date fields cost three
    template renders each (the widget's, input.html's, attrs.html's) otherwise."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.safestring import mark_safe

        from .htmltext import conditional_escape_text, escape_text

        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{conditional_escape_text(value)}"'
        return mark_safe(  # noqa: S308 — the type, name, value and attributes are escaped
            f'<input type="{escape_text(widget["type"])}" name="{escape_text(widget["name"])}"{shown}'
            f'{_attrs_html(widget["attrs"])}>'
        )


def quick_input(widget) -> None:
    """Make an <input> widget that Django would render with input.html render in Python."""
    cls = type(widget)
    if isinstance(widget, QuickInputMixin) or not isinstance(widget, forms.widgets.Input):
        return
    if widget.template_name not in _INPUT_TEMPLATES or cls.render is not forms.Widget.render:
        return
    if cls not in _QUICK_CLASSES:
        _QUICK_CLASSES[cls] = type(f"Quick{cls.__name__}", (QuickInputMixin, cls), {})
    widget.__class__ = _QUICK_CLASSES[cls]


def quick_select(widget) -> None:
    """Make a select widget that Django would render with its own templates render in Python."""
    cls = type(widget)
    if isinstance(widget, QuickSelectMixin) or not isinstance(widget, forms.Select):
        return
    if (widget.template_name, widget.option_template_name) != _SELECT_TEMPLATES:
        return
    if cls not in _QUICK_CLASSES:
        _QUICK_CLASSES[cls] = type(f"Quick{cls.__name__}", (QuickSelectMixin, cls), {})
    widget.__class__ = _QUICK_CLASSES[cls]
