"""A Django admin site used only by the benchmark, mounted at /bench-admin/ by the benchmark's
own URL configuration (urls.py here; the portal's URLs do not include it).

Each list compared gets a ModelAdmin built like an admin developer would write it for the
same page: the portal list's plain columns in `list_display` (related names selected in the same
query), the same page size (50), the same default order and a search on the same folded column
(`search_text`, icontains word by word — the admin's way). Admin defaults are kept otherwise
(a filtered page also counts the whole table)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

bench_admin_site = admin.AdminSite(name="benchadmin")


def _plain_columns(model, paths: list[str]) -> tuple[list[str], list[str]]:
    """The columns that are the model's own fields or foreign keys (what list_display can show
    without code), and the foreign keys among them (for list_select_related)."""
    display, related = [], []
    for path in paths:
        name = path.split("__")[0]
        if name.startswith("get_") and name.endswith("_display"):
            name = name[4:-8]
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many or field.one_to_many or name in display:
            continue
        display.append(name)
        if isinstance(field, models.ForeignKey):
            related.append(name)
    return display, related


def register(model, *, columns: list[str], ordering: list[str], searchable: bool = True) -> str:
    """Register `model` on the benchmark site (once) and return its changelist path."""
    if model not in bench_admin_site._registry:
        display, related = _plain_columns(model, columns)
        attrs = {
            "list_display": display or ["__str__"],
            "list_select_related": related or False,
            "list_per_page": 50,
            "ordering": ordering,
            "search_fields": _search_fields(model) if searchable else [],
        }
        bench_admin_site.register(model, type(f"Bench{model.__name__}Admin", (admin.ModelAdmin,), attrs))
    return f"/bench-admin/{model._meta.app_label}/{model._meta.model_name}/"


def _search_fields(model) -> list[str]:
    """The folded column where the model has one; else the title, as an admin would search it."""
    for name in ("search_text", "title"):
        if _has_field(model, name):
            return [name]
    return []


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
