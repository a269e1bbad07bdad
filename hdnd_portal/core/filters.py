import copy
from datetime import date
from types import SimpleNamespace

import django_filters
import django_filters.rest_framework
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import WhereNode
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import QueryDict
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod
from rest_framework.request import Request

from .models import Agency, Body, CouncilRole, Deputy, Field, Membership, Rule, Term
from .refcache import ReferenceCache
from .widgets import agency_label, quick_input, quick_select

# The filter bars' directory choices (fields, committees, agencies, terms: a few hundred options on
# the petitions page) held per process, keyed by their query (plain_query_key, or its SQL), label,
# value column and language: {key: options}. Filled as pages read them; forgotten when a Field,
# Body, Agency, Term or Council is written (the receivers in core.apps) and after
# refcache.MAX_AGE. Inside a transaction nothing is held.
DIRECTORY_CHOICES: ReferenceCache[dict] = ReferenceCache("directory-choices", dict)
HELD_CHOICES_MAX = 2000

_PLAIN_VALUES = (int, str, date)  # and their subclasses: bool, a choice, a datetime


def _plain_where(node) -> tuple | None:
    parts = []
    for child in node.children:
        if isinstance(child, WhereNode):
            part = _plain_where(child)
        elif isinstance(child, Lookup) and isinstance(child.lhs, Col):
            rhs = child.rhs
            if isinstance(rhs, (list, tuple)) and all(isinstance(v, _PLAIN_VALUES) for v in rhs):
                rhs = ("in", *rhs)
            elif not isinstance(rhs, _PLAIN_VALUES) and rhs is not None:
                return None
            part = (child.lookup_name, child.lhs.target.column, rhs)
        else:
            return None
        if part is None:
            return None
        parts.append(part)
    return (node.connector, node.negated, tuple(parts))


def plain_query_key(query, columns: tuple[str, ...]) -> tuple | None:
    """What a choice query selects, as a key built without compiling it: the model, the columns,
    the conditions (lookups of the table's own columns against plain values) and the order. None
    for anything else — a join, a subquery, an expression, a slice — whose SQL must be the key."""
    joined = [alias for alias in query.alias_map if query.alias_refcount.get(alias)]
    if len(joined) > 1 or query.distinct or query.low_mark or query.high_mark is not None:
        return None
    if query.combinator or query.extra or query.annotations or query.extra_order_by:
        return None
    if not all(isinstance(name, str) for name in query.order_by):
        return None
    where = _plain_where(query.where)
    if where is None:
        return None
    return (query.model._meta.label, columns, where, query.order_by, query.default_ordering)


class HeldChoices(tuple):
    """A filter's held options, with their HTML written once (QuickSelectMixin._render_plain)."""

    html: tuple[tuple[str, str, str], ...]

    def option_html(self) -> tuple[tuple[str, str, str], ...]:
        """For each option: its value as text, `<option value="…` and `…</option>`, escaped."""
        from .htmltext import conditional_escape_text, escape_text

        try:
            return self.html
        except AttributeError:
            self.html = tuple(
                (text, f'\n  <option value="{escape_text(text)}', f"{conditional_escape_text(label)}</option>\n")
                for text, label in ((str(value), label) for value, label in self)
            )
            return self.html


