"""The public transparency site: no login, cached, rate-limited, built from public/queries.py."""

from datetime import time
from functools import wraps

from django import forms
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Body, Council, Deputy, Field, Membership

from . import cache as public_cache
from . import opendata, queries, services
from .ratelimit import hit, rate_limited, too_many

PAGE_SIZE = 20


def _labels(rows, field, choices, target=None):
    mapping = dict(choices)
    for row in rows:
        row[target or f"{field}_label"] = mapping.get(row.get(field), row.get(field) or "")
    return rows


def _store(key: str, response) -> None:
    headers = {h: response[h] for h in ("Content-Disposition", "Access-Control-Allow-Origin") if h in response}
    cache.set(key, (response.status_code, response["Content-Type"], response.content, headers), public_cache.TTL)


def _from_cache(value) -> HttpResponse:
    status, content_type, content, headers = value
    response = HttpResponse(content, content_type=content_type, status=status)
    for name, header in headers.items():
        response[name] = header
    response["X-Public-Cache"] = "hit"
    return response


def cached_page(view):
    """Rate limit, then serve from the page cache (GET, status 200 only)."""

    @wraps(view)
    @rate_limited("page")
    def wrapped(request, *args, **kwargs):
        key = public_cache.page_key(None, request.path, request.META.get("QUERY_STRING", ""))
        value = cache.get(key)
        if value is not None:
            return _from_cache(value)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            _store(key, response)
        return response

    return wrapped


# Council code → id, per process: both are fixed once a council exists, so the warm path needs
# no database query and only one cache round trip (council row and generation together).
_COUNCIL_IDS: dict[str, int] = {}


def _council_and_generation(slug: str) -> tuple[dict | None, int]:
    code = slug.rsplit("-", 1)[-1]
    council_id = _COUNCIL_IDS.get(code)
    if council_id is None:
        council_id = Council.objects.filter(code=code).values_list("id", flat=True).first()
        if council_id is None:
            return None, 0
        _COUNCIL_IDS[code] = council_id
    ckey, gkey = public_cache.council_key(council_id), public_cache.gen_key(council_id)
    found = cache.get_many([ckey, gkey])
    council, gen = found.get(ckey), found.get(gkey)
    if gen is None:
        gen = public_cache.generation(council_id)
    if council is None or council["code"] != code:
        council = queries.council_by_slug(slug)
        if council is None:
            _COUNCIL_IDS.pop(code, None)
            return None, 0
        if council["id"] != council_id:  # the code now names another row (a council re-created)
            _COUNCIL_IDS[code] = council["id"]
            gen = public_cache.generation(council["id"])
        cache.set(public_cache.council_key(council["id"]), council, public_cache.TTL)
    return council, int(gen)


def _council(slug: str) -> dict | None:
    return _council_and_generation(slug)[0]


def council_page(view):
    """Resolve the council from its readable slug (redirecting to the canonical one), rate limit,
    then serve from the council's page cache."""

    @wraps(view)
    @rate_limited("page")
    def wrapped(request, slug, *args, **kwargs):
        council, gen = _council_and_generation(slug)
        if council is None:
            return not_found(request)
        if slug != council["slug"]:
            target = request.path.replace(f"/{slug}", f"/{council['slug']}", 1)
            return HttpResponsePermanentRedirect(target)
        key = public_cache.page_key(council["id"], request.path, request.META.get("QUERY_STRING", ""), gen)
        value = cache.get(key)
        if value is not None:
            return _from_cache(value)
        try:
            response = view(request, council, *args, **kwargs)
        except Http404:
            return not_found(request, council)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            _store(key, response)
        return response

    return wrapped


def not_found(request, council=None):
    return render(request, "public/404.html", _ctx(council, ""), status=404)


def _ctx(council: dict | None, section: str = "", **extra) -> dict:
    return {"council": council, "section": section, **extra}


def _page(request, qs):
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    return page


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


# --- Home and council -----------------------------------------------------------------------


@cached_page
def home(request):
    q = request.GET.get("q", "").strip()[:100]
    if q:
        results = queries.councils(q, limit=50)
    else:
        results = [c for c in queries.councils(limit=400) if c["level"] == Council.Level.PROVINCE]
    return render(request, "public/home.html", _ctx(None, "home", q=q, results=results))


