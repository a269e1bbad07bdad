"""Generic staff pages every app builds on: a list with filters, accent-insensitive search,
sort, pagination and Excel export; detail with history; create/edit with stale-edit refusal;
delete that refuses (never cascades) when records point to the object."""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.db.models.expressions import Col
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from ..constraints import constraint_info
from ..exceptions import DomainError
from ..exports import xlsx_response
from ..htmltext import conditional_escape_text, escape_text
from ..models import Council, FormSubmission
from ..pagination import RowsFirstPaginator
from ..prefetch import link_rows
from ..rowcounts import scope_count
from ..scoping import narrowed
from ..search import apply_search
from ..writes import guard_create, guard_update
from .mixins import CouncilMixin, CouncilObjectMixin


class CappedPaginator(RowsFirstPaginator):
    """Counts at most CAP rows (SELECT COUNT(*) over a LIMITed subquery), so a page view never
    scans a whole large table just to print "of 94,688"; past the cap the page says "more than"."""

    CAP = 5000
    capped = False

    @cached_property
    def count(self) -> int:
        # Count the bare filtered rows: the list's annotations (counts in subqueries, next
        # deadlines) and its order cost per row and change nothing in the number; only the
        # page's 50 rows compute them.
        rows = self.object_list.order_by().values("pk")
        if not isinstance(rows, QuerySet):
            return self.rows_counted(rows[: self.CAP + 1].count())
        _forget_name_joins(rows.query)
        # A council's whole register of a counted table: its held numbers (core.rowcounts).
        held = scope_count(rows)
        return self.rows_counted(rows[: self.CAP + 1].count() if held is None else held)

    def rows_counted(self, rows: int) -> int:
        self.capped = rows > self.CAP
        return min(rows, self.CAP)


def _forget_name_joins(query) -> None:
    """Leave out of a count the joins that only the list's unselected annotations read — a name
    read through a foreign key, F("field__name") (queries.petition_rows): a join to at most one row
    by its key changes no count, and PostgreSQL still plans it (the letter register's count took
    7 ms instead of 1 with them). A join the filters or the search read (directly or through an
    annotation they name) stays; Django's compiler leaves out a join no column references."""
    if query.group_by is not None or query.distinct or query.combinator:
        return
    selected = query.annotation_select
    in_where = {col.alias for col in _plain_columns(query.where, subqueries=True)}
    for name, annotation in query.annotations.items():
        if name in selected:
            continue
        for col in _plain_columns(annotation):
            join = query.alias_map.get(col.alias)
            if (
                col.alias not in in_where
                and isinstance(join, Join)
                and join.filtered_relation is None
                and _to_one(join.join_field)
                and query.alias_refcount.get(col.alias, 0) > 0
            ):
                query.unref_alias(col.alias)


def _plain_columns(expression, subqueries: bool = False):
    """The columns an expression reads in its own query (and, with `subqueries`, in those it holds)."""
    if isinstance(expression, Col):
        yield expression
        return
    if isinstance(expression, Query):
        if subqueries:
            yield from _plain_columns(expression.where, subqueries)
        return
    for source in expression.get_source_expressions():
        if source is not None and hasattr(source, "get_source_expressions"):
            yield from _plain_columns(source, subqueries)


def _to_one(field) -> bool:
    return bool(getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)) and not getattr(
        field, "auto_created", False
    )


# Choice labels per (model field, language): Model.get_FOO_display() rebuilds a dict of the lazy
# choice labels (hashing each, which translates it) on every call — per cell of a list page.
_CHOICE_LABELS: dict[tuple, dict] = {}


