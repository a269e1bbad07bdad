"""A list's many-to-many read as a plain list on each row."""

from types import SimpleNamespace

from django.db.models import Prefetch, QuerySet

# Django's prefetch into row.<name>.all() builds a related manager and a filtered queryset for
# every row — a hundred of each for the deputies and meetings of fifty petitions, a fifth of the
# petitions API's time. Prefetched with to_attr, each row gets a plain list instead.
LISTED = "_listed"


def listed(name: str, queryset: QuerySet) -> Prefetch:
    """Prefetch `name` as the list `<name>_listed`, which the API's many-to-many fields read
    (core.api.ListedManyRelatedField). Only for rows that are read and never written: their
    row.<name>.all() still queries, and a write does not refresh the list."""
    return Prefetch(name, queryset=queryset, to_attr=name + LISTED)


def rows_of(obj, name: str):
    """The related rows `name` of obj: the listed() list when the queryset prefetched it, else
    obj.<name>.all() (its prefetched copy, or a query)."""
    rows = obj.__dict__.get(name + LISTED)
    return rows if rows is not None else getattr(obj, name).all()


def link_rows(rows: list, name: str, columns: tuple[str, ...], order_by: tuple[str, ...]) -> None:
    """Give each of `rows` (model instances, the page of a list) its many-to-many `name` as the
    plain list listed() gives: records of the related rows' pk and `columns`, ordered by their
    `order_by`. Two small queries — the link table's pairs, then the related rows by pk in their
    order — and no model instance built for a related row (a meeting's ten deputies, fifty
    meetings a page). One query joining the two made PostgreSQL hash the whole related table."""
    if not rows:
        return
    field = type(rows[0])._meta.get_field(name)
    through = field.remote_field.through._meta
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    listed: dict = {row.pk: [] for row in rows}
    links = list(
        through.model.objects.filter(**{f"{source}__any": list(listed), f"{target}__isnull": False})
        .order_by()  # a link row without its related row (a petition's source that is no meeting) is none
        .values_list(through.get_field(source).attname, through.get_field(target).attname)
    )
    names = ("pk", *columns)
    # __any: the ids as one array parameter (core.lookups), not a placeholder prepared per id.
    related = field.related_model._base_manager.filter(pk__any=list({pk for _owner, pk in links})).order_by(*order_by)
    records = {values[0]: SimpleNamespace(**dict(zip(names, values, strict=True)))
               for values in related.values_list(*names)} if links else {}
    place = {pk: i for i, pk in enumerate(records)}
    for owner, pk in sorted(links, key=lambda link: place[link[1]]):
        listed[owner].append(records[pk])
    for row in rows:
        row.__dict__[name + LISTED] = listed[row.pk]
