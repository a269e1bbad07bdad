"""A list's many-to-many read as a plain list on each row."""

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