def choice_label(obj, field_name: str, lang: str | None = None):
    """obj.get_<field_name>_display(), reading the labels translated once per language (`lang`:
    the active language, when the caller has read it once for many cells)."""
    field = obj._meta.get_field(field_name)
    key = (field, lang or translation.get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        with translation.override(key[1]):
            labels = _CHOICE_LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value: Django's own way
        return getattr(obj, f"get_{field_name}_display")()


_CHOICE_FIELDS: dict[tuple, bool] = {}


def _has_choices(obj, name: str) -> bool:
    key = (type(obj), name)
    known = _CHOICE_FIELDS.get(key)
    if known is None:
        meta = getattr(obj, "_meta", None)
        known = _CHOICE_FIELDS[key] = meta is not None and any(f.name == name and f.choices for f in meta.concrete_fields)
    return known


# Django's date_format parses the format and builds a formatter object for each date; a list page
# prints a hundred. A short format made of these codes is compiled once per language into a
# str.format pattern giving the same text; any other format goes through Django.
_DATE_CODES = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
}
_DATE_FORMATTERS: dict[tuple[str, str], Callable[[Any], str]] = {}


def date_text(value, format_name: str, lang: str) -> str:
    """formats.date_format(value, format_name) in the active language `lang`."""
    formatter = _DATE_FORMATTERS.get((format_name, lang))
    if formatter is None:
        pattern = []
        for char in formats.get_format(format_name, lang):
            if char in _DATE_CODES:
                pattern.append(_DATE_CODES[char])
            elif char.isalpha() or char == "\\":
                pattern = None
                break
            else:
                pattern.append(char.replace("{", "{{").replace("}", "}}"))
        formatter = "".join(pattern).format if pattern is not None else partial(formats.date_format, format=format_name)
        _DATE_FORMATTERS[(format_name, lang)] = formatter
    return formatter(value)


# A list page prints a column of this path from PortalListView.council_names: the rows' query
# need not join the council for its name.
COUNCIL_NAME = "council__name"


@lru_cache(maxsize=8)
def _yes_no(lang: str) -> tuple[str, str]:
    """("No", "Yes") in `lang`, translated once (a column of booleans asks on every row)."""
    with translation.override(lang):
        return _("No"), _("Yes")


@dataclass
class Column:
    """One column of a list: `path` is an attribute path ("term__numeral", "get_kind_display")
    or a callable(obj); `sort` the order_by key that clicking the header applies."""

    path: str | Callable[[Any], Any]
    label: str
    sort: str | None = None
    link: bool = False
    css: str = ""

    def __post_init__(self):
        # The path's steps, split once: (attribute, the choice field a get_FOO_display names).
        self._steps = None if callable(self.path) else tuple(
            (part, part[4:-8] if part.startswith("get_") and part.endswith("_display") else None)
            for part in self.path.split("__")
        )

    def value(self, obj, lang: str | None = None):
        if self._steps is None:
            return self.path(obj)
        value = obj
        for part, shown in self._steps:
            if value is None:
                return None
            if shown is not None and _has_choices(value, shown):
                value = choice_label(value, shown, lang)
                continue
            value = getattr(value, part, None)
            if callable(value) and not hasattr(value, "all"):
                value = value()
        if hasattr(value, "all"):
            return ", ".join(str(v) for v in value.all())
        return value

    def display(self, obj, lang: str | None = None) -> str:
        """The cell's text (`lang`: the active language, read once by a caller printing many)."""
        lang = lang or translation.get_language()
        value = self.value(obj, lang)
        if value is None:
            return ""
        if isinstance(value, bool):
            return _yes_no(lang)[value]
        if hasattr(value, "strftime"):
            if not hasattr(value, "hour"):
                return date_text(value, "SHORT_DATE_FORMAT", lang)
            # an aware datetime is stored in UTC: show it in the portal's time zone
            return date_text(timezone.localtime(value) if timezone.is_aware(value) else value,
                             "SHORT_DATETIME_FORMAT", lang)
        return str(value)


