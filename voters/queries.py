"""Read paths of the voters app: which petitions a user may see, and the annotated querysets
the pages and the API show (no per-row queries)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hdnd_portal.core.models import Deputy
from hdnd_portal.core.prefetch import listed
from hdnd_portal.core.search import fold
from hdnd_portal.core.shapes import held

from .models import Petition, PetitionSource, VoterMeeting

VIEW_ANY = ("can_view_petition", "can_view_public_petition", "can_answer_petition")
MAX_ID = 2_147_483_647


def parse_id(value) -> int | None:
    """A record number from a query parameter, form value or spreadsheet cell, or None: only
    ASCII digits within the database's integer range ("²", "1e3", "-1" or 10**12 are not ids)."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _count(model, field: str, **filters) -> Coalesce:
    sub = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def petition_visibility(access, council_ids: list[int]) -> Q | None:
    """The rows of `council_ids` the user may read, as one Q (None: nothing):
    all of a council's petitions with can_view_petition; with can_view_public_petition (deputies)
    the public ones plus those the user's deputy record took; with can_answer_petition
    (responders) those assigned to the user's agencies."""
    full, public, answer = [], [], []
    for cid in council_ids:
        if access.has(cid, "can_view_petition"):
            full.append(cid)
            continue
        if access.has(cid, "can_view_public_petition"):
            public.append(cid)
        if access.has(cid, "can_answer_petition"):
            answer.append(cid)
    q = Q(pk__in=[])
    if full:
        q |= Q(council_id__any=full)
    if public:
        took = Petition.deputies.through.objects.filter(petition_id=OuterRef("pk"), deputy_id__in=access.deputy_ids())
        q |= Q(council_id__any=public) & (Q(is_public=True) | Q(Exists(took)))
    if answer and access.agency_ids():
        q |= Q(council_id__any=answer, agency_id__in=access.agency_ids())
    return q if (full or public or answer) else None


def visible_petitions(access, council_ids: list[int] | None, qs: QuerySet | None = None) -> QuerySet:
    """The petitions of `council_ids` the user may see (of `qs`, by default every petition)."""
    qs = Petition.objects.all() if qs is None else qs
    if council_ids is None:  # superuser
        return qs
    q = petition_visibility(access, council_ids)
    return qs.filter(q) if q is not None else qs.none()


# The order in which a petition's or a meeting's deputies are listed, wherever they are read.
DEPUTY_ORDER = ("sort_key", "pk")
# The order of a petition's source meetings.
MEETING_ORDER = ("pk",)


def _deputies() -> QuerySet:
    return Deputy.objects.only("id", "full_name").order_by(*DEPUTY_ORDER)


@held
def petition_rows() -> QuerySet:
    """The petitions as the list page shows them: the field's, the committee's and the agency's
    names read as columns of the same query (no model instance built for each, 150 a page), the
    sources counted in a subquery; the shape built once (core.shapes.held): filter the copy."""
    return Petition.objects.annotate(
        field_name=F("field__name"),
        committee_abbreviation=F("committee__abbreviation"),
        agency_name=F("agency__name"),
        agency_short_name=F("agency__short_name"),
        n_sources=_count(PetitionSource, "petition"),
    )


def petition_list_qs(qs: QuerySet) -> QuerySet:
    """What a petition list shows: related names in the same query, counts in subqueries, the
    deputies and meetings in one prefetch each (the API's list reads them by id instead:
    PetitionViewSet.list_ids)."""
    return (
        qs.select_related("field", "committee", "agency")
        .annotate(n_sources=_count(PetitionSource, "petition"))
        .prefetch_related(
            Prefetch("deputies", queryset=_deputies()),
            Prefetch("meetings", queryset=VoterMeeting.objects.only("id", "date", "title", "kind").order_by(*MEETING_ORDER)),
        )
    )


def meeting_names() -> dict:
    """The delegate group's and the commune's names, as columns of the query (the list page's and
    its export's: no model instance built for each)."""
    return {"group_name": F("group__name"), "commune_name": F("commune__name")}


@held
def meeting_rows() -> QuerySet:
    """The meetings as the list page shows them: the names (meeting_names), the petitions taken
    counted in a subquery, not the deputies (the page reads them from the link table); the shape
    built once (core.shapes.held): filter the copy."""
    return VoterMeeting.objects.annotate(**meeting_names(), n_petitions=_count(PetitionSource, "meeting"))


def meeting_list_qs(qs: QuerySet, *, listed_only: bool = False) -> QuerySet:
    """What a meeting list shows: the delegate group's and the commune's names in the same query
    (its session and field are shown by id, or not at all), the petitions taken in a subquery, the
    deputies present in one prefetch (as a plain list on rows that are only read, see
    petition_list_qs)."""
    prefetch = listed if listed_only else Prefetch
    return (
        qs.select_related("group", "commune")
        .annotate(
            n_petitions=_count(PetitionSource, "meeting"),
        )
        .prefetch_related(prefetch("deputies", queryset=_deputies()))
    )


def similar_petitions(*, council_id: int, text: str, exclude: int | None = None, limit: int = 8) -> list[Petition]:
    """Petitions of the council sharing the most folded words with `text` (accent-insensitive):
    candidates come from the full-text index (any word), ranked in Python by word overlap."""
    from django.contrib.postgres.search import SearchQuery

    words = [w for w in fold(text).split() if len(w) > 2]
    words = list(dict.fromkeys(words))[:15]
    if len(words) < 2:
        return []
    raw = " | ".join(words)
    qs = (
        Petition.objects.filter(council_id=council_id)
        .exclude(status=Petition.Status.MERGED)
        .filter(search_vector=SearchQuery(raw, search_type="raw", config="simple"))
        .only("id", "content", "status", "received_on", "search_text", "locality")
        .order_by("-received_on")[:300]
    )
    wanted = set(words)
    scored = []
    for p in qs:
        if p.pk == exclude:
            continue
        have = set(p.search_text.split())
        score = len(wanted & have) / len(wanted)
        if score >= 0.4:
            scored.append((score, p))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    result = []
    for score, p in scored[:limit]:
        p.similarity = round(score, 2)
        result.append(p)
    return result


def meetings_for(council) -> QuerySet:
    return VoterMeeting.objects.filter(council=council).order_by("-date")
