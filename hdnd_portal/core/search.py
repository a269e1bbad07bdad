"""Accent-insensitive search: text is folded in Python into an indexed column.

"Đông Anh", "dong anh" and "DONG  ANH" all fold to "dong anh". The folded column is searched with
PostgreSQL full-text search (the built-in `simple` configuration and a GIN index), so no extension
(unaccent, pg_trgm) is needed and the embedded server works too.

Every SearchableModel also stores the folded text's tsvector (`search_vector`, a column PostgreSQL
generates from `search_text`), and the GIN index is on that column. An index on the expression
alone is not enough at scale: when a list is sorted by date the planner may walk the date index
and test each row against the words, and computing `to_tsvector` of a letter's 300 characters
costs about 30 µs a row — the letters search with the councils below took 97 ms of SQL that way,
2.6 ms with the stored vector (the same walk, testing a stored vector).
"""

import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Func, QuerySet, TextField, Value
from django.db.models.functions import Lower

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


def _fold_map() -> tuple[str, str]:
    """The characters fold() turns into one ASCII letter, and those letters (for translate())."""
    src, dst = [], []
    for code in range(0x00C0, 0x1EFA):
        ch = chr(code)
        letter = fold(ch)
        if len(letter) == 1 and letter.isascii() and letter != ch:
            src.append(ch)
            dst.append(letter)
    src.append("Đ")
    dst.append("d")
    return "".join(src), "".join(dst)


_FOLD_SRC, _FOLD_DST = _fold_map()


def folded(expression) -> Func:
    """SQL: lower-case and strip Vietnamese diacritics with the built-in translate() — fold() for
    a column that has no folded copy (immutable: usable in a generated column or an index)."""
    return Func(Lower(expression), Value(_FOLD_SRC), Value(_FOLD_DST), function="translate", output_field=TextField())


def search_vector(column: str = "search_text") -> SearchVector:
    return SearchVector(column, config="simple")


def stored_search_vector() -> models.GeneratedField:
    """SearchableModel.search_vector: the tsvector of search_text, kept by PostgreSQL on every
    write whatever the road (save, bulk_create, COPY, update()). Stripped of the words' positions,
    which only ranking and phrase search read (the portal does neither): a third smaller, and a
    third faster to test row by row (13 vs 19 MB, 10 vs 15 ms over the 46,000 petitions)."""
    return models.GeneratedField(
        expression=models.Func(search_vector(), function="strip", output_field=SearchVectorField()),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def stored_folded_vector(column: str) -> models.GeneratedField:
    """The words of `column` folded by PostgreSQL (folded()), as a stripped tsvector it keeps on
    every write: search by words for a model with no search_text of its own (the deadlines, whose
    rows many roads write in bulk). Queried like search_vector, with the same prefix queries."""
    # fold() keeps only letters and digits: "459/2026" is the words 459 and 2026, where the text
    # search parser would read one "file" token (and "tp.hcm" one "host").
    words = Func(
        folded(models.F(column)), Value("[^a-z0-9]+"), Value(" "), Value("g"),
        function="regexp_replace", output_field=TextField(),
    )
    return models.GeneratedField(
        expression=models.Func(SearchVector(words, config="simple"), function="strip", output_field=SearchVectorField()),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def prefix_query(tokens: list[str]) -> SearchQuery:
    """Rows whose vector has every token as a word prefix ("xay dung" -> xay:* & dung:*)."""
    return SearchQuery(" & ".join(f"{token}:*" for token in tokens), search_type="raw", config="simple")


def search_index(name: str) -> GinIndex:
    """The GIN index every SearchableModel declares, on its stored vector."""
    return GinIndex(fields=["search_vector"], name=name)


def _stored_vector_path(model, column: str) -> str | None:
    """`column` with its last part replaced by the stored vector when the model it leads to has
    one ("deputy__search_text" -> "deputy__search_vector"); None otherwise (the user table)."""
    *relations, last = column.split("__")
    if last != "search_text":
        return None
    for name in relations:
        model = model._meta.get_field(name).related_model
    try:
        model._meta.get_field("search_vector")
    except FieldDoesNotExist:
        return None
    return "__".join([*relations, "search_vector"])


def apply_search(queryset: QuerySet, text: str | None, column: str = "search_text") -> QuerySet:
    """Filter to rows whose folded text contains every word of `text` as a word prefix."""
    tokens = fold(text).split()
    if not tokens:
        return queryset
    query = prefix_query(tokens[:12])
    stored = _stored_vector_path(queryset.model, column)
    if stored:
        return queryset.filter(**{stored: query})
    return queryset.alias(_search=search_vector(column)).filter(_search=query)
