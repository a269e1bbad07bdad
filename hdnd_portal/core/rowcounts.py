"""The number of rows of a large table per council, kept by PostgreSQL, so that a list showing a
council's whole register (a city's 95,000 letters with the councils below) tells "of 95,230"
without counting them: an exact COUNT(*) reads every row of the scope (8.7 ms for those letters,
a quarter of the API list's time), the held numbers are summed over the councils (a few rows).

How the numbers stay true whatever writes the rows (the ORM, bulk_create, COPY, a cascade, an
update() moving rows to another council, the admin, a TRUNCATE):
- triggers on each counted table append one delta per council and statement to
  core_rowcountdelta: +n after an INSERT, −n after a DELETE, −1/+1 when an UPDATE changes a row's
  council. Appending never waits on another transaction (no shared counter row to lock: an import
  of 10,000 petitions does not hold up the office's next petition) and a delta is seen exactly
  when its rows are, committed or rolled back with them: the sum under a snapshot is the COUNT(*)
  under that snapshot;
- compact() folds each council's deltas into one row (Celery beat, hourly), so the sum reads a few
  rows per council.

A list uses the numbers only when its rows are exactly "the counted table's rows of these
councils" (scope_count): any other filter, search, join or grouping is counted by PostgreSQL."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import Exact, In
from django.db.models.sql.datastructures import BaseTable
from django.db.models.sql.where import AND, OR, WhereNode

from .lookups import AnyOf

# The counted tables (their triggers: migrations core 0016 and 0018). A table added here needs a
# migration that calls install_sql() for it; tests/core/test_rowcounts.py checks that the two agree.
COUNTED = (
    "citizens.Letter",
    "citizens.Visit",
    "voters.Petition",
    "voters.VoterMeeting",
    "council_sessions.Resolution",
    "council_sessions.CouncilSession",
)
DELTAS = "core_rowcountdelta"

FUNCTIONS_SQL = f"""
CREATE OR REPLACE FUNCTION core_rowcount_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {DELTAS} (table_name, council_id, delta)
    SELECT TG_TABLE_NAME, council_id, count(*) FROM new_rows GROUP BY council_id ORDER BY council_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_rowcount_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {DELTAS} (table_name, council_id, delta)
    SELECT TG_TABLE_NAME, council_id, -count(*) FROM old_rows GROUP BY council_id ORDER BY council_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_rowcount_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {DELTAS} (table_name, council_id, delta)
    VALUES (TG_TABLE_NAME, OLD.council_id, -1), (TG_TABLE_NAME, NEW.council_id, 1);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION core_rowcount_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {DELTAS} WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;
"""
DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS core_rowcount_inserted(), core_rowcount_deleted(), core_rowcount_moved(),
    core_rowcount_truncated();
"""


def install_sql(table: str) -> str:
    """The triggers counting `table`'s rows, then its present rows counted once. The table is locked
    against writes meanwhile (until the migration's transaction ends), so no row is counted twice
    or missed between the two."""
    return f"""
LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER {table}_rows_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core_rowcount_inserted();
CREATE TRIGGER {table}_rows_deleted AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core_rowcount_deleted();
CREATE TRIGGER {table}_rows_moved AFTER UPDATE OF council_id ON {table}
    FOR EACH ROW WHEN (OLD.council_id IS DISTINCT FROM NEW.council_id) EXECUTE FUNCTION core_rowcount_moved();
CREATE TRIGGER {table}_rows_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION core_rowcount_truncated();
DELETE FROM {DELTAS} WHERE table_name = '{table}';
INSERT INTO {DELTAS} (table_name, council_id, delta)
    SELECT '{table}', council_id, count(*) FROM {table} GROUP BY council_id;
"""


def uninstall_sql(table: str) -> str:
    return "".join(
        f"DROP TRIGGER IF EXISTS {table}_rows_{event} ON {table};\n"
        for event in ("inserted", "deleted", "moved", "truncated")
    ) + f"DELETE FROM {DELTAS} WHERE table_name = '{table}';\n"


def _counted_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(apps.get_model(label)._meta.db_table for label in COUNTED)


