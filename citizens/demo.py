"""Demo and scale data for citizen reception and letters (deterministic, bulk inserts).

Per year: the province about 1,000 visits and 5,000 letters, each commune about 50 visits and
100 letters (DOMAIN figures of the issue). The scale dataset (126 communes, 2021–2026) is
therefore about 41,000 visits and 97,000 letters; CITIZENS_DEMO_FACTOR multiplies the letter
volume for benchmarks (e.g. 4 → about 400,000 letters). Rows are built in memory and written
with bulk_create; deadlines are computed here with a local working-day calendar (the holiday
library, no per-day cache lookups) so the scale run stays fast."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from hdnd_portal.core.models import Deadline, DocumentCounter, Rule
from hdnd_portal.core.search import fold

from . import deadlines as dl
from .models import Case, IdentityViewLog, Letter, LetterSender, ReceptionDay, ReceptionSchedule, Visit, VisitCitizen
from .models.choices import Kind
from .services.settlement import settlement_due

BATCH = 5000
PROVINCE_VISITS, PROVINCE_LETTERS = 1000, 5000
COMMUNE_VISITS, COMMUNE_LETTERS = 50, 100

STREETS = [
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Cầu Giấy",
    "Giải Phóng",
    "Hoàng Quốc Việt",
    "Xuân Thủy",
    "Tây Sơn",
    "Láng Hạ",
    "Kim Mã",
    "Đội Cấn",
]
HAMLETS = ["thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "tổ dân phố số 3", "tổ dân phố số 7", "xóm Mới"]
PROJECTS = [
    "đường Vành đai 4",
    "khu đô thị Bắc An Khánh",
    "mở rộng Quốc lộ 6",
    "cụm công nghiệp Phú Nghĩa",
    "trường THCS Nam Hồng",
    "khu tái định cư Long Biên",
]
SUBJECTS = {
    Kind.COMPLAINT: [
        "Khiếu nại Quyết định thu hồi đất số {n}/QĐ-UBND đối với thửa đất của gia đình tại {place}",
        "Khiếu nại về mức bồi thường, hỗ trợ tái định cư dự án {project}",
        "Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng tại {place}",
        "Khiếu nại việc không cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình ở {place}",
        "Khiếu nại quyết định kỷ luật viên chức của {agency}",
    ],
    Kind.DENUNCIATION: [
        "Tố cáo cán bộ địa chính {place} nhũng nhiễu khi giải quyết hồ sơ cấp giấy chứng nhận",
        "Tố cáo hành vi lấn chiếm đất công, xây dựng trái phép tại {place}",
        "Tố cáo sai phạm trong quản lý, sử dụng kinh phí dự án {project}",
        "Tố cáo việc thu các khoản trái quy định tại trường học ở {place}",
        "Tố cáo lãnh đạo {agency} thiếu trách nhiệm trong giải quyết đơn thư",
    ],
    Kind.RECOMMENDATION: [
        "Kiến nghị sửa chữa tuyến đường {street} xuống cấp, ngập úng khi mưa",
        "Kiến nghị sớm bàn giao đất tái định cư dự án {project}",
        "Kiến nghị xem xét chế độ chính sách cho người có công tại {place}",
        "Kiến nghị di dời trạm trung chuyển rác gây ô nhiễm ở {place}",
        "Kiến nghị bố trí điểm trông giữ xe và chiếu sáng công cộng tại {place}",
    ],
    Kind.REFLECTION: [
        "Phản ánh xe quá tải làm hư hỏng đường {street}",
        "Phản ánh tiếng ồn, khói bụi từ cơ sở sản xuất tại {place}",
        "Phản ánh việc chậm chi trả tiền bồi thường dự án {project}",
        "Phản ánh tình trạng lấn chiếm vỉa hè, lòng đường trên phố {street}",
        "Phản ánh thái độ phục vụ của cán bộ bộ phận một cửa {agency}",
    ],
}
FIELD_BY_KIND = {
    Kind.COMPLAINT: ["dat-dai", "dat-dai", "xay-dung", "an-sinh"],
    Kind.DENUNCIATION: ["dat-dai", "xay-dung", "kinh-te", "giao-duc"],
    Kind.RECOMMENDATION: ["giao-thong", "dat-dai", "an-sinh", "moi-truong", "xay-dung"],
    Kind.REFLECTION: ["giao-thong", "moi-truong", "an-sinh", "an-ninh"],
}
KINDS = [(Kind.COMPLAINT, 35), (Kind.DENUNCIATION, 12), (Kind.RECOMMENDATION, 35), (Kind.REFLECTION, 18)]
CHANNELS = [("in_person", 25), ("post", 40), ("deputy", 10), ("agency", 10), ("email", 10), ("leaders", 5)]


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _add_wd(start: date, days: int) -> date:
    current, remaining = start, days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in _holidays(current.year):
            remaining -= 1
    return current


def _after(rule: Rule, start: date) -> date:
    if rule.unit == Rule.Unit.WORKING_DAYS:
        return _add_wd(start, rule.int_value)
    # As core.rules.add_rule_period: a period ending on a day off ends on the next working day
    # (Bộ luật Dân sự 2015, Điều 148 khoản 5).
    day = start + timedelta(days=rule.int_value)
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def _csv_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def _copy_insert(model, objs: list) -> None:
    """Insert many rows with PostgreSQL COPY (ids reserved from the table's sequence first): the
    scale dataset is hundreds of thousands of rows, and bulk_create spends most of its time
    preparing values. Foreign keys to rows of the same run resolve because ids are set first."""
    if not objs:
        return
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.generated]  # PostgreSQL writes those
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [len(objs)]
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                value = now
            row.append(_csv_value(value))
        writer.writerow(row)
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def _copy_dicts(model, rows: list[dict]) -> None:
    """COPY plain rows (attname -> value; the id comes from the column default) for the largest
    tables, without building model instances."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    now = timezone.now()
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_value(row[f.attname] if f.attname in row else defaults[f.attname]) for f in fields])
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