@council_page
def council_home(request, council):
    from sessions.models import CouncilSession, Resolution
    from voters.models import Petition

    sessions = queries.sessions(council["id"])
    today = timezone.localdate()
    upcoming = [s for s in sessions if s["end"] >= today][-3:]
    recent_sessions = [s for s in sessions if s["end"] < today][:2]
    _labels(upcoming + recent_sessions, "kind", CouncilSession.Kind.choices)
    resolutions = list(queries.resolutions_qs(council["id"])[:5])
    _labels(resolutions, "kind", Resolution.Kind.choices)
    answered = list(queries.petitions_qs(council["id"], answered=True)[:5])
    _labels(answered, "status", Petition.Status.choices)
    reception = queries.reception(council["id"], days_ahead=60)
    children = queries.councils(parent_id=council["id"]) if council["level"] != Council.Level.COMMUNE else []
    return render(request, "public/council.html", _ctx(
        council, "overview", upcoming=upcoming, recent_sessions=recent_sessions, resolutions=resolutions,
        answered=answered, days=reception["days"][:4], children=children,
        oversight=list(queries.oversight_qs(council["id"])[:3]),
    ))


# --- Sessions -------------------------------------------------------------------------------


@council_page
def sessions(request, council):
    from sessions.models import CouncilSession

    rows = _labels(queries.sessions(council["id"]), "kind", CouncilSession.Kind.choices)
    _labels(rows, "status", CouncilSession.Status.choices)
    return render(request, "public/sessions.html", _ctx(council, "sessions", sessions=rows))


@council_page
def session_detail(request, council, pk):
    from sessions.models import CouncilSession

    row = queries.session(council["id"], pk)
    if row is None:
        raise Http404
    _labels([row], "kind", CouncilSession.Kind.choices)
    _labels([row], "status", CouncilSession.Status.choices)
    return render(request, "public/session_detail.html", _ctx(council, "sessions", s=row))


@council_page
def sessions_data(request, council, fmt):
    from sessions.models import CouncilSession

    rows = _labels(queries.sessions(council["id"]), "kind", CouncilSession.Kind.choices)
    _labels(rows, "status", CouncilSession.Status.choices)
    items = [{
        "id": r["id"], "number": r["number"], "term": r["term__numeral"], "kind": r["kind"], "kind_label": r["kind_label"],
        "title": r["title"], "start": r["start"], "end": r["end"], "venue": r["venue"], "public": r["is_public"],
        "status": r["status"], "url": request.build_absolute_uri(
            reverse("public:session", args=[council["slug"], r["id"]])),
    } for r in rows]
    name = f"ky-hop-{council['slug']}"
    if fmt == "json":
        return opendata.as_json(opendata.envelope(council, "sessions", items), name)
    if fmt == "csv":
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    if fmt == "ics":
        events = [{
            "uid": f"session-{i['id']}@hdnd-portal", "day_start": i["start"], "day_end": i["end"],
            "summary": _("%(council)s: Session %(number)s") % {"council": council["name"], "number": i["number"]}
            + (f" — {i['title']}" if i["title"] else ""),
            "location": i["venue"], "url": i["url"],
        } for i in items]
        return opendata.ical(_("Sessions of the People's Council of %(name)s") % {"name": council["name"]}, events, name)
    raise Http404


# --- Resolutions ----------------------------------------------------------------------------


class ResolutionFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search by number or title"), required=False, max_length=100)
    nam = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    loai = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    linh_vuc = forms.TypedChoiceField(label=gettext_lazy("Field"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, council_id: int, **kwargs):
        from sessions.models import Resolution

        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("All years"))] + [(y, y) for y in queries.resolution_years(council_id)]
        self.fields["loai"].choices = [("", _("All kinds")), *Resolution.Kind.choices]
        self.fields["linh_vuc"].choices = [("", _("All fields"))] + list(
            Field.objects.filter(is_active=True).order_by("name").values_list("id", "name"))

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": data.get("q") or "", "year": data.get("nam"), "kind": data.get("loai") or "",
                "field": data.get("linh_vuc")}


@council_page
def resolutions(request, council):
    from sessions.models import Resolution

    form = ResolutionFilter(request.GET or None, council_id=council["id"])
    page = _page(request, queries.resolutions_qs(council["id"], **form.values()))
    _labels(page.object_list, "kind", Resolution.Kind.choices)
    return render(request, "public/resolutions.html", _ctx(council, "resolutions", form=form, page=page))


@council_page
def resolution_detail(request, council, pk):
    from sessions.models import Resolution

    row = queries.resolution(council["id"], pk)
    if row is None:
        raise Http404
    _labels([row], "kind", Resolution.Kind.choices)
    _labels([row], "implementation_status", Resolution.Implementation.choices)
    return render(request, "public/resolution_detail.html", _ctx(council, "resolutions", r=row))


