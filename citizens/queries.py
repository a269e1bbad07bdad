"""Read paths: querysets that select, prefetch and annotate what the pages, exports and API show
(no per-row queries). Protected identities are never prefetched for lists: a denunciation's
senders of a protected letter (and the visitors of a protected visit) are excluded from the prefetch."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from hdnd_portal.core.models import Deadline
from hdnd_portal.core.prefetch import listed
from hdnd_portal.core.shapes import held

from .models import Case, IdentityViewLog, Letter, LetterSender, ReceptionDay, ReceptionSchedule, Visit, VisitCitizen


def _open_deadlines(model) -> QuerySet:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), state=Deadline.State.OPEN
    )


def schedules(council_ids: list[int]) -> QuerySet:
    return (
        ReceptionSchedule.objects.filter(council_id__any=council_ids)
        .select_related("council", "body")
        .prefetch_related("receivers")
        .annotate(day_count=Count("days"))
    )


def days(council_ids: list[int]) -> QuerySet:
    return (
        ReceptionDay.objects.filter(council_id__any=council_ids)
        .select_related("schedule", "council")
        .prefetch_related("receivers")
        .annotate(visit_count=Count("visits", distinct=True), citizen_total=Sum("visits__citizen_count"))
    )


def visible_citizens(*, listed_only: bool = False) -> Prefetch:
    """A visit's citizens but those of a protected visit. listed_only: as the plain list
    `citizens_listed` (core.prefetch.listed; for rows that are only read), read with rows_of()."""
    return (listed if listed_only else Prefetch)(
        "citizens", queryset=VisitCitizen.objects.exclude(visit__identity_protected=True)
    )


def visible_senders(*, listed_only: bool = False) -> Prefetch:
    """A letter's senders but those of a protected letter (listed_only: see visible_citizens)."""
    return (listed if listed_only else Prefetch)(
        "senders", queryset=LetterSender.objects.exclude(letter__identity_protected=True)
    )


def visits(council_ids: list[int], *, listed_only: bool = False) -> QuerySet:
    """Visits as the reception log and a day's or a case's page list them: the case's code and the
    agency forwarded to (the log's export) in the same query, the visitors one can see prefetched.
    Whether an answer is still owed is the visit's own `answer` and `answer_due`: no deadline is read.
    The shape is built once (core.shapes.held)."""
    return _visits(listed_only).filter(council_id__any=council_ids)


@held
def _visits(listed_only: bool) -> QuerySet:
    return Visit.objects.select_related("case", "forwarded_to").prefetch_related(visible_citizens(listed_only=listed_only))


@held
def _logged_visits() -> QuerySet:
    return Visit.objects.annotate(case_code=F("case__code")).prefetch_related(visible_citizens(listed_only=True))


def logged_visits(council_ids: list[int]) -> QuerySet:
    """The reception log's page: the case's code as a column of the query (no Case built for each
    row), the visitors one can see as plain lists (see visits); the shape built once."""
    return _logged_visits().filter(council_id__any=council_ids)


def with_case_counts(qs: QuerySet) -> QuerySet:
    """Visits, letters and citizens of each case, as subqueries (no join fan-out)."""
    visit_citizens = (
        Visit.objects.filter(case=OuterRef("pk")).values("case").annotate(total=Sum("citizen_count")).values("total")
    )
    letter_count = Letter.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("id")).values("n")
    visit_count = Visit.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("id")).values("n")
    return qs.select_related("field", "council").annotate(
        visit_count=Subquery(visit_count), letter_count=Subquery(letter_count), citizen_total=Subquery(visit_citizens)
    )


def cases(council_ids: list[int]) -> QuerySet:
    return with_case_counts(Case.objects.filter(council_id__any=council_ids))


def _next_due() -> Subquery:
    return Subquery(_open_deadlines(Letter).order_by("due_date").values("due_date")[:1])


def _letter_names() -> dict:
    # What the register prints of the field and the agency forwarded to, as columns of its query.
    return {
        "field_name": F("field__name"),
        "forwarded_to_name": F("forwarded_to__name"),
        "forwarded_to_short_name": F("forwarded_to__short_name"),
    }


def letters(council_ids: list[int]) -> QuerySet:
    return (
        Letter.objects.filter(council_id__any=council_ids)
        .select_related("field", "forwarded_to", "respondent_agency", "council")
        .prefetch_related(visible_senders())
        .annotate(next_due=_next_due(), **_letter_names())
    )


@held
def _listed_letters(letter_type: int) -> QuerySet:
    # The content type's id keys the shape: its next-deadline subquery names it.
    senders = visible_senders(listed_only=True)  # read by identity.sender_summary
    senders.queryset = senders.queryset.only("id", "letter_id", "full_name", "is_representative")
    return Letter.objects.prefetch_related(senders).annotate(next_due=_next_due(), **_letter_names())


def listed_letters(council_ids: list[int]) -> QuerySet:
    """The letter register's page: its columns only — the first visible sender's name (the same
    protected-identity exclusion as everywhere, visible_senders), the field's and the forwarded-to
    agency's names (no model instance built for each), the next deadline — the shape built once
    (core.shapes.held)."""
    return _listed_letters(ContentType.objects.get_for_model(Letter).pk).filter(council_id__any=council_ids)


def overdue_filter(qs: QuerySet, model=Letter) -> QuerySet:
    today = timezone.localdate()
    return qs.filter(Exists(_open_deadlines(model).filter(due_date__lt=today)))


def identity_log(council_ids: list[int]) -> QuerySet:
    return IdentityViewLog.objects.filter(council_id__in=council_ids).select_related("user", "letter", "visit")


def letter_detail(pk: int) -> QuerySet:
    return Letter.objects.filter(pk=pk).select_related(
        "field",
        "forwarded_to",
        "respondent_agency",
        "forwarded_by_deputy",
        "forwarded_by_agency",
        "case",
        "visit",
        "split_from",
        "duplicate_of",
        "council",
    ).prefetch_related(
        "senders"  # shown (identity permitting) and matched against earlier letters
    ).annotate(
        # Most letters have no linked duplicates: the page asks for their list only when there are.
        has_duplicates=Exists(Letter.objects.filter(duplicate_of=OuterRef("pk")))
    )


def pending_letters(council_id: int) -> QuerySet:
    return Letter.objects.filter(council_id=council_id, status=Letter.Status.RECEIVED)