class FetchedChoiceIterator(ModelChoiceIterator):
    """A filter's model choices read with one plain query. Django iterates them with
    QuerySet.iterator(), which on PostgreSQL opens a server-side cursor (DECLARE … WITH HOLD, a
    FETCH, a CLOSE: three round trips) — made for huge result sets, not a dropdown's few rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        columns = self.label_columns()
        if not columns:
            for obj in self.queryset.all():
                yield self.choice(obj)
            return
        # The label reads only these columns: rows as plain records, no model instance built for
        # each of a dropdown's hundred options (the same label function or __str__ reads them).
        yield from self.held_choices(columns)

    def held_html(self) -> tuple[tuple[str, str, str], ...] | None:
        """The options after the empty one as HeldChoices.option_html gives them, or None when
        they are not held (their labels read more than plain columns)."""
        columns = self.label_columns()
        if not columns or getattr(self.field, "null_label", None) is not None:
            return None  # django-filter's "no value" choice comes between the empty one and these
        return self.held_choices(columns).option_html()

    def held_choices(self, columns: tuple[str, ...]) -> tuple:
        """The options, (ModelChoiceIteratorValue, label) pairs without the empty one, from this
        process's copy when it has one."""
        field = self.field
        label = getattr(field.label_from_instance, "__func__", None)
        label = field.label_from_instance if label is None else self.queryset.model.__str__
        held = DIRECTORY_CHOICES.get()
        language = get_language()
        key = (plain_query_key(self.queryset.query, columns), label, field.to_field_name, language)
        query = None
        if key[0] is None:  # a query the plain key cannot tell apart: its SQL is the key
            query = self.queryset.all().values_list(*columns)
            key = (query.query.sql_with_params(), label, field.to_field_name, language)
        choices = held.get(key)
        if choices is None:
            query = query if query is not None else self.queryset.all().values_list(*columns)
            options = []
            for row in query:
                record = SimpleNamespace(**dict(zip(columns, row, strict=True)))
                value = getattr(record, field.to_field_name) if field.to_field_name else record.pk
                options.append((ModelChoiceIteratorValue(value, record), label(record)))
            choices = HeldChoices(options)
            if len(held) >= HELD_CHOICES_MAX:
                held.clear()
            held[key] = choices
        return choices

    def label_columns(self) -> tuple[str, ...]:
        """The columns an option needs when its label is known to read only these (a directory's
        name): an agency has sixteen columns, a dropdown of them needs two. () otherwise: all."""
        from django.forms import ModelChoiceField

        field, model = self.field, self.queryset.model
        label = getattr(field.label_from_instance, "__func__", field.label_from_instance)
        if label is agency_label and model is Agency:
            columns = ("name", "short_name")
        elif label is ModelChoiceField.label_from_instance and model in _NAME_LABELLED:
            columns = _NAME_LABELLED[model]
        else:
            return ()
        return ("pk", *columns, *([field.to_field_name] if field.to_field_name else []))


_FETCHED: dict[type, type] = {ModelChoiceIterator: FetchedChoiceIterator}
# Models whose str() is made of these columns only (see their __str__).
_NAME_LABELLED = {
    Field: ("name",),
    Body: ("name",),
    Agency: ("name", "short_name"),
    Term: ("numeral", "start_year", "end_year"),  # translated: the held options are per language
}


def fetch_choices_plainly(field) -> None:
    """Give a model choice field the iterator above (keeping what a subclass adds, such as
    django-filter's null choice) and its widget fresh choices from it."""
    cls = getattr(field, "iterator", None)
    if not isinstance(cls, type) or not issubclass(cls, ModelChoiceIterator) or issubclass(cls, FetchedChoiceIterator):
        return
    if cls not in _FETCHED:
        _FETCHED[cls] = type(f"Fetched{cls.__name__}", (cls, FetchedChoiceIterator), {})
    field.iterator = _FETCHED[cls]
    field.widget.choices = field.choices


class FormBuiltOnce:
    """A FilterSet whose form class is built once per class and language, not per request.

    django-filter, for every FilterSet made (one per list page or API list), deep-copies each of
    the class's filters, builds a form field from each copy and a form class from those fields;
    Django's form then copies the fields again. The form class depends only on the FilterSet class
    and the language (a label taken from a model field is translated when it is built), so it is
    held per (class, language). The filters are copied shallowly (their own parent, model and
    extra, which the subclasses' __init__ may change). A filter whose queryset depends on the
    request (a callable) keeps django-filter's way."""

    _held_forms: dict[tuple[type, str | None], type] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: self._own_copy(filter_, queryset.model) for name, filter_ in self.base_filters.items()}

    def _own_copy(self, filter_, model):
        own = copy.copy(filter_)
        own.extra = dict(filter_.extra)
        own.model = model
        own.parent = self
        if isinstance(own.__dict__.get("filter"), FilterMethod):
            own.filter = FilterMethod(own)  # the copy's method, resolved on this FilterSet
        own.__dict__.pop("_field", None)
        return own

    def get_form_class(self):
        cls = type(self)
        if any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
            return super().get_form_class()
        key = (cls, get_language())
        form_class = FormBuiltOnce._held_forms.get(key)
        if form_class is None:
            form_class = FormBuiltOnce._held_forms[key] = super().get_form_class()
        return form_class


