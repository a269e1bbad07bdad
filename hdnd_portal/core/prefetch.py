"""A list's many-to-many read as a plain list on each row."""

from types import SimpleNamespace

from django.db import connections, router
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
    `order_by`, and no model instance built for a related row (a meeting's ten deputies, fifty
    meetings a page).

    One statement: the page's pairs from the link table, each related row looked up by its primary
    key. The lookup is a LATERAL subquery that PostgreSQL may not fold into a join (OFFSET 0): as a
    plain join the planner hashed the whole related table (2.6 ms for a page's 147 deputies of
    3,245), where the page needs a few hundred index lookups (0.4 ms). It replaced two queries
    (the pairs, then the related rows by pk) and their two round trips."""
    if not rows:
        return
    model = type(rows[0])
    field = model._meta.get_field(name)
    through = field.remote_field.through._meta
    related = field.related_model._meta
    database = rows[0]._state.db or router.db_for_read(model)
    quote = connections[database].ops.quote_name

    def column(field_name: str) -> str:
        return quote((related.pk if field_name == "pk" else related.get_field(field_name)).column)

    owner = quote(through.get_field(field.m2m_field_name()).column)
    target = quote(through.get_field(field.m2m_reverse_field_name()).column)
    wanted = ("pk", *columns)
    # __any's shape (core.lookups): the page's ids as one array parameter.
    if not columns and all(key.lstrip("-") == "pk" for key in order_by):
        # Ids in their own order: the link table alone (a link without its related row has none).
        order = [f"link.{target}" + (" DESC" if key.startswith("-") else "") for key in order_by]
        sql = (
            f"SELECT link.{owner}, link.{target} FROM {quote(through.db_table)} link "
            f"WHERE link.{owner} = ANY(%s) AND link.{target} IS NOT NULL"
        )
    else:
        selected = [column(field_name) for field_name in wanted]
        order = [f"r.{column(key.lstrip('-'))}" + (" DESC" if key.startswith("-") else "") for key in order_by]
        needed = list(dict.fromkeys([*selected, *(column(key.lstrip("-")) for key in order_by)]))
        sql = (
            f"SELECT link.{owner}, {', '.join(f'r.{c}' for c in selected)} "
            f"FROM {quote(through.db_table)} link CROSS JOIN LATERAL ("
            f"SELECT {', '.join(needed)} FROM {quote(related.db_table)} "
            f"WHERE {column('pk')} = link.{target} OFFSET 0) r "
            f"WHERE link.{owner} = ANY(%s)"
        )
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    listed: dict = {row.pk: [] for row in rows}
    records: dict = {}
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [list(listed)])
        for owner_pk, *values in cursor.fetchall():
            record = records.get(values[0])
            if record is None:
                record = records[values[0]] = SimpleNamespace(**dict(zip(wanted, values, strict=True)))
            listed[owner_pk].append(record)
    for row in rows:
        row.__dict__[name + LISTED] = listed[row.pk]