class PortalListView(CouncilMixin, ListView):
    """A council-scoped list. Subclasses set model, columns, filterset_class, sort options."""

    template_name = "core/list.html"
    paginator_class = CappedPaginator
    permission = "can_view_directory"
    create_permission: str | None = None
    create_url_name: str | None = None
    detail_url_name: str | None = None
    filterset_class = None
    columns: list[Column] = []
    default_sort = "-pk"
    searchable = True
    search_column = "search_text"  # e.g. "deputy__search_text" to search through a relation
    search_placeholder = ""
    paginate_by = 50
    title = ""
    council_field = "council"
    allow_below = True  # a province user may tick "include the councils below"
    export_name = "export"
    # False for a list whose template writes its own cells from object_list (rows unused).
    rows_in_context = True
    # Many-to-many relations the page prints, read for its rows from the link table as plain
    # records (core.prefetch.link_rows; rows_of gives them): {name: (columns, order)}. The page's
    # queryset does not prefetch them.
    page_links: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def base_queryset(self):
        qs = self.model._default_manager.all()
        if self.council_field:
            qs = qs.filter(**{f"{self.council_field}__any": self.council_ids()})
        return qs

    def council_ids(self) -> list[int]:
        if self.allow_below and self.request.GET.get("below") == "1":
            readable = self.request.access.council_ids(self.permission)
            ids = self.request.access.council_and_below(self.council)
            return narrowed(ids, readable)
        return [self.council.id]

    def get_queryset(self):
        qs = self.base_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            if self.filterset.form.is_bound and not self.filterset.is_valid():
                qs = qs.none()
            else:
                qs = self.filterset.qs
        else:
            self.filterset = None
        if self.searchable:
            qs = apply_search(qs, self.request.GET.get("q"), column=self.search_column)
        return qs.order_by(*self.ordering_for(self.request.GET.get("sort")))

    def sort_keys(self) -> set[str]:
        return {c.sort for c in self.columns if c.sort}

    def ordering_for(self, requested: str | None) -> list[str]:
        key = (requested or "").lstrip("-")
        if key and key in self.sort_keys():
            return [requested, "-pk" if requested.startswith("-") else "pk"]
        default = self.default_sort if isinstance(self.default_sort, (list, tuple)) else [self.default_sort]
        return [*default, "-pk"] if "pk" not in str(default) else list(default)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.page_links:
            object_list = page.object_list = list(object_list)
            for name, (columns, order) in self.page_links.items():
                link_rows(object_list, name, columns, order)
        return paginator, page, object_list, is_paginated

    def export_columns(self) -> list[Column]:
        return self.columns

    def export(self):
        columns = self.export_columns()
        rows = ([c.value(obj) if not isinstance(c.value(obj), bool) else c.display(obj) for c in columns]
                for obj in self.get_queryset().iterator(chunk_size=2000))
        return xlsx_response(self.export_name, str(self.title), [str(c.label) for c in columns], rows)

    def table_rows(self, objects) -> list[list[tuple[str, str]]]:
        """Each row as (text, link) cells, computed once here: cheaper than template tags per cell."""
        rows = []
        link = object_url_maker(self.detail_url_name) if self.detail_url_name else None
        lang = translation.get_language()
        columns = [(self._council_cell(c) if c.path == COUNCIL_NAME else c.display, c.link, c.css) for c in self.columns]
        for obj in objects:
            url = link(obj.pk) if link else ""
            rows.append([(display(obj, lang), url if linked else "", css) for display, linked, css in columns])
        return rows

    @cached_property
    def council_names(self) -> dict[int, str]:
        """The listed councils' names from the councils the request already read for its
        permissions (the user's roles and the hierarchy below them); the database only for any
        they do not cover (a superuser's)."""
        names = self.request.access.council_names()
        missing = [cid for cid in self.council_ids() if cid not in names]
        if missing:
            names.update(Council.objects.filter(id__in=missing).values_list("id", "name"))
        return names

    def _council_cell(self, column: Column) -> Callable[..., str]:
        """The council column's cell: the name held for the row's council, or (a list not scoped
        by its own council, a council outside the listed ones) the column's own reading."""
        if self.council_field != "council":
            return column.display

        def cell(obj, lang=None):
            name = self.council_names.get(obj.council_id)
            return column.display(obj, lang) if name is None else name

        return cell

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.rows_in_context:
            context["rows"] = self.table_rows(context["object_list"])
            context["rows_html"] = rows_html(context["rows"])
        params = self.request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        context.update(
            title=self.title,
            columns=self.columns,
            filterset=self.filterset,
            query=self.request.GET.get("q", ""),
            sort=self.request.GET.get("sort", ""),
            querystring=params.urlencode(),
            sort_querystring=sort_params.urlencode(),
            searchable=self.searchable,
            search_placeholder=self.search_placeholder,
            can_create=bool(self.create_url_name) and self.has_perm(self.create_permission or self.permission),
            create_url=reverse(self.create_url_name) if self.create_url_name else None,
            detail_url_name=self.detail_url_name,
            show_below=self.allow_below and self.request.access.has_councils_below(self.council),
            below=self.request.GET.get("below") == "1",
        )
        return context