def scope_councils(qs: QuerySet) -> list[int] | object | None:
    """The ids of the councils when `qs` is exactly the rows of a counted table whose council is one
    of them (EVERY_COUNCIL when it has no condition at all) — its only condition the council scope
    (core.scoping: council_id__any, or a council's = / IN), no other table joined, no grouping,
    distinct, union or slice; None for anything else."""
    query = qs.query
    model = query.model
    if (
        model is None
        or model._meta.db_table not in _counted_tables()
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.low_mark
        or query.high_mark is not None
        or query.extra
        # A join the compiler writes (a name read through a foreign key left in, an INNER join
        # that drops rows with no related row, a reverse join that repeats them): counted.
        or any(not isinstance(table, BaseTable) and query.alias_refcount.get(alias, 0)
               for alias, table in query.alias_map.items())
        or any(getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values())
    ):
        return None
    lookup = _single_condition(query.where)
    if lookup is _NOTHING:
        return EVERY_COUNCIL
    if lookup is None:
        return None
    if type(lookup) not in (AnyOf, Exact, In, RelatedExact, RelatedIn):
        return None
    column = lookup.lhs
    field = model._meta.get_field("council")
    if getattr(column, "target", None) is not field or getattr(column, "alias", None) != query.base_table:
        return None
    values = [lookup.rhs] if isinstance(lookup, Exact) else lookup.rhs
    try:
        ids = [int(value) for value in values]
    except (TypeError, ValueError):
        return None  # a subquery, an expression
    # An id out of bigint's range matches no row (Django's lookup finds none; the array cast
    # would fail).
    return [i for i in ids if _BIGINT_MIN <= i <= _BIGINT_MAX]


_NOTHING = object()
EVERY_COUNCIL = object()  # scope_councils: a counted table's rows with no condition
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


def _single_condition(node: WhereNode):
    """The one lookup `node` amounts to, _NOTHING for no condition, None for more than one (or a
    negation). An `IN ()` beside it in an OR is dropped, as PostgreSQL never sees it (Django leaves
    out a condition that cannot hold: the petitions a deputy follows when there are none)."""
    if not isinstance(node, WhereNode):
        return node
    if node.negated:
        return None
    children = [
        child for child in node.children
        if not (node.connector == OR and type(child) in (In, AnyOf) and not child.rhs)
    ]
    if not children:
        return _NOTHING if node.connector == AND else None
    if len(children) != 1:
        return None
    return _single_condition(children[0])


def scope_count_sql(qs: QuerySet) -> tuple[str, list] | None:
    """The statement reading the held number of `qs`'s rows (scope_councils), or None."""
    ids = scope_councils(qs)
    if ids is None:
        return None
    sql = f"SELECT COALESCE(SUM(delta), 0)::bigint FROM {DELTAS} WHERE table_name = %s"
    params: list = [qs.model._meta.db_table]
    if ids is not EVERY_COUNCIL:
        sql += " AND council_id = ANY(%s::bigint[])"
        params.append(ids)
    return sql, params


def scope_count(qs: QuerySet) -> int | None:
    """The number of rows of `qs` from the held deltas when it is a council scope of a counted table
    (scope_councils), read under the same snapshot as the rows; None otherwise (count it)."""
    statement = scope_count_sql(qs)
    if statement is None:
        return None
    with connections[qs.db or router.db_for_read(qs.model)].cursor() as cursor:
        cursor.execute(*statement)
        return int(cursor.fetchone()[0])


def compact(using: str = "default") -> int:
    """Fold each council's deltas of every counted table into one row; returns the rows removed.
    Safe beside writers and another compact(): it deletes only the deltas its statement sees and
    writes back their sums in the same statement, and a delta committed meanwhile is left for next
    time."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"""
            WITH gone AS (DELETE FROM {DELTAS} RETURNING table_name, council_id, delta),
                 kept AS (INSERT INTO {DELTAS} (table_name, council_id, delta)
                          SELECT table_name, council_id, SUM(delta) FROM gone
                          GROUP BY table_name, council_id HAVING SUM(delta) <> 0
                          ORDER BY table_name, council_id RETURNING 1)
            SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept)
        """)
        return int(cursor.fetchone()[0])