@rate_limited("page")
def resolution_file(request, slug, pk):
    """The signed file of a published resolution, as an attachment; never through /media/."""
    council = _council(slug)
    row = queries.resolution(council["id"], pk) if council else None
    if row is None or not row["signed_file"] or not default_storage.exists(row["signed_file"]):
        raise Http404
    extension = row["signed_file"].rsplit(".", 1)[-1].lower() if "." in row["signed_file"] else "pdf"
    filename = f"nghi-quyet-{row['number'].replace('/', '-')}.{extension}"
    return FileResponse(default_storage.open(row["signed_file"], "rb"), as_attachment=True, filename=filename)


def _resolution_items(request, council, rows):
    from sessions.models import Resolution

    _labels(rows, "kind", Resolution.Kind.choices)
    return [{
        "id": r["id"], "number": r["number"], "title": r["title"], "kind": r["kind"], "kind_label": r["kind_label"],
        "adopted_on": r["adopted_on"], "effective_on": r["effective_on"], "field": r["field__name"] or "",
        "session_number": r["session__number"],
        "url": request.build_absolute_uri(reverse("public:resolution", args=[council["slug"], r["id"]])),
        "file_url": request.build_absolute_uri(reverse("public:resolution_file", args=[council["slug"], r["id"]]))
        if r["signed_file"] else "",
    } for r in rows]


@council_page
def resolutions_data(request, council, fmt):
    if fmt == "atom":
        from .feeds import ResolutionFeed

        return ResolutionFeed()(request, council=council)
    form = ResolutionFilter(request.GET or None, council_id=council["id"])
    rows = list(queries.resolutions_qs(council["id"], **form.values())[: opendata.MAX_ROWS])
    items = _resolution_items(request, council, rows)
    name = f"nghi-quyet-{council['slug']}"
    if fmt == "json":
        return opendata.as_json(opendata.envelope(council, "resolutions", items), name)
    if fmt == "csv":
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    raise Http404


# --- Oversight ------------------------------------------------------------------------------


def _activity_rows(rows):
    from oversight.models import ActivityKind, OversightActivity, Recommendation

    _labels(rows, "kind", ActivityKind.choices)
    _labels(rows, "status", OversightActivity.Status.choices)
    counts = queries.recommendation_counts([r["id"] for r in rows])
    labels = dict(Recommendation.Status.choices)
    for row in rows:
        c = counts.get(row["id"], {})
        row["recommendation_total"] = sum(c.values())
        row["recommendation_states"] = [(labels[k], v) for k, v in c.items()]
    return rows


@council_page
def oversight(request, council):
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, queries.oversight_qs(council["id"], q=q))
    _activity_rows(page.object_list)
    return render(request, "public/oversight.html", _ctx(council, "oversight", page=page, q=q))


@council_page
def activity_detail(request, council, pk):
    from oversight.models import Recommendation

    row = queries.activity(council["id"], pk)
    if row is None:
        raise Http404
    _activity_rows([row])
    _labels(row["recommendations"], "status", Recommendation.Status.choices)
    return render(request, "public/activity_detail.html", _ctx(council, "oversight", a=row))


@council_page
def oversight_data(request, council, fmt):
    from oversight.models import Recommendation

    rows = _activity_rows(list(queries.oversight_qs(council["id"])[: opendata.MAX_ROWS]))
    recs: dict[int, list] = {}
    for rec in Recommendation.objects.filter(activity_id__in=[r["id"] for r in rows]).order_by("pk").values(
        "activity_id", "text", "agency__name", "deadline", "status", "done_on"
    ):
        recs.setdefault(rec.pop("activity_id"), []).append(rec)
    items = [{
        "id": r["id"], "topic": r["topic"], "kind": r["kind"], "kind_label": r["kind_label"], "start_date": r["start_date"],
        "end_date": r["end_date"], "status": r["status"], "conclusion_number": r["conclusion_number"],
        "conclusion_date": r["conclusion_date"], "programme": r["programme__title"] or "",
        "recommendations": recs.get(r["id"], []) if fmt == "json" else r["recommendation_total"],
        "url": request.build_absolute_uri(reverse("public:activity", args=[council["slug"], r["id"]])),
    } for r in rows]
    name = f"giam-sat-{council['slug']}"
    if fmt == "json":
        return opendata.as_json(opendata.envelope(council, "oversight", items), name)
    if fmt == "csv":
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    raise Http404


