"""Read paths of the public site. Each list is its own narrow query of public columns
(.values() of the fields a citizen may see), filtered to published records of one council —
never the staff querysets with fields hidden afterwards."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from hdnd_portal.core.models import Council, Deputy, Membership
from hdnd_portal.core.search import apply_search, fold

from .kinds import KINDS
from .models import Publication, TrackingCode

COUNCIL_FIELDS = ("id", "name", "level", "unit_kind", "code", "parent_id", "parent__name", "parent__code", "is_active")


def council_slug(name: str, code: str) -> str:
    return f"{slugify(fold(name))}-{code}"


def council_by_slug(slug: str) -> dict | None:
    code = slug.rsplit("-", 1)[-1]
    row = Council.objects.filter(code=code).values(*COUNCIL_FIELDS).first()
    if row:
        row["slug"] = council_slug(row["name"], row["code"])
        row["parent_slug"] = council_slug(row["parent__name"], row["parent__code"]) if row["parent_id"] else ""
        row["is_historical"] = row["level"] == Council.Level.DISTRICT or not row["is_active"]
    return row


def councils(query: str = "", parent_id: int | None = None, limit: int = 300) -> list[dict]:
    qs = Council.objects.all()
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    if query:
        qs = apply_search(qs, query)
    rows = list(qs.order_by("level", "name").values("id", "name", "level", "code", "is_active", "parent__name")[:limit])
    for row in rows:
        row["slug"] = council_slug(row["name"], row["code"])
        row["is_historical"] = row["level"] == Council.Level.DISTRICT or not row["is_active"]
    return rows


def _published(kind_key: str, council_id: int | None = None):
    kind = KINDS[kind_key]
    pubs = Publication.objects.filter(content_type=kind.content_type, object_id=OuterRef("pk"))
    qs = kind.model.objects.filter(kind.publishable).filter(Exists(pubs))
    return qs.filter(council_id=council_id) if council_id else qs


def _with_publication(rows: list[dict], kind_key: str) -> list[dict]:
    """Add published_at and the public summary to each row (one query)."""
    if not rows:
        return rows
    pubs = {
        p["object_id"]: p
        for p in Publication.objects.filter(
            content_type=KINDS[kind_key].content_type, object_id__in=[r["id"] for r in rows]
        ).values("object_id", "published_at", "summary")
    }
    for row in rows:
        pub = pubs.get(row["id"], {})
        row["published_at"] = pub.get("published_at")
        row["summary"] = pub.get("summary", "")
    return rows


# --- Sessions -------------------------------------------------------------------------------

SESSION_FIELDS = ("id", "number", "kind", "title", "planned_start", "planned_end", "actual_start", "actual_end",
                  "venue", "is_public", "status", "term__numeral")


def sessions(council_id: int, upcoming_only: bool = False) -> list[dict]:
    qs = _published("session", council_id)
    if upcoming_only:
        qs = qs.filter(planned_end__gte=timezone.localdate())
    rows = list(qs.order_by("-planned_start", "-number").values(*SESSION_FIELDS)[:200])
    for row in rows:
        row["start"] = row["actual_start"] or row["planned_start"]
        row["end"] = row["actual_end"] or row["planned_end"]
    return _with_publication(rows, "session")


def session(council_id: int, pk: int) -> dict | None:
    row = _published("session", council_id).filter(pk=pk).values(*SESSION_FIELDS).first()
    if row is None:
        return None
    row["start"] = row["actual_start"] or row["planned_start"]
    row["end"] = row["actual_end"] or row["planned_end"]
    _with_publication([row], "session")
    row["agenda"] = []
    if row["is_public"]:
        # A closed session's agenda never leaves the office.
        from sessions.models import AgendaItem

        row["agenda"] = list(
            AgendaItem.objects.filter(session_id=pk, council_id=council_id)
            .order_by("position", "pk")
            .values("position", "title", "presenter_name", "presenter_agency__name", "group__title")
        )
    row["resolutions"] = list(
        _published("resolution", council_id).filter(session_id=pk).order_by("number_seq").values("id", "number", "title")
    )
    return row


# --- Resolutions ----------------------------------------------------------------------------

RESOLUTION_FIELDS = ("id", "number", "title", "kind", "adopted_on", "effective_on", "year", "field__name",
                     "session_id", "session__number", "implementation_status", "signed_file")


def resolutions_qs(council_id: int, *, q: str = "", year: int | None = None, kind: str = "", field: int | None = None):
    qs = _published("resolution", council_id)
    if q:
        qs = apply_search(qs, q)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(field_id=field)
    return qs.order_by("-adopted_on", "-number_seq", "-id").values(*RESOLUTION_FIELDS)


def resolution(council_id: int, pk: int) -> dict | None:
    row = _published("resolution", council_id).filter(pk=pk).values(*RESOLUTION_FIELDS).first()
    return _with_publication([row], "resolution")[0] if row else None


def resolution_years(council_id: int) -> list[int]:
    return list(_published("resolution", council_id).order_by("-year").values_list("year", flat=True).distinct())


# --- Oversight ------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("id", "topic", "kind", "start_date", "end_date", "status", "conclusion_number", "conclusion_date",
                   "programme__title", "programme__year", "body__name")


def oversight_qs(council_id: int, *, q: str = "", year: int | None = None):
    qs = _published("oversight", council_id)
    if q:
        qs = apply_search(qs, q)
    if year:
        qs = qs.filter(start_date__year=year)
    return qs.order_by("-start_date", "-id").values(*ACTIVITY_FIELDS)


def activity(council_id: int, pk: int) -> dict | None:
    from oversight.models import Recommendation

    row = _published("oversight", council_id).filter(pk=pk).values(*ACTIVITY_FIELDS, "conclusion_text").first()
    if row is None:
        return None
    _with_publication([row], "oversight")
    row["recommendations"] = list(
        Recommendation.objects.filter(activity_id=pk, council_id=council_id)
        .order_by("deadline", "pk")
        .values("id", "text", "agency__name", "issued_on", "deadline", "status", "done_on")
    )
    return row


def recommendation_counts(activity_ids: list[int]) -> dict[int, dict]:
    from django.db.models import Count

    from oversight.models import Recommendation

    counts: dict[int, dict] = {}
    rows = (Recommendation.objects.filter(activity_id__in=activity_ids).values("activity_id", "status")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        counts.setdefault(row["activity_id"], {})[row["status"]] = row["n"]
    return counts


# --- Petitions ------------------------------------------------------------------------------

PETITION_FIELDS = ("id", "content", "field__name", "locality", "received_on", "status", "forwarded_on",
                   "agency__name", "response_date", "response_number", "response_text", "updated_at")


def petitions_qs(council_id: int, *, q: str = "", status: str = "", locality: str = "", answered: bool = False):
    qs = _published("petition", council_id)
    if q:
        qs = apply_search(qs, q)
    if status:
        qs = qs.filter(status=status)
    if answered:
        qs = qs.filter(response_date__isnull=False)
    if locality:
        qs = qs.filter(locality=locality)
    return qs.order_by("-received_on", "-id").values(*PETITION_FIELDS)


def petition(council_id: int, pk: int) -> dict | None:
    row = _published("petition", council_id).filter(pk=pk).values(*PETITION_FIELDS).first()
    return _with_publication([row], "petition")[0] if row else None


def petition_localities(council_id: int) -> list[str]:
    return list(
        _published("petition", council_id).exclude(locality="").order_by("locality")
        .values_list("locality", flat=True).distinct()[:200]
    )


# --- Citizen reception ----------------------------------------------------------------------


def reception(council_id: int, days_ahead: int = 120) -> dict:
    from citizens.models import ReceptionDay, ReceptionSchedule

    schedules = list(
        _published("reception", council_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
        .order_by("-valid_from")
        .values("id", "title", "receiver_kind", "location", "weekday", "weeks", "sessions_per_month", "start_time",
                "end_time", "valid_from", "valid_to", "body__name")
    )
    ids = [s["id"] for s in schedules]
    names: dict[int, list[str]] = {}
    for r in ReceptionSchedule.receivers.through.objects.filter(receptionschedule_id__in=ids).values(
        "receptionschedule_id", "deputy__full_name"
    ).order_by("deputy__sort_key", "deputy_id"):
        names.setdefault(r["receptionschedule_id"], []).append(r["deputy__full_name"])
    for s in schedules:
        s["receivers"] = names.get(s["id"], [])
    today = timezone.localdate()
    days = list(
        ReceptionDay.objects.filter(schedule_id__in=ids, date__gte=today, date__lte=today.fromordinal(today.toordinal() + days_ahead))
        .order_by("date", "start_time")
        .values("id", "date", "start_time", "location", "status", "schedule_id", "schedule__title", "schedule__end_time")[:60]
    )
    day_names: dict[int, list[str]] = {}
    for r in ReceptionDay.receivers.through.objects.filter(receptionday_id__in=[d["id"] for d in days]).values(
        "receptionday_id", "deputy__full_name"
    ).order_by("deputy__sort_key", "deputy_id"):
        day_names.setdefault(r["receptionday_id"], []).append(r["deputy__full_name"])
    for d in days:
        d["receivers"] = day_names.get(d["id"]) or names.get(d["schedule_id"], [])
    # Days the office has not entered one by one still follow the published rule ("the Thursday of
    # weeks 1 and 3"): computed here so that a citizen always sees the next dates.
    explicit = {(d["schedule_id"], d["date"]) for d in days}
    end = today + timedelta(days=min(days_ahead, 62))
    for s in schedules:
        for day in rule_dates(s, today, end):
            if (s["id"], day) not in explicit:
                days.append({"id": None, "date": day, "start_time": s["start_time"], "location": s["location"],
                             "status": "planned", "schedule_id": s["id"], "schedule__title": s["title"],
                             "schedule__end_time": s["end_time"], "receivers": s["receivers"], "from_rule": True})
    days.sort(key=lambda d: (d["date"], d["start_time"]))
    return {"schedules": _with_publication(schedules, "reception"), "days": days}


def _week_list(weeks: str, per_month: int) -> list[int]:
    """Same rule as citizens.ReceptionSchedule.week_list, on the public columns."""
    try:
        if weeks.strip():
            return sorted({int(w) for w in weeks.replace(" ", "").split(",") if w})
    except ValueError:
        return []
    n = per_month or 1
    step = max(1, 4 // n)
    return [1 + i * step for i in range(min(n, 5))]


def rule_dates(schedule: dict, start: date, end: date) -> list[date]:
    """Dates in [start, end] on the schedule's weekday in its weeks of the month (5 = the last)."""
    found = []
    weeks = _week_list(schedule["weeks"], schedule["sessions_per_month"])
    month = date(start.year, start.month, 1)
    while month <= end:
        same_weekday = [month + timedelta(days=i) for i in range(31)
                        if (month + timedelta(days=i)).month == month.month
                        and (month + timedelta(days=i)).weekday() == schedule["weekday"]]
        for w in weeks:
            if not same_weekday:
                continue
            day = same_weekday[-1] if w >= 5 else same_weekday[min(w, len(same_weekday)) - 1]
            valid = schedule["valid_from"] <= day and (schedule["valid_to"] is None or day <= schedule["valid_to"])
            if start <= day <= end and valid and day not in found:
                found.append(day)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return sorted(found)


