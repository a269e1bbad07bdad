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