# --- Petitions ------------------------------------------------------------------------------


def _petition_filters(request) -> dict:
    from voters.models import Petition

    status = request.GET.get("trang_thai", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": status if status in Petition.Status.values else "",
        "locality": request.GET.get("dia_ban", "").strip()[:200],
    }


@council_page
def petitions(request, council):
    from voters.models import Petition

    filters = _petition_filters(request)
    page = _page(request, queries.petitions_qs(council["id"], **filters))
    _labels(page.object_list, "status", Petition.Status.choices)
    statuses = [(v, label) for v, label in Petition.Status.choices if v != Petition.Status.MERGED]
    return render(request, "public/petitions.html", _ctx(
        council, "petitions", page=page, filters=filters, statuses=statuses,
        localities=queries.petition_localities(council["id"]),
    ))


@council_page
def petition_detail(request, council, pk):
    from voters.models import Petition

    row = queries.petition(council["id"], pk)
    if row is None:
        raise Http404
    _labels([row], "status", Petition.Status.choices)
    return render(request, "public/petition_detail.html", _ctx(council, "petitions", p=row))


@council_page
def petitions_data(request, council, fmt):
    from voters.models import Petition

    if fmt == "atom":
        from .feeds import PetitionFeed

        return PetitionFeed()(request, council=council)
    rows = list(queries.petitions_qs(council["id"], **_petition_filters(request))[: opendata.MAX_ROWS])
    _labels(rows, "status", Petition.Status.choices)
    items = [{
        "id": r["id"], "content": r["content"], "field": r["field__name"] or "", "locality": r["locality"],
        "received_on": r["received_on"], "status": r["status"], "status_label": r["status_label"],
        "forwarded_on": r["forwarded_on"], "agency": r["agency__name"] or "", "response_date": r["response_date"],
        "response_number": r["response_number"], "response": r["response_text"],
        "url": request.build_absolute_uri(reverse("public:petition", args=[council["slug"], r["id"]])),
    } for r in rows]
    name = f"kien-nghi-{council['slug']}"
    if fmt == "json":
        return opendata.as_json(opendata.envelope(council, "petitions", items), name)
    if fmt == "csv":
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    raise Http404


# --- Citizen reception ----------------------------------------------------------------------


def _reception(council):
    from citizens.models import ReceptionDay, ReceptionSchedule

    data = queries.reception(council["id"])
    _labels(data["schedules"], "receiver_kind", ReceptionSchedule.Receiver.choices)
    _labels(data["schedules"], "weekday", ReceptionSchedule.Weekday.choices)
    _labels(data["days"], "status", ReceptionDay.Status.choices)
    return data


@council_page
def reception(request, council):
    return render(request, "public/reception.html", _ctx(council, "reception", **_reception(council)))


@council_page
def reception_data(request, council, fmt):
    data = _reception(council)
    items = [{
        "id": d["id"], "schedule_id": d["schedule_id"], "date": d["date"], "start_time": d["start_time"],
        "end_time": d["schedule__end_time"],
        "location": d["location"], "status": d["status"], "status_label": d["status_label"],
        "schedule": d["schedule__title"], "receivers": d["receivers"],
    } for d in data["days"]]
    name = f"tiep-cong-dan-{council['slug']}"
    if fmt == "json":
        schedules = [{k: s[k] for k in ("id", "title", "receiver_kind_label", "location", "weekday_label", "weeks",
                                         "start_time", "end_time", "valid_from", "valid_to", "receivers")}
                     for s in data["schedules"]]
        payload = opendata.envelope(council, "citizen-reception", items)
        payload["schedules"] = schedules
        return opendata.as_json(payload, name)
    if fmt == "csv":
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    if fmt == "ics":
        url = request.build_absolute_uri(reverse("public:reception", args=[council["slug"]]))
        events = [{
            "uid": f"reception-{i['schedule_id']}-{i['date']:%Y%m%d}@hdnd-portal", "day": i["date"], "start": i["start_time"],
            "end": i["end_time"] if i["end_time"] and i["end_time"] > i["start_time"] else time(11, 30),
            "summary": _("Citizen reception: %(who)s") % {"who": ", ".join(i["receivers"]) or i["schedule"]},
            "location": i["location"], "description": i["schedule"], "url": url,
            "cancelled": i["status"] == "cancelled",
        } for i in items]
        return opendata.ical(_("Citizen reception — %(name)s") % {"name": council["name"]}, events, name)
    raise Http404