# --- Deputies (public fields only: never birth date, e-mail or phone) -------------------------

DEPUTY_FIELDS = ("id", "full_name", "gender", "constituency", "occupation", "is_full_time", "start_date", "end_date",
                 "term__numeral")


def deputies(council_id: int) -> list[dict]:
    today = timezone.localdate()
    rows = list(
        Deputy.objects.filter(council_id=council_id, term__is_current=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("constituency", "sort_key", "pk")
        .values(*DEPUTY_FIELDS)
    )
    posts: dict[int, list[dict]] = {}
    for m in memberships(council_id, [r["id"] for r in rows]):
        posts.setdefault(m["deputy_id"], []).append(m)
    for row in rows:
        row["posts"] = posts.get(row["id"], [])
    return rows


def memberships(council_id: int, deputy_ids: list[int]) -> list[dict]:
    today = timezone.localdate()
    return list(
        Membership.objects.filter(council_id=council_id, deputy_id__in=deputy_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("body__kind", "body__sort_key", "role")
        .values("id", "deputy_id", "body_id", "body__name", "body__kind", "role", "start_date", "end_date")
    )


# --- Tracking -------------------------------------------------------------------------------


def track(code: str) -> dict | None:
    """Status and dates of the record behind a tracking code — nothing else."""
    from citizens.models import Letter
    from voters.models import Petition

    tc = TrackingCode.objects.filter(code=code).values("content_type__model", "object_id", "council_id").first()
    if tc is None:
        return None
    if tc["content_type__model"] == "petition":
        row = Petition.objects.filter(pk=tc["object_id"]).values(
            "status", "received_on", "forwarded_on", "response_due", "response_date"
        ).first()
        if row is None:
            return None
        row["kind"] = "petition"
        row["status_label"] = Petition.Status(row["status"]).label
        public = petition(tc["council_id"], tc["object_id"])
        row["public_id"] = public["id"] if public else None
    else:
        row = Letter.objects.filter(pk=tc["object_id"]).values(
            "status", "received_on", "decided_on", "accepted_on", "result_date", "citizen_notified_on"
        ).first()
        if row is None:
            return None
        row["kind"] = "letter"
        row["status_label"] = Letter.Status(row["status"]).label
    council = Council.objects.filter(pk=tc["council_id"]).values("name", "code").first()
    row["council_name"] = council["name"]
    row["council_slug"] = council_slug(council["name"], council["code"])
    return row


def last_update(kind_key: str, council_id: int | None = None) -> date | None:
    qs = Publication.objects.filter(content_type=KINDS[kind_key].content_type)
    if council_id:
        qs = qs.filter(council_id=council_id)
    return qs.order_by("-published_at").values_list("published_at", flat=True).first()
