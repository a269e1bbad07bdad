"""`field__any=ids`: the rows whose integer key is one of `ids`, as `field__in=ids` means, written
`field = ANY(%s::bigint[])` with the ids as ONE array parameter.

Why: the lists scoped to a council and the councils below it filter on every council of a
province (127 for Hà Nội). `__in` prepares each id through the field, writes one placeholder per
id and sends as many parameters, for the count and again for the page: about half a millisecond
of Python per query at a city's size. PostgreSQL turns `IN (…)` into `= ANY(array)` itself, so
the plan is the same.

One id (a commune's pages, a city's own lists) is written `field = %s`, as PostgreSQL writes
`IN (7)`: to the planner `= ANY(array)` is a condition on many values, so it cannot read that one
council's rows from an index that leads with the council in the page's order. It walked the
whole table's date index instead, or hash-joined a related table whole, and so the city's own
lists grew with the other provinces' rows (resolutions 0.47 → 2.58 ms of SQL at four times the
city; see docs/benchmarks/scale-1x-4x.md)."""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        # The ids as ints (a key is an int; "7" from a query string is accepted as __in does),
        # None dropped as __in drops it; an id that is not a number fails as __in fails.
        return [int(value) for value in self.rhs if value is not None]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as __in=[]: the condition is false, no query is sent
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if len(set(self.rhs)) == 1:
            return f"{lhs} = %s", [*lhs_params, self.rhs[0]]
        db_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, self.rhs]


def register() -> None:
    """On the integer keys: primary keys (AutoField and BigAutoField are IntegerFields) and foreign
    keys to them."""
    IntegerField.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)