# --- Deputies -------------------------------------------------------------------------------


@council_page
def deputies(request, council):
    rows = _labels(queries.deputies(council["id"]), "gender", Deputy.Gender.choices)
    roles = dict(Membership.Role.choices)
    groups: dict[str, list] = {}
    for row in rows:
        for post in row["posts"]:
            post["role_label"] = roles.get(post["role"], post["role"])
        groups.setdefault(row["constituency"] or _("Constituency not recorded"), []).append(row)
    return render(request, "public/deputies.html", _ctx(council, "deputies", groups=groups, total=len(rows)))


@council_page
def deputies_data(request, council, fmt):
    rows = queries.deputies(council["id"])
    name = f"dai-bieu-{council['slug']}"
    if fmt == "csv":
        items = [{"id": r["id"], "name": r["full_name"], "gender": r["gender"], "constituency": r["constituency"],
                  "occupation": r["occupation"], "full_time": r["is_full_time"], "term": r["term__numeral"],
                  "posts": [f"{p['role']}: {p['body__name']}" for p in r["posts"]]} for r in rows]
        return opendata.as_csv(items, list(items[0]) if items else ["id"], name)
    if fmt != "json":
        raise Http404
    # Popolo (https://www.popoloproject.com/): persons, organizations, memberships, areas.
    council_org = f"council/{council['code']}"
    areas = sorted({r["constituency"] for r in rows if r["constituency"]})
    area_ids = {a: f"area/{council['code']}/{i + 1}" for i, a in enumerate(areas)}
    body_ids = sorted({p["body_id"] for r in rows for p in r["posts"]})
    bodies = Body.objects.filter(id__in=body_ids).values("id", "name", "kind")
    persons, memberships = [], []
    for r in rows:
        pid = f"person/{r['id']}"
        persons.append({"id": pid, "name": r["full_name"], **({"gender": r["gender"]} if r["gender"] else {})})
        memberships.append({
            "id": f"membership/deputy/{r['id']}", "person_id": pid, "organization_id": council_org, "role": "Đại biểu",
            "start_date": r["start_date"], **({"end_date": r["end_date"]} if r["end_date"] else {}),
            **({"area_id": area_ids[r["constituency"]]} if r["constituency"] else {}),
        })
        for p in r["posts"]:
            memberships.append({
                "id": f"membership/{p['id']}", "person_id": pid, "organization_id": f"body/{p['body_id']}",
                "role": dict(Membership.Role.choices).get(p["role"], p["role"]), "start_date": p["start_date"],
                **({"end_date": p["end_date"]} if p["end_date"] else {}),
            })
    payload = {
        "licence": opendata.LICENCE, "generated_at": timezone.now(),
        "persons": persons,
        "organizations": [{"id": council_org, "name": str(_("People's Council of %(name)s") % {"name": council["name"]}),
                           "classification": "council"}]
        + [{"id": f"body/{b['id']}", "name": b["name"], "classification": b["kind"], "parent_id": council_org}
           for b in bodies],
        "memberships": memberships,
        "areas": [{"id": area_ids[a], "name": a, "classification": "constituency"} for a in areas],
    }
    return opendata.as_json(payload, name)


# --- Datasets -------------------------------------------------------------------------------


def _datasets(request, council):
    slug = council["slug"] if council else "<hoi-dong>"
    base = reverse("public:council", args=[council["slug"]]) if council else "/cong-khai/<hoi-dong>/"

    def url(name, ext):
        return f"{base}{name}.{ext}"

    rows = [
        (_("Resolutions"), "resolution", [("JSON", url("nghi-quyet", "json")), ("CSV", url("nghi-quyet", "csv")),
                                          ("Atom", url("nghi-quyet", "atom"))]),
        (_("Session calendar"), "session", [("JSON", url("ky-hop", "json")), ("CSV", url("ky-hop", "csv")),
                                            ("iCalendar", url("ky-hop", "ics"))]),
        (_("Oversight conclusions and recommendations"), "oversight",
         [("JSON", url("giam-sat", "json")), ("CSV", url("giam-sat", "csv"))]),
        (_("Voter petitions and answers"), "petition", [("JSON", url("kien-nghi", "json")),
                                                       ("CSV", url("kien-nghi", "csv")),
                                                       ("Atom", url("kien-nghi", "atom"))]),
        (_("Citizen reception days"), "reception", [("JSON", url("tiep-cong-dan", "json")),
                                                    ("CSV", url("tiep-cong-dan", "csv")),
                                                    ("iCalendar", url("tiep-cong-dan", "ics"))]),
        (_("Deputies and memberships (Popolo)"), None, [("JSON (Popolo)", url("dai-bieu", "json")),
                                                       ("CSV", url("dai-bieu", "csv"))]),
    ]
    cid = council["id"] if council else None
    return [{"title": title, "formats": formats if council else [(f, "") for f, _u in formats],
             "updated": queries.last_update(kind, cid) if kind else None, "slug": slug} for title, kind, formats in rows]


