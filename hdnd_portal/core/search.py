"""Accent-insensitive search: text is folded in Python into an indexed column.

"Đông Anh", "dong anh" and "DONG  ANH" all fold to "dong anh". The folded column is searched with
PostgreSQL full-text search (the built-in `simple` configuration and a GIN expression index), so
no extension (unaccent, pg_trgm) is needed and the embedded server works too.
"""

import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import QuerySet

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and keep only letters and digits."""
    if not text:
        return ""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(_TOKEN.findall(stripped))


def fold_parts(*parts: object) -> str:
    return " ".join(filter(None, (fold(str(p)) for p in parts if p not in (None, ""))))


def search_vector(column: str = "search_text") -> SearchVector:
    return SearchVector(column, config="simple")


def search_index(name: str, column: str = "search_text") -> GinIndex:
    """The GIN index every searchable model declares; the query below uses the same expression."""
    return GinIndex(search_vector(column), name=name)


def apply_search(queryset: QuerySet, text: str | None, column: str = "search_text") -> QuerySet:
    """Filter to rows whose folded text contains every word of `text` as a word prefix."""
    tokens = fold(text).split()
    if not tokens:
        return queryset
    raw = " & ".join(f"{token}:*" for token in tokens[:12])
    return queryset.alias(_search=search_vector(column)).filter(
        _search=SearchQuery(raw, search_type="raw", config="simple")
    )