class PortalFilterSet(FormBuiltOnce, django_filters.FilterSet):
    """FilterSet whose form widgets look like the rest of the portal and whose choices are
    limited to the current council."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # A page's drop-downs offer the current council's records. The API (which uses some of
        # these filtersets) lists every council the user can see, whether signed in with a session
        # or a token: its choices are limited to those councils, by limit_asked_choices below.
        council = None if isinstance(request, Request) else getattr(request, "council", None)
        for field in self.form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and council and any(f.name == "council" for f in queryset.model._meta.fields):
                field.queryset = queryset.filter(council=council)
            if queryset is not None and queryset.model is Agency:
                field.label_from_instance = agency_label  # full names, as in the forms
            if queryset is not None:
                fetch_choices_plainly(field)
            elif isinstance(getattr(field, "_choices", None), CallableChoiceIterator):
                # Choices from a function (the years up to this one): called once for this
                # request, not at each reading (the select's, its required check's, validation's).
                field.choices = list(field.choices)
            from django import forms

            is_select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
            quick_select(field.widget)  # the same HTML, without a template render per option
            quick_input(field.widget)  # the same HTML, without input.html and attrs.html
        limit_asked_choices(self)


class TermFilter(PortalFilterSet):
    class Meta:
        model = Term
        fields = ["is_current"]


class BodyFilter(PortalFilterSet):
    class Meta:
        model = Body
        fields = ["kind", "term", "is_active"]


class DeputyFilter(PortalFilterSet):
    sitting = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("Sitting"))

    class Meta:
        model = Deputy
        fields = ["term", "is_full_time", "gender"]


class MembershipFilter(PortalFilterSet):
    class Meta:
        model = Membership
        fields = ["body", "role"]


class AgencyFilter(PortalFilterSet):
    class Meta:
        model = Agency
        fields = ["kind", "is_active"]


class RuleFilter(PortalFilterSet):
    class Meta:
        model = Rule
        fields = ["unit", "status"]


class RoleFilter(PortalFilterSet):
    class Meta:
        model = CouncilRole
        fields = ["role"]


# --- The API's filters ---------------------------------------------------------------------------


class HeldCouncilField(django_filters.fields.ModelChoiceField):
    """?council=ID checked against the councils' tree this process holds (core.scoping), not with a
    query per call: the same answer (the council's id, or Django's "Select a valid choice")."""

    def to_python(self, value):
        from django.core.exceptions import ValidationError

        from .scoping import COUNCIL_TREE

        if value in self.empty_values:
            return None
        text = str(value).strip()
        pk = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None
        if pk is None or pk not in COUNCIL_TREE.get().position:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return pk


class CouncilChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = HeldCouncilField


class ApiFilterSet(FormBuiltOnce, django_filters.rest_framework.FilterSet):
    """The viewsets' filtersets (their filterset_fields): a council is looked up in the held tree;
    a record asked for by id must belong to a council the user can see (limit_asked_choices)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        limit_asked_choices(self)

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        from .models import Council

        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is django_filters.ModelChoiceFilter and getattr(field, "related_model", None) is Council:
            return CouncilChoiceFilter, params
        return filter_class, params


def limit_asked_choices(filterset) -> None:
    """A filter by a record of a council the user cannot see (?agency=<another province's agency>)
    answers "Select a valid choice", as for an id that does not exist — not an empty list, which
    would tell that the record exists. Only the filters the request uses are limited (each limit
    is a condition on the choice's lookup query, which runs only for them)."""
    from .scoping import get_access

    user = getattr(filterset.request, "user", None)
    if not filterset.is_bound or not getattr(user, "is_authenticated", False):
        return
    asked = [name for name in filterset.filters if filterset.data.get(name) not in (None, "")]
    if not asked:
        return
    ids = get_access(user).visible_council_ids()
    if ids is None:
        return
    for name in asked:
        field = filterset.form.fields.get(name)
        queryset = getattr(field, "queryset", None)
        if queryset is not None and any(f.name == "council" for f in queryset.model._meta.fields):
            field.queryset = queryset.filter(council_id__in=ids)


class PortalFilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """django-filter's backend, holding the FilterSet class it builds from a viewset's
    filterset_fields (it builds a new class, with every filter, on each request)."""

    filterset_base = ApiFilterSet
    _built: dict[tuple, type] = {}

    def get_filterset_class(self, view, queryset=None):
        fields = getattr(view, "filterset_fields", None)
        if getattr(view, "filterset_class", None) or not fields or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model, repr(fields))
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().get_filterset_class(view, queryset)
        return built