_PK_MARK = 987654321987


def object_url_maker(url_name: str) -> Callable[[Any], str]:
    """reverse(url_name, args=[pk]) for many pks: the URL is resolved once with a marker pk, each
    row's link is the marker replaced (a list page reverses fifty links otherwise)."""
    try:
        template = reverse(url_name, args=[_PK_MARK])
    except NoReverseMatch:  # not a plain integer pk route: reverse each time
        return lambda pk: reverse(url_name, args=[pk])
    marker = str(_PK_MARK)
    if template.count(marker) != 1:
        return lambda pk: reverse(url_name, args=[pk])
    head, tail = template.split(marker)
    return lambda pk: f"{head}{pk}{tail}" if isinstance(pk, int) else reverse(url_name, args=[pk])


def truncate_chars(text: str, length: int) -> str:
    """The truncatechars filter (Truncator.chars), without walking a text that is short enough."""
    normalized = unicodedata.normalize("NFC", text)
    return normalized if len(normalized) <= length else Truncator(text).chars(length)


def rows_html(rows) -> SafeString:
    """core/list.html's <tr>s from table_rows(), written in Python (each text escaped unless it
    is already safe HTML): the template's loop, tests and escaping per cell cost more than the SQL."""
    details = None
    out = []
    for row in rows:
        cells = []
        for text, url, css in row:
            td = f'<td class="{escape_text(css)}">' if css else "<td>"
            if url:
                if text:
                    inner = conditional_escape_text(text)
                else:
                    if details is None:
                        details = escape_text(_("Details"))
                    inner = f'<span aria-hidden="true">—</span><span class="visually-hidden">{details}</span>'
                cells.append(f'{td}<a href="{escape_text(url)}">{inner}</a></td>')
            else:
                cells.append(f"{td}{conditional_escape_text(text)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 — every text and link above is escaped


class DomainErrorFormMixin:
    """The page side of the one write path (core.writes; the API side is core.api): runs the
    save inside one transaction; a DomainError, a model validation error or a database
    constraint becomes a form error beside its field, and nothing is saved."""

    def form_valid(self, form):
        token = getattr(form, "once_token", None)
        fingerprint = submission_fingerprint(self.request) if token else ""
        try:
            with transaction.atomic():
                if token and not claim_form_token(token, self.request.user, fingerprint):
                    return self.already_submitted(token)
                if token and (repeat := recent_repeat(self.request.user, fingerprint, token)) is not None:
                    messages.info(self.request, _("This form was already submitted; nothing was saved twice."))
                    transaction.set_rollback(True)
                    return HttpResponseRedirect(repeat.result_url)
                self.object = self.perform_save(form)
                if token:
                    FormSubmission.objects.filter(token=token).update(result_url=self.get_success_url())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        except DjangoValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        except (IntegrityError, DataError) as error:
            message, field = constraint_info(error)
            form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message())
        return HttpResponseRedirect(self.get_success_url())

    def success_message(self) -> str:
        return _("Saved.")

    def already_submitted(self, token: str):
        previous = FormSubmission.objects.filter(token=token, user=self.request.user).first()
        messages.info(self.request, _("This form was already submitted; nothing was saved twice."))
        return HttpResponseRedirect(previous.result_url if previous and previous.result_url else self.request.path)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        kwargs["user"] = self.request.user
        return kwargs

    def write_permission(self) -> str | None:
        return getattr(self, "permission", None)

    def guard(self, form, obj) -> None:
        """Permission on the record's council, relations into other councils, the version."""
        values = {name: form.cleaned_data.get(name) for name in form.changed_data if name in form.cleaned_data}
        values.update({name: getattr(obj, name, None) for name in ("council",) if hasattr(obj, "council_id")})
        if obj.pk is None:
            council_id = getattr(obj, "council_id", None) or self.council.id
            guard_create(user=self.request.user, council_id=council_id, values=values,
                         permission=self.write_permission())
        else:
            guard_update(user=self.request.user, instance=obj, values=values, permission=self.write_permission(),
                         expected_version=form.expected_version(), council_id=self.object_council_id(obj))