_fold = lru_cache(maxsize=200_000)(fold)


def _fold_parts(*parts) -> str:
    """core.search.fold_parts with the folds cached (names, places and subjects repeat)."""
    return " ".join(filter(None, (_fold(str(p)) for p in parts if p not in (None, ""))))


class _Builder:
    """Accumulates the rows of one run and numbers them per council and year."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate()
        self.rules = {r.code: r for r in Rule.objects.filter(council__isnull=True).order_by("effective_from")}
        self.fields = {f.code: f for f in ctx.fields}
        self.counters: dict[tuple[int, str, str, int], int] = {}
        self.letter_ct = ContentType.objects.get_for_model(Letter)
        self.visit_ct = ContentType.objects.get_for_model(Visit)

    def next(self, council_id: int, issuer: str, series: str, year: int) -> int:
        key = (council_id, issuer, series, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def person(self, place: str) -> dict:
        name, _gender = self.ctx.person_name()
        address = (
            f"Số {self.rng.randint(1, 200)} {self.rng.choice(STREETS)}, {place}"
            if self.rng.random() < 0.5
            else f"{self.rng.choice(HAMLETS)}, {place}"
        )
        return {
            "full_name": name,
            "address": address,
            "phone": f"09{self.rng.randint(10000000, 99999999)}" if self.rng.random() < 0.6 else "",
        }

    def subject(self, kind: str, cd) -> str:
        place = cd.council.place_name or cd.council.name
        agency = self.rng.choice(cd.agencies).name if cd.agencies else "UBND"
        return self.rng.choice(SUBJECTS[kind]).format(
            n=self.rng.randint(100, 9999),
            place=place,
            project=self.rng.choice(PROJECTS),
            street=self.rng.choice(STREETS),
            agency=agency,
        )

    def deadline(
        self, subject, ct, council_id: int, kind: str, code: str, start: date, done: bool, agency=None, label: str = ""
    ) -> dict:
        rule = self.rules[code]
        due = _after(rule, start)
        return {
            "council_id": council_id,
            "content_type_id": ct.id,
            "object_id": subject.pk,
            "kind": kind,
            "title": f"{label}: {dl.LABELS[kind]}"[:300],
            "start_date": start,
            "due_date": due,
            "original_due_date": due,
            "rule_id": rule.id,
            "responsible_agency_id": agency.id if agency else None,
            "state": Deadline.State.DONE if done else Deadline.State.OPEN,
            "completed_at": timezone.make_aware(datetime.combine(min(due, self.today), time(9))) if done else None,
        }


def _factor() -> float:
    try:
        return max(0.01, float(os.environ.get("CITIZENS_DEMO_FACTOR", "1")))
    except ValueError:
        return 1.0


@transaction.atomic
def populate(ctx) -> None:
    b = _Builder(ctx)
    factor = _factor()
    years = [y for y in ctx.years if date(y, 1, 1) <= b.today]
    for cd in ctx.all_councils:
        province = cd.council.level == "province"
        visits_per_year = PROVINCE_VISITS if province else COMMUNE_VISITS
        letters_per_year = int((PROVINCE_LETTERS if province else COMMUNE_LETTERS) * factor)
        if not ctx.scale:
            visits_per_year, letters_per_year = (
                visits_per_year // (10 if province else 1),
                letters_per_year // (10 if province else 1),
            )
        _populate_council(b, cd, years, visits_per_year, letters_per_year, province)
    _store_counters(b)
    _identity_views(ctx)


def _populate_council(b: _Builder, cd, years, visits_per_year: int, letters_per_year: int, province: bool) -> None:
    rng, council = b.rng, cd.council
    receivers = [m for m in cd.deputies[:12]] if province else cd.deputies[:4]
    schedule = ReceptionSchedule(
        council=council,
        title=f"Lịch tiếp công dân định kỳ của Thường trực HĐND {council.name}",
        receiver_kind=ReceptionSchedule.Receiver.STANDING if province else ReceptionSchedule.Receiver.DEPUTIES,
        body=cd.standing,
        location=(
            "Trụ sở Tiếp công dân Thành phố, số 1 Ngô Quyền" if province else f"Trụ sở HĐND - UBND {council.name}"
        ),
        sessions_per_month=4 if province else 1,
        weekday=3 if province else 4,
        weeks="1,2,3,4" if province else "3",
        valid_from=b.ctx.term_start,
        is_published=True,
        published_at=timezone.now(),
    )
    schedule.search_text = schedule.build_search_text()
    schedule.save()
    schedule.receivers.set(receivers[:4])
    from .services.reception import schedule_dates

    day_dates = schedule_dates(schedule, b.ctx.term_start, min(b.ctx.term_end, b.today + timedelta(days=60)))
    days = []
    for d in day_dates:
        status = ReceptionDay.Status.HELD if d <= b.today else ReceptionDay.Status.PLANNED
        cancelled = d <= b.today and rng.random() < 0.03
        days.append(
            ReceptionDay(
                council=council,
                schedule=schedule,
                date=d,
                start_time=schedule.start_time,
                location=schedule.location,
                status=ReceptionDay.Status.CANCELLED if cancelled else status,
                cancel_reason="Trùng lịch kỳ họp HĐND" if cancelled else "",
            )
        )
    for day in days:
        day.search_text = day.build_search_text()
    _copy_insert(ReceptionDay, days)
    through = ReceptionDay.receivers.through
    through.objects.bulk_create(
        [through(receptionday_id=d.pk, deputy_id=rng.choice(receivers).pk) for d in days], batch_size=BATCH
    )
    held = [d for d in days if d.status == ReceptionDay.Status.HELD]
    visits = _visits(b, cd, held, years, visits_per_year)
    _letters(b, cd, years, letters_per_year, visits)


def _visits(b: _Builder, cd, held, years, per_year: int) -> list[Visit]:
    rng, council = b.rng, cd.council
    by_year: dict[int, list[ReceptionDay]] = {}
    for d in held:
        by_year.setdefault(d.date.year, []).append(d)
    plans = []
    for year in years:
        year_days = by_year.get(year, [])
        if not year_days:
            continue
        share = (min(b.today, date(year, 12, 31)) - max(b.ctx.term_start, date(year, 1, 1))).days / 365
        count = max(1, int(per_year * max(0.0, min(1.0, share))))
        for _ in range(count):
            plans.append(rng.choice(year_days))
    plans.sort(key=lambda d: d.date)
    cases, recent_cases, visits, people = [], [], [], []
    for day in plans:
        kind = _weighted(rng, KINDS)
        field = b.fields.get(rng.choice(FIELD_BY_KIND[kind]))
        subject = b.subject(kind, cd)
        if recent_cases and rng.random() < 0.25:
            case = rng.choice(recent_cases[-30:])
        else:
            seq = b.next(council.id, "SOVV", "VV", day.date.year)
            case = Case(
                council=council,
                code=f"VV-{day.date.year}-{seq:04d}",
                title=subject[:300],
                field=field,
                kind=kind,
                opened_on=day.date,
                status=Case.Status.CLOSED if (b.today - day.date).days > 180 else Case.Status.OPEN,
            )
            case.search_text = case.build_search_text()
            cases.append(case)
            recent_cases.append(case)
        group = rng.random() < 0.06
        count = rng.randint(5, 25) if group else (2 if rng.random() < 0.2 else 1)
        outcome = rng.choices(["guided", "letter", "forwarded", "refused"], weights=[45, 35, 17, 3])[0]
        visit = Visit(
            council=council,
            day=day,
            date=day.date,
            kind=kind,
            identity_protected=kind == Kind.DENUNCIATION,
            is_group=group,
            citizen_count=count,
            field=field,
            content=subject,
            requests="Đề nghị xem xét, giải quyết dứt điểm",
            handling="Đã tiếp nhận, hướng dẫn công dân theo quy định",
            outcome=outcome,
            refusal_reason="resolved" if outcome == "refused" else "",
            forwarded_to=rng.choice(cd.agencies) if outcome == "forwarded" else None,
        )
        visit.sequence = b.next(council.id, "SOTCD", "TCD", day.date.year)
        visit._case = case
        answered = (b.today - day.date).days > 20 or rng.random() < 0.5
        visit.answer = rng.choice(["accepted", "forwarded", "refused", "more_time"]) if answered else ""
        visit.answered_on = _add_wd(day.date, rng.randint(2, 10)) if answered else None
        visit.answer_due = _after(b.rules["reception.answer_wd"], day.date)
        place = council.place_name or council.name
        names = [b.person(place) for _ in range(min(count, 5 if count > 10 else (2 if count >= 5 else count)))]
        visit._people = [(p, group) for p in names]
        visits.append(visit)
    _copy_insert(Case, cases)
    for visit in visits:
        visit.case = visit._case
        visit.search_text = _fold_parts(visit.content, visit.requests, visit.handling)
        if not visit.identity_protected:
            visit.search_text += " " + _fold_parts(*(p["full_name"] for p, _g in visit._people))
    _copy_insert(Visit, visits)
    deadlines = []
    for visit in visits:
        for p, group in visit._people:
            people.append(
                {
                    "visit_id": visit.pk,
                    "full_name": p["full_name"],
                    "address": p["address"],
                    "phone": p["phone"],
                    "is_representative": group,
                }
            )
        deadlines.append(
            b.deadline(
                visit,
                b.visit_ct,
                council.id,
                dl.VISIT_ANSWER,
                "reception.answer_wd",
                visit.date,
                bool(visit.answered_on),
                label=str(visit),
            )
        )
    _copy_dicts(VisitCitizen, people)
    _copy_dicts(Deadline, deadlines)
    return visits


def _letters(b: _Builder, cd, years, per_year: int, visits: list[Visit]) -> None:
    rng, council, today = b.rng, cd.council, b.today
    letter_visits = [v for v in visits if v.outcome == "letter"]
    plans: list[tuple[date, Visit | None]] = [(v.date, v) for v in letter_visits]
    for year in years:
        share = (min(today, date(year, 12, 31)) - max(b.ctx.term_start, date(year, 1, 1))).days / 365
        count = int(per_year * max(0.0, min(1.0, share))) - sum(1 for v in letter_visits if v.date.year == year)
        # Spread over the same days as the share above, up to today: an office keeps receiving
        # letters after the term's last day (ctx.random_date stops there), and the recent ones are
        # what the office is still classifying and monitoring.
        first, last = max(b.ctx.term_start, date(year, 1, 1)), min(today, date(year, 12, 31))
        plans += [
            (date.fromordinal(rng.randint(first.toordinal(), last.toordinal())), None) for _ in range(max(0, count))
        ]
    plans = [(d, v) for d, v in plans if d <= today]
    plans.sort(key=lambda p: p[0])
    letters, senders_of, recent = [], {}, []
    place = council.place_name or council.name
    deputies = cd.deputies
    for received, visit in plans:
        duplicate = recent and rng.random() < 0.04
        if duplicate:
            original = rng.choice(recent[-50:])
            kind, subject, field, people = original.kind, original.subject, original.field, senders_of[id(original)]
        else:
            kind = visit.kind if visit else _weighted(rng, KINDS)
            field = b.fields.get(rng.choice(FIELD_BY_KIND[kind]))
            subject = visit.content if visit else b.subject(kind, cd)
            anonymous = kind == Kind.DENUNCIATION and rng.random() < 0.15
            multi = rng.random() < 0.07
            people = [] if anonymous else [b.person(place) for _ in range(rng.randint(5, 9) if multi else 1)]
        channel = "in_person" if visit else _weighted(rng, CHANNELS)
        seq = b.next(council.id, "SODON", "DON", received.year)
        letter = Letter(
            council=council,
            identity_protected=kind == Kind.DENUNCIATION or bool(visit is not None and visit.identity_protected),
            register_year=received.year,
            register_seq=seq,
            register_number=f"{seq:02d}/{received.year}",
            received_on=received,
            letter_date=received - timedelta(days=rng.randint(1, 10)),
            channel=channel,
            forwarded_by_deputy=rng.choice(deputies) if channel == "deputy" else None,
            forwarded_by_agency=rng.choice(cd.agencies) if channel == "agency" else None,
            kind=kind,
            field=field,
            subject=subject[:300],
            content=f"{subject}. Đề nghị các cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật.",
            respondent_agency=rng.choice(cd.agencies) if kind in (Kind.COMPLAINT, Kind.DENUNCIATION) else None,
            signer_count=len(people),
            is_multi_signer=len(people) >= 5,
            is_anonymous=not people,
            is_signed=bool(people),
            has_address=bool(people),
            case=visit.case if visit else None,
            visit=visit,
        )
        if kind == Kind.COMPLAINT:
            letter.decision_known_on = received - timedelta(days=rng.randint(5, 120))
        _eligibility(letter, b)
        letter._people = people
        if duplicate:
            letter.duplicate_of = original.duplicate_of or original
            letter.status = Letter.Status.DUPLICATE
        else:
            _handle(letter, b, cd)
            recent.append(letter)
        senders_of[id(letter)] = people
        letter.search_text = _fold_parts(
            letter.register_number,
            letter.subject,
            letter.content,
            letter.respondent_person,
            letter.respondent_agency.name if letter.respondent_agency else "",
            letter.forward_doc_number,
        )
        if not letter.identity_protected and people:
            letter.search_text += " " + _fold_parts(*(x for p in people for x in (p["full_name"], p["address"])))
        letters.append(letter)
    _copy_insert(Letter, letters)
    senders, deadlines = [], []
    for letter in letters:
        for i, p in enumerate(letter._people):
            senders.append(
                {
                    "letter_id": letter.pk,
                    "full_name": p["full_name"],
                    "name_folded": _fold(p["full_name"])[:120],
                    "address": p["address"],
                    "phone": p["phone"],
                    "is_representative": i == 0,
                }
            )
        if letter.status != Letter.Status.DUPLICATE:
            deadlines += _letter_deadlines(letter, b)
    _copy_dicts(LetterSender, senders)
    _copy_dicts(Deadline, deadlines)


def _eligibility(letter: Letter, b: _Builder) -> None:
    issues = []
    if letter.kind == Kind.COMPLAINT and letter.decision_known_on:
        rule = b.rules["complaint.limitation_days"]
        expires = _after(rule, letter.decision_known_on)
        if letter.received_on > expires:
            issues.append(
                {
                    "code": "time_barred",
                    "message": f"Đơn khiếu nại gửi sau khi hết thời hiệu {rule.display_value} "
                    f"(hết ngày {expires:%d/%m/%Y}).",
                    "citation": f"{rule.name} — {rule.citation}",
                }
            )
    if letter.kind == Kind.DENUNCIATION and letter.is_anonymous:
        issues.append(
            {
                "code": "anonymous",
                "message": "Đơn tố cáo nặc danh không xử lý như đơn tố cáo.",
                "citation": "Luật Tố cáo 2018, Điều 25",
            }
        )
    letter.eligibility_issues = issues
    letter.is_eligible = not issues


def _handle(letter: Letter, b: _Builder, cd) -> None:
    rng, age = b.rng, (b.today - letter.received_on).days
    if age < rng.randint(3, 25):
        return  # still awaiting a decision
    decided_on = _add_wd(letter.received_on, rng.randint(1, 7))
    if decided_on > b.today:
        return  # decided on a day still to come: awaiting a decision today
    letter.decided_on = decided_on
    letter.status = Letter.Status.HANDLED
    if not letter.is_eligible:
        letter.decision = "file" if letter.is_anonymous else "return"
        return
    letter.decision = rng.choices(["forward", "guide", "file", "return"], weights=[60, 25, 10, 5])[0]
    if letter.decision != "forward":
        return
    letter.forwarded_to = rng.choice(cd.agencies)
    seq = b.next(letter.council_id, "HĐND", "PC", letter.decided_on.year)
    letter.forward_doc_number = f"{seq:02d}/PC-HĐND"
    if letter.kind in (Kind.COMPLAINT, Kind.DENUNCIATION) and age > 30:
        letter.accepted_on = letter.decided_on + timedelta(days=rng.randint(3, 10))
        letter.status = Letter.Status.ACCEPTED
        letter.complexity = rng.choices(["normal", "complex", "very_complex"], weights=[75, 20, 5])[0]
    # The agency settles 20–60 days after accepting (or receiving) the letter; most results are
    # recorded once that day has passed, nearly all of the older ones — so the office's monitoring
    # shows a few overdue settlements, not a wall of them.
    result_date = (letter.accepted_on or letter.decided_on) + timedelta(days=rng.randint(20, 60))
    if result_date <= b.today and rng.random() < (0.97 if age <= 365 else 0.995):
        letter.status = Letter.Status.RESOLVED
        letter.result_kind = rng.choice(Letter.ResultKind.values)
        letter.result_date = result_date
        letter.result_summary = "Cơ quan có thẩm quyền đã xem xét, trả lời công dân."
        reported_on = _add_wd(result_date, rng.randint(2, 9))
        if rng.random() < 0.9 and reported_on <= b.today:
            letter.reported_on = reported_on
            notified_on = _add_wd(reported_on, rng.randint(1, 6))
            letter.citizen_notified_on = notified_on if notified_on <= b.today else None


def _letter_deadlines(letter: Letter, b: _Builder) -> list[Deadline]:
    """The deadlines the services would have registered for the letter, as plain rows: the office's
    own (classify and handle; a denunciation's stricter ones), the competent agency's once the
    letter is forwarded — the office accepts (thụ lý) no complaint itself — and the office's
    monitoring of the agency's settlement (services.settlement)."""
    out, cid, ct, label = [], letter.council_id, b.letter_ct, f"Đơn {letter.register_number}"
    resolved = letter.status == Letter.Status.RESOLVED
    agency = letter.forwarded_to
    if letter.kind != Kind.DENUNCIATION:
        out.append(
            b.deadline(
                letter, ct, cid, dl.OFFICE_HANDLE, "letter.office_handle_wd", letter.received_on,
                bool(letter.decision), None, label,
            )
        )
    if letter.decision == "forward" and not letter.for_inspection:
        out.append(_monitoring(letter, b, label))
    if letter.kind == Kind.COMPLAINT and letter.is_eligible:
        if letter.decision == "forward":
            out.append(
                b.deadline(
                    letter,
                    ct,
                    cid,
                    dl.COMPLAINT_ACCEPT,
                    "complaint.accept_days",
                    letter.decided_on,
                    bool(letter.accepted_on) or resolved,
                    agency,
                    label,
                )
            )
        if letter.accepted_on:
            code = dl.complaint_resolve_code(1, letter.complexity != "normal", False)
            out.append(
                b.deadline(letter, ct, cid, dl.COMPLAINT_RESOLVE, code, letter.accepted_on, resolved, agency, label)
            )
    elif letter.kind == Kind.DENUNCIATION:
        out.append(
            b.deadline(
                letter,
                ct,
                cid,
                dl.DENUNCIATION_INITIAL,
                "denunciation.initial_wd",
                letter.received_on,
                bool(letter.decision),
                None,
                label,
            )
        )
        if letter.decision == "forward" and letter.is_eligible:
            out.append(
                b.deadline(
                    letter,
                    ct,
                    cid,
                    dl.AGENCY_REPORT,
                    "letter.denunciation_forward_report_days",
                    letter.decided_on,
                    bool(letter.reported_on),
                    agency,
                    label,
                )
            )
    elif letter.decision == "forward":
        out.append(
            b.deadline(
                letter,
                ct,
                cid,
                dl.RECOMMENDATION_RESOLVE,
                "letter.recommendation_resolve_days",
                letter.decided_on,
                resolved,
                agency,
                label,
            )
        )
    if letter.reported_on:
        out.append(
            b.deadline(
                letter,
                ct,
                cid,
                dl.CITIZEN_NOTICE,
                "letter.deputy_inform_citizen_wd",
                letter.reported_on,
                bool(letter.citizen_notified_on),
                None,
                label,
            )
        )
    return out


def _monitoring(letter: Letter, b: _Builder, label: str) -> dict:
    """The office's "monitor and urge the settlement" row of a forwarded letter, with the service's
    due date (services.settlement.settlement_due) from the demo's rules and calendar: counted from
    the forwarding, moved to the acceptance once the agency accepted (letters._follow_acceptance),
    closed when the agency's result is recorded."""
    rule_of, add = (lambda code, on: b.rules[code]), _after
    original, rule = settlement_due(letter, letter.decided_on, rule_of=rule_of, add=add)
    due = original
    if letter.accepted_on:
        due, rule = settlement_due(letter, letter.accepted_on, accepted=True, rule_of=rule_of, add=add)
    done = letter.status == Letter.Status.RESOLVED
    return {
        "council_id": letter.council_id,
        "content_type_id": b.letter_ct.id,
        "object_id": letter.pk,
        "kind": dl.SETTLEMENT_MONITOR,
        "title": f"{label}: {dl.LABELS[dl.SETTLEMENT_MONITOR]}"[:300],
        "start_date": letter.decided_on,
        "due_date": due,
        "original_due_date": original,
        "rule_id": rule.id,
        "responsible_agency_id": None,  # the office's own deadline (the reminder scan tells its staff)
        "state": Deadline.State.DONE if done else Deadline.State.OPEN,
        "completed_at": timezone.make_aware(datetime.combine(min(letter.result_date, b.today), time(9)))
        if done
        else None,
    }


def _store_counters(b: _Builder) -> None:
    """Continue each register where the demo stopped (the services number the next ones)."""
    rows = [
        DocumentCounter(council_id=c, issuer=issuer, series=series, year=year, last_number=n)
        for (c, issuer, series, year), n in b.counters.items()
    ]
    DocumentCounter.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["council", "issuer", "series", "year"],
        update_fields=["last_number"],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE citizens_letter; ANALYZE citizens_lettersender; ANALYZE citizens_visit")


def _identity_views(ctx) -> None:
    """A few logged disclosures, so that the log page has content."""
    reader = ctx.users.get("lanhdao")
    if reader is None:
        return
    letters = list(
        Letter.objects.filter(council=ctx.province.council, kind=Kind.DENUNCIATION, is_anonymous=False).order_by(
            "-received_on"
        )[:5]
    )
    IdentityViewLog.objects.bulk_create(
        [
            IdentityViewLog(
                council=ctx.province.council,
                user=reader,
                letter=x,
                via=IdentityViewLog.Via.PAGE,
                ip_address="10.0.0.12",
            )
            for x in letters
        ]
    )
    from hdnd_portal.core.models import CouncilRole

    CouncilRole.objects.filter(user=reader, council=ctx.province.council).update(
        extra_permissions=["can_view_denouncer_identity"]
    )