@cached_page
def datasets(request):
    return render(request, "public/datasets.html", _ctx(None, "data", datasets=_datasets(request, None),
                                                         licence=opendata.LICENCE))


@council_page
def council_datasets(request, council):
    return render(request, "public/datasets.html", _ctx(council, "data", datasets=_datasets(request, council),
                                                        licence=opendata.LICENCE))


# --- Tracking -------------------------------------------------------------------------------


@rate_limited("page")
def track(request):
    code_input = request.GET.get("ma", "")
    result, searched = None, False
    if code_input:
        # Look-ups are limited harder than pages: codes cannot be tried in bulk.
        if not hit(request, "track", _sensitive_limit()):
            return too_many(request)
        searched = True
        code = services.normalise_code(code_input)
        result = queries.track(code) if len(code) == services.CODE_LENGTH else None
    response = render(request, "public/track.html", _ctx(None, "track", code=code_input[:20], result=result,
                                                         searched=searched))
    if searched and result is None:
        # A wrong code and an unknown code get the same answer (same page, same status).
        response.status_code = 404
    response["Cache-Control"] = "no-store"
    return response


def _sensitive_limit() -> int:
    from django.conf import settings

    from .ratelimit import DEFAULT_SENSITIVE

    return getattr(settings, "PUBLIC_RATE_LIMIT_SENSITIVE", DEFAULT_SENSITIVE)


# --- Following by e-mail --------------------------------------------------------------------


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail"), max_length=200)
    hoi_dong = forms.CharField(widget=forms.HiddenInput)
    loai = forms.ChoiceField(label=gettext_lazy("Follow"), choices=[])
    q = forms.CharField(label=gettext_lazy("Search term"), required=False, max_length=200)
    kien_nghi = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from .models import Subscription

        super().__init__(*args, **kwargs)
        self.fields["loai"].choices = Subscription.Kind.choices


@csrf_exempt  # an anonymous form on cached pages; double opt-in and the rate limit guard it
@require_http_methods(["GET", "POST"])
@rate_limited("page")
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    done = False
    if request.method == "POST":
        if not hit(request, "subscribe", _sensitive_limit()):
            return too_many(request)
        if form.is_valid():
            council = _council(form.cleaned_data["hoi_dong"])
            petition_id = form.cleaned_data.get("kien_nghi")
            if council is None:
                form.add_error(None, _("No such council."))
            elif form.cleaned_data["loai"] == "petition" and (
                not petition_id or queries.petition(council["id"], petition_id) is None
            ):
                form.add_error(None, _("This petition is not public."))
            else:
                try:
                    services.subscription_request(
                        email=form.cleaned_data["email"], council=Council.objects.get(pk=council["id"]),
                        kind=form.cleaned_data["loai"], query=form.cleaned_data.get("q") or "",
                        petition_id=petition_id,
                    )
                    done = True
                except DomainError as error:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        slug = request.GET.get("hoi_dong", "")
        form = SubscribeForm(initial={"hoi_dong": slug, "loai": request.GET.get("loai", "council"),
                                      "q": request.GET.get("q", ""), "kien_nghi": request.GET.get("kien_nghi")})
    council = _council(form["hoi_dong"].value() or "-") if form["hoi_dong"].value() else None
    response = render(request, "public/subscribe.html", _ctx(council, "follow", form=form, done=done))
    response["Cache-Control"] = "no-store"
    return response


@rate_limited("page")
def confirm(request, token):
    subscription = services.subscription_confirm(token=token[:64])
    if subscription is None:
        raise Http404
    return render(request, "public/subscription_done.html", _ctx(None, "follow", confirmed=True, s=subscription))


@csrf_exempt  # RFC 8058 one-click unsubscribe posts here from the mail client, without a token form
@rate_limited("page")
def unsubscribe(request, token):
    subscription = services.subscription_cancel(token=token[:64])
    if subscription is None:
        raise Http404
    return render(request, "public/subscription_done.html", _ctx(None, "follow", confirmed=False, s=subscription))