def claim_form_token(token: str, user, fingerprint: str = "") -> bool:
    """Claim a create form's one-time token inside the saving transaction. A second submission
    waits on the unique index until the first commits, then finds the token taken (False)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FormSubmission._meta.db_table} (token, user_id, created_at, result_url, fingerprint) "
            "VALUES (%s, %s, NOW(), '', %s) ON CONFLICT (token) DO NOTHING RETURNING id",
            [token, user.pk, fingerprint],
        )
        return cursor.fetchone() is not None


def submission_fingerprint(request) -> str:
    """The page and what its fields carried, without the tokens (files by name and size)."""
    import hashlib

    skip = {"csrfmiddlewaretoken", "_once"}
    parts = [request.path]
    parts += [f"{key}={value}" for key in sorted(request.POST) if key not in skip
              for value in request.POST.getlist(key)]
    parts += [f"{key}:{f.name}:{f.size}" for key in sorted(request.FILES) for f in request.FILES.getlist(key)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def recent_repeat(user, fingerprint: str, token: str) -> FormSubmission | None:
    """The same content sent by the same user a few minutes ago under another token (the back
    button after a save, with a browser that reloads the form): the earlier, saved submission."""
    from django.utils import timezone

    return (
        FormSubmission.objects.filter(user=user, fingerprint=fingerprint,
                                      created_at__gte=timezone.now() - FormSubmission.REPEAT_WINDOW)
        .exclude(token=token).exclude(result_url="").order_by("-created_at").first()
    )


def add_validation_errors(form, error: DjangoValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class PortalCreateView(DomainErrorFormMixin, CouncilMixin, CreateView):
    template_name = "core/form.html"
    permission = "can_change_directory"
    title = ""
    success_url_name: str | None = None

    def perform_save(self, form):
        obj = form.save(commit=False)
        if hasattr(obj, "council_id") and not obj.council_id:
            obj.council = self.council
        self.guard(form, obj)
        obj.full_clean(exclude=[f for f in form._meta.exclude or []] + ["version"])
        obj.save()
        form.save_m2m()
        return obj

    def get_success_url(self):
        if self.success_url_name:
            return reverse(self.success_url_name, args=[self.object.pk])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class PortalUpdateView(DomainErrorFormMixin, CouncilObjectMixin, UpdateView):
    template_name = "core/form.html"
    permission = "can_change_directory"
    title = ""
    success_url_name: str | None = None

    def perform_save(self, form):
        obj = form.save(commit=False)
        self.guard(form, obj)
        obj.save()
        form.save_m2m()
        return obj

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.get_object().council if hasattr(self.get_object(), "council") else self.council
        return kwargs

    def get_success_url(self):
        if self.success_url_name:
            return reverse(self.success_url_name, args=[self.object.pk])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title or str(self.object), **kwargs)


class PortalDetailView(CouncilObjectMixin, DetailView):
    template_name = "core/detail.html"
    permission = "can_view_directory"
    edit_permission = "can_change_directory"
    edit_url_name: str | None = None
    delete_url_name: str | None = None
    fields: list[Column] = []
    history_limit = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council_id = self.object_council_id(self.object)
        can_edit = self.request.access.has(council_id, self.edit_permission)
        context.update(
            fields=[(c.label, c.display(self.object)) for c in self.fields],
            can_edit=can_edit,
            edit_url=reverse(self.edit_url_name, args=[self.object.pk]) if self.edit_url_name and can_edit else None,
            delete_url=reverse(self.delete_url_name, args=[self.object.pk]) if self.delete_url_name and can_edit else None,
            history=history_rows(self.object, self.history_limit)
            if self.request.access.has(council_id, "can_view_history") else None,
        )
        return context


class PortalDeleteView(CouncilObjectMixin, DeleteView):
    """Deletes only a confirmed post (confirmed=1: the confirmation page's form, or the dialog of
    a detail page's Delete button); any other post gets the confirmation page, nothing deleted."""

    template_name = "core/confirm_delete.html"
    permission = "can_change_directory"
    success_url_name: str = "home"

    def form_valid(self, form):
        obj = self.get_object()
        if self.request.POST.get("confirmed") != "1":
            self.object = obj
            return self.render_to_response(self.get_context_data(object=obj))
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError) as error:
            count = len(error.protected_objects if hasattr(error, "protected_objects") else error.restricted_objects)
            messages.error(
                self.request,
                _("“%(obj)s” cannot be deleted: %(count)s record(s) still refer to it. "
                  "Mark it inactive or end it instead.") % {"obj": obj, "count": count},
            )
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, _("Deleted “%(obj)s”.") % {"obj": obj})
        return HttpResponseRedirect(reverse(self.success_url_name))


def history_value(field, value, names: dict | None = None) -> str:
    """A history value as people read it: the choice's label, the related record's name, a
    Vietnamese date, Có/Không, a file's name — never an internal code, id or path. `names` maps
    (model, pk) to a record's name, filled in bulk by history_rows (one query per related model)."""
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if getattr(field, "remote_field", None) is not None and getattr(field, "many_to_one", False):
        if names is not None:
            return names.get((field.related_model, value), _("(deleted record)"))
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else _("(deleted record)")
    if hasattr(value, "strftime"):
        if hasattr(value, "hour"):
            from django.utils import timezone as tz

            value = tz.localtime(value) if tz.is_aware(value) else value
            return formats.date_format(value, "SHORT_DATETIME_FORMAT")
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if hasattr(field, "upload_to"):
        return str(value).rsplit("/", 1)[-1]
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return formats.number_format(value, force_grouping=True)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


HISTORY_HIDDEN = {"version", "updated_at", "search_text", "created_at"}


def history_rows(obj, limit: int = 30) -> list[dict]:
    """The record's change history, newest first: who, when, and each change as a sentence."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    deltas = []
    wanted: dict = {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        delta = record.diff_against(previous, excluded_fields=list(HISTORY_HIDDEN)) if previous is not None else None
        deltas.append((record, delta))
        for change in delta.changes if delta else ():
            try:
                field = obj._meta.get_field(change.field)
            except Exception:
                continue
            if getattr(field, "many_to_one", False):
                wanted.setdefault(field.related_model, set()).update(v for v in (change.old, change.new) if v)
    # The names of the related records the changes mention: one query per related model.
    names = {(model, r.pk): str(r) for model, pks in wanted.items() for r in model._default_manager.filter(pk__in=pks)}
    rows = []
    for record, delta in deltas:
        changes = []
        if delta is not None:
            for change in delta.changes:
                try:
                    field = obj._meta.get_field(change.field)
                except Exception:
                    continue
                label = str(field.verbose_name)
                old, new = history_value(field, change.old, names), history_value(field, change.new, names)
                if old and new:
                    sentence = _("%(field)s changed from “%(old)s” to “%(new)s”") % {
                        "field": label[:1].upper() + label[1:], "old": old, "new": new}
                elif new:
                    sentence = _("%(field)s set to “%(new)s”") % {"field": label[:1].upper() + label[1:], "new": new}
                else:
                    sentence = _("%(field)s cleared (was “%(old)s”)") % {
                        "field": label[:1].upper() + label[1:], "old": old}
                changes.append(sentence)
        rows.append({
            "date": record.history_date,
            "user": record.history_user,
            "type": {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[record.history_type],
            "changes": changes,
        })
    return rows
