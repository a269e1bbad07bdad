"""Demo and scale data for voter meetings and petitions (deterministic, bulk inserts).

Volumes per year: the province about 150 meetings and 3,000 petitions; each commune about 8
meetings and 40 petitions (the small demo keeps the communes' volume and a tenth of the
province's). Older petitions are forwarded, answered and evaluated; recent ones wait; a few stay
open for years and stand out in the lists."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from hdnd_portal.core.models import Body, Deadline, DocumentCounter

from .models import ForwardingLetter, Petition, PetitionSource, VoterMeeting
from .services import LETTER_DOC_TYPE, RESPONSE_KIND

ROADS = ["Quốc lộ 3", "đường tỉnh 35", "đường liên xã", "đường Võ Nguyên Giáp", "tuyến đê Tả Hồng", "đường trục thôn"]
PLACES = [
    "Nhà văn hóa thôn Đông",
    "Hội trường UBND",
    "Nhà văn hóa tổ dân phố số 5",
    "Trường tiểu học",
    "Nhà văn hóa thôn Bắc",
    "Hội trường Đảng ủy",
]
TEMPLATES = {
    "giao-thong": [
        "Đề nghị sửa chữa, nâng cấp {road} đoạn qua {place} đã xuống cấp nghiêm trọng, gây mất an toàn giao thông.",
        "Cử tri đề nghị lắp đặt đèn tín hiệu giao thông tại nút giao {road} với đường vào {place}.",
        "Đề nghị sớm hoàn thành dự án mở rộng {road}, đã chậm tiến độ nhiều năm.",
    ],
    "dat-dai": [
        "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân tại {place}.",
        "Cử tri phản ánh việc chậm chi trả tiền bồi thường giải phóng mặt bằng dự án {road} tại {place}.",
        "Đề nghị xử lý dứt điểm tình trạng lấn chiếm đất công tại {place}.",
    ],
    "moi-truong": [
        "Cử tri phản ánh tình trạng ô nhiễm môi trường do rác thải tồn đọng tại {place}.",
        "Đề nghị cải tạo hệ thống thoát nước, chống ngập úng khu vực {place} mỗi khi mưa lớn.",
        "Đề nghị xử lý cơ sở sản xuất gây ô nhiễm tiếng ồn, khói bụi tại {place}.",
    ],
    "y-te": [
        "Đề nghị bổ sung bác sĩ và trang thiết bị cho trạm y tế {place}.",
        "Cử tri phản ánh tình trạng quá tải tại bệnh viện tuyến tỉnh, đề nghị có giải pháp giảm tải.",
    ],
    "giao-duc": [
        "Đề nghị đầu tư xây dựng thêm phòng học cho trường mầm non {place} do thiếu chỗ học.",
        "Cử tri đề nghị xem xét chế độ phụ cấp cho giáo viên mầm non hợp đồng.",
    ],
    "xay-dung": [
        "Đề nghị xử lý công trình xây dựng sai phép tại {place}.",
        "Đề nghị sớm phê duyệt quy hoạch chi tiết khu dân cư {place}.",
    ],
    "an-sinh": [
        "Đề nghị quan tâm hỗ trợ hộ nghèo, hộ cận nghèo tại {place} sửa chữa nhà ở.",
        "Cử tri đề nghị giải quyết chế độ cho người có công với cách mạng còn tồn đọng.",
    ],
    "kinh-te": [
        "Đề nghị bố trí vốn đầu tư công cho các công trình hạ tầng nông thôn mới tại {place}.",
        "Cử tri đề nghị hỗ trợ tiểu thương chợ {place} sau khi cải tạo chợ.",
    ],
    "an-ninh": [
        "Đề nghị tăng cường tuần tra, bảo đảm an ninh trật tự tại {place} vào ban đêm.",
        "Cử tri phản ánh tình trạng đua xe trái phép trên {road}.",
    ],
    "van-hoa": ["Đề nghị đầu tư sân chơi, thiết chế văn hóa thể thao cho thanh thiếu niên tại {place}."],
    "nong-nghiep": [
        "Đề nghị nạo vét kênh mương nội đồng phục vụ sản xuất nông nghiệp tại {place}.",
        "Cử tri đề nghị hỗ trợ giống, vật tư cho nông dân bị thiệt hại do bão.",
    ],
    "tu-phap": ["Đề nghị đơn giản hóa thủ tục chứng thực, đăng ký hộ tịch tại bộ phận một cửa {place}."],
}
KIND_WORDS = {
    "before_session": "trước kỳ họp",
    "after_session": "sau kỳ họp",
    "thematic": "chuyên đề",
    "by_field": "theo lĩnh vực",
}
PROVINCE_AGENCY_BY_FIELD = {
    "giao-thong": "SXD",
    "xay-dung": "SXD",
    "dat-dai": "SNNMT",
    "moi-truong": "SNNMT",
    "nong-nghiep": "SNNMT",
    "y-te": "SYT",
    "giao-duc": "SGDĐT",
    "an-sinh": "SNV",
    "kinh-te": "STC",
    "an-ninh": "CATP",
    "van-hoa": "SVHTT",
    "tu-phap": "TTTP",
}


class _WorkDays:
    """Working days of the demo period computed once, with the same sources as core.workdays
    (the holidays library and the CalendarException table) but without a cache call per day."""

    def __init__(self, start: date, end: date) -> None:
        import holidays

        from hdnd_portal.core.models import CalendarException

        off = set(holidays.country_holidays("VN", years=range(start.year, end.year + 1)).keys())
        exceptions = dict(CalendarException.objects.values_list("date", "kind"))
        days = [start + timedelta(n) for n in range((end - start).days + 1)]
        self.working = [
            d
            for d in days
            if exceptions.get(d) == CalendarException.Kind.WORKING_DAY
            or (exceptions.get(d) is None and d.weekday() < 5 and d not in off)
        ]
        self.index = {d: i for i, d in enumerate(self.working)}

    def add(self, start: date, count: int) -> date:
        day = start
        while day not in self.index:
            day -= timedelta(days=1)
        position = self.index[day] + count
        return self.working[min(position, len(self.working) - 1)]


def populate(ctx) -> None:
    today = timezone.localdate()
    workdays = _WorkDays(date(2021, 1, 1), date(today.year + 2, 12, 31))
    petition_ct = ContentType.objects.get_for_model(Petition)
    committee_fields = {}
    for body_id, field_id in Body.fields.through.objects.filter(
        body__kind=Body.Kind.COMMITTEE, body__council__in=[c.council for c in ctx.all_councils]
    ).values_list("body_id", "field_id"):
        committee_fields.setdefault(body_id, set()).add(field_id)
    commune_names = [c.council.name for c in ctx.communes] or ["Phường Hoàn Kiếm"]
    fields = ctx.fields
    in_progress: list[tuple] = []
    counters = []
    with transaction.atomic():
        for data in ctx.all_councils:
            province = data is ctx.province
            per_year = (150, 3000) if (province and ctx.scale) else (15, 300) if province else (8, 40)
            in_progress += _council(
                ctx,
                data,
                province,
                per_year,
                today,
                workdays,
                committee_fields,
                commune_names,
                fields,
                petition_ct,
                counters,
            )
        DocumentCounter.objects.bulk_create(
            counters,
            update_conflicts=True,
            update_fields=["last_number"],
            unique_fields=["council", "issuer", "series", "year"],
        )
        _commitments(in_progress, today)
        _outside_meetings(ctx, today)


def _council(
    ctx, data, province, per_year, today, workdays, committee_fields, commune_names, fields, petition_ct, counters
) -> list[Petition]:
    rng = ctx.rng
    council = data.council
    groups = data.groups
    deputies_by_group = {g.pk: [] for g in groups}
    for i, deputy in enumerate(data.deputies):
        deputies_by_group[groups[i % len(groups)].pk].append(deputy)
    committee_by_field = {}
    for committee in data.committees:
        for field_id in committee_fields.get(committee.pk, ()):
            committee_by_field.setdefault(field_id, committee)
    agencies = {a.short_name: a for a in data.agencies}
    default_agency = data.agencies[0]
    try:
        from council_sessions.models import CouncilSession

        sessions = list(CouncilSession.objects.filter(council=council).values_list("pk", "planned_start"))
    except Exception:  # the sessions app is optional for this demo
        sessions = []
    meetings, meeting_deputies = [], []
    for year in ctx.years:
        start = date(year, 1, 1) if year > ctx.term_start.year else ctx.term_start
        end = min(date(year, 12, 31), ctx.term_end, today)
        if start > end:
            continue
        share = (end - start).days / 365
        for _ in range(max(1, round(per_year[0] * share))):
            day = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
            group = rng.choice(groups)
            kind = rng.choices(list(VoterMeeting.Kind), weights=[40, 40, 10, 10])[0]
            session_id = None
            if sessions and kind in (VoterMeeting.Kind.BEFORE_SESSION, VoterMeeting.Kind.AFTER_SESSION):
                after = kind == VoterMeeting.Kind.AFTER_SESSION
                candidates = [(abs((s - day).days), pk) for pk, s in sessions if (s <= day) == after]
                session_id = min(candidates)[1] if candidates and min(candidates)[0] < 90 else None
            commune_name = rng.choice(commune_names) if province else council.name
            meeting = VoterMeeting(
                council=council,
                kind=kind,
                date=day,
                group=group,
                session_id=session_id,
                field=rng.choice(fields) if kind == VoterMeeting.Kind.BY_FIELD else None,
                title=f"Tiếp xúc cử tri {KIND_WORDS[kind]} — {group.name}",
                place=f"{rng.choice(PLACES)}, {commune_name}",
                voter_count=rng.randint(60, 320),
                commune=council if not province else None,
            )
            meeting.search_text = meeting.build_search_text()
            meetings.append(meeting)
    meetings = VoterMeeting.objects.bulk_create(meetings, batch_size=2000)
    through = VoterMeeting.deputies.through
    for meeting in meetings:
        present = deputies_by_group[meeting.group_id][:]
        rng.shuffle(present)
        meeting_deputies += [through(votermeeting_id=meeting.pk, deputy_id=d.pk) for d in present[:3]]
    through.objects.bulk_create(meeting_deputies, batch_size=5000)
    meetings_by_year: dict[int, list[VoterMeeting]] = {}
    for meeting in meetings:
        meetings_by_year.setdefault(meeting.date.year, []).append(meeting)

    petitions, plans = [], []
    for year, year_meetings in sorted(meetings_by_year.items()):
        start = date(year, 1, 1) if year > ctx.term_start.year else ctx.term_start
        end = min(date(year, 12, 31), today)
        share = max((end - start).days, 1) / 365
        for _ in range(max(1, round(per_year[1] * share))):
            meeting = rng.choice(year_meetings)
            field = rng.choice(fields)
            text = rng.choice(TEMPLATES.get(field.code, TEMPLATES["giao-thong"])).format(
                road=rng.choice(ROADS), place=rng.choice(commune_names) if province else council.name
            )
            level = (
                rng.choices(["province", "central", "commune"], weights=[70, 15, 15])[0]
                if province
                else rng.choices(["commune", "province"], weights=[80, 20])[0]
            )
            petition = Petition(
                council=council,
                content=text,
                kind=rng.choices(["petition", "opinion"], weights=[55, 45])[0],
                field=field,
                locality=meeting.place.split(", ")[-1],
                level=level,
                committee=committee_by_field.get(field.pk),
                received_on=meeting.date,
                is_urgent=rng.random() < 0.03,
                is_public=rng.random() < 0.3,
            )
            agency = agencies.get(PROVINCE_AGENCY_BY_FIELD.get(field.code)) if province else None
            # Routing is played up to the end of the term's data, so its last weeks still wait.
            _route(petition, agency or default_agency, min(today, ctx.term_end), workdays, rng)
            petition.search_text = petition.build_search_text()
            petitions.append(petition)
            plans.append(meeting)
    # Letters: one per agency per forwarding date, numbered per year in date order.
    keys = sorted({(p.agency_id, p.forwarded_on) for p in petitions if p.forwarded_on}, key=lambda k: (k[1], k[0]))
    letters, per_year = {}, {}
    for agency_id, day in keys:
        per_year[day.year] = per_year.get(day.year, 0) + 1
        seq = per_year[day.year]
        letters[(agency_id, day)] = ForwardingLetter(
            council=council,
            agency_id=agency_id,
            date=day,
            sequence=seq,
            number=f"{seq:02d}/{LETTER_DOC_TYPE}-HĐND",
            signer_name=data.deputies[0].full_name,
        )
    ForwardingLetter.objects.bulk_create(list(letters.values()), batch_size=2000)
    counters += [
        DocumentCounter(council=council, issuer="HĐND", series=LETTER_DOC_TYPE, year=y, last_number=n)
        for y, n in per_year.items()
    ]
    for p in petitions:
        if p.forwarded_on:
            letter = letters[(p.agency_id, p.forwarded_on)]
            p.letter, p.forwarding_number = letter, letter.number
    petitions = Petition.objects.bulk_create(petitions, batch_size=2000)
    sources, links, deadlines = [], [], []
    deputy_through = Petition.deputies.through
    merged = []
    for p, meeting in zip(petitions, plans, strict=True):
        sources.append(PetitionSource(petition=p, meeting=meeting))
        took = deputies_by_group[meeting.group_id][:]
        rng.shuffle(took)
        links += [deputy_through(petition_id=p.pk, deputy_id=d.pk) for d in took[: rng.randint(1, 2)]]
        if p.status == Petition.Status.FORWARDED:  # open deadlines; answered ones left none behind
            deadlines.append(
                Deadline(
                    council=council,
                    content_type=_ct(),
                    object_id=p.pk,
                    kind=RESPONSE_KIND,
                    title=f"Trả lời kiến nghị cử tri #{p.pk}"[:300],
                    start_date=p.forwarded_on,
                    due_date=p.response_due,
                    original_due_date=p.response_due,
                    responsible_agency_id=p.agency_id,
                )
            )
        if rng.random() < 0.05:
            merged.append((p, meeting))
    PetitionSource.objects.bulk_create(sources, batch_size=5000)
    deputy_through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    # The same petition raised at a second meeting, merged into the first: both sources kept.
    duplicates = []
    for p, _meeting in merged:
        duplicate = Petition(
            council=council,
            content=p.content,
            kind=p.kind,
            field=p.field,
            locality=p.locality,
            level=p.level,
            committee=p.committee,
            received_on=p.received_on,
            status=Petition.Status.MERGED,
            merged_into=p,
        )
        duplicate.search_text = duplicate.build_search_text()
        duplicates.append(duplicate)
    duplicates = Petition.objects.bulk_create(duplicates, batch_size=2000)
    PetitionSource.objects.bulk_create(
        [
            PetitionSource(petition=p, meeting=rng.choice(meetings_by_year[meeting.date.year]), merged_from=d)
            for (p, meeting), d in zip(merged, duplicates, strict=True)
        ],
        batch_size=5000,
    )
    agency_by_id = {a.pk: a for a in data.agencies}
    took_by_petition: dict[int, list[int]] = {}
    for link in links:
        took_by_petition.setdefault(link.petition_id, []).append(link.deputy_id)
    return [
        (p, agency_by_id[p.agency_id], took_by_petition.get(p.pk, []))
        for p in petitions
        if p.status == Petition.Status.IN_PROGRESS
    ]


def _ct():
    # The manager's own cache: a module-level one kept ids across a test flush.
    return ContentType.objects.get_for_model(Petition)


def _route(p: Petition, agency, today: date, workdays: _WorkDays, rng) -> None:
    """Forward, answer and evaluate a petition according to its age."""
    # Urgent petitions go at once; the others in the monthly round (the 10th of the next month).
    if p.is_urgent:
        forwarded = p.received_on + timedelta(days=rng.randint(1, 3))
    else:
        forwarded = (p.received_on.replace(day=1) + timedelta(days=32)).replace(day=10)
    if forwarded > today:
        return  # still waiting to be forwarded
    p.agency_id, p.forwarded_on, p.status = agency.pk, forwarded, Petition.Status.FORWARDED
    p.response_due = workdays.add(forwarded, 30)
    answered = forwarded + timedelta(days=rng.randint(10, 65))
    if answered > today or rng.random() < 0.015:
        return  # not answered yet (a few never: carried over for years)
    p.response_date = answered
    p.status = rng.choices(["resolved", "explained", "in_progress", "not_competent"], weights=[47, 32, 8, 13])[0]
    p.response_by = agency.head_name or agency.name
    p.response_text = {
        "resolved": "Đơn vị đã kiểm tra và giải quyết dứt điểm nội dung kiến nghị.",
        "explained": "Đơn vị đã giải thích, cung cấp thông tin về chính sách, quy định liên quan.",
        "in_progress": "Nội dung kiến nghị đang được xem xét giải quyết theo lộ trình.",
        "not_competent": "Nội dung không thuộc thẩm quyền, đã chuyển cơ quan có thẩm quyền xem xét.",
    }[p.status]
    if p.status == Petition.Status.IN_PROGRESS:
        p.roadmap = "Bố trí kinh phí và triển khai thực hiện theo kế hoạch được duyệt."
        p.target_date = answered + timedelta(days=rng.randint(90, 540))
    if rng.random() < 0.5 and answered + timedelta(days=20) <= today:
        p.evaluation = "satisfactory" if rng.random() < 0.8 else "unsatisfactory"
        p.needs_follow_up = p.evaluation == "unsatisfactory" and rng.random() < 0.6
        p.evaluated_on = answered + timedelta(days=rng.randint(5, 20))
        p.evaluated_by = p.committee


def _commitments(rows: list[tuple[Petition, object, list[int]]], today: date) -> None:
    """Petitions being resolved are recorded in the shared commitments register (oversight), in
    bulk: the same rows oversight.services.commitment_create writes (commitment, deputies, deadline)."""
    try:
        from oversight.models import Commitment
        from oversight.services.commitments import DEADLINE_KIND
    except ImportError:  # pragma: no cover - oversight not installed
        return
    petition_ct = _ct()
    commitments = []
    for p, agency, _deputy_ids in rows:
        c = Commitment(
            council_id=p.council_id,
            agency=agency,
            official_name=(p.response_by or agency.name)[:120],
            official_title=agency.name[:200],
            text=f"{p.roadmap}\n\nKiến nghị: {p.content}",
            made_on=p.response_date,
            deadline=p.target_date,
            field_id=p.field_id,
            source_type=petition_ct,
            source_id=p.pk,
            status=Commitment.Status.IN_PROGRESS,
            percent=50 if p.target_date < today else 20,
        )
        c.search_text = c.build_search_text()
        commitments.append(c)
    commitments = Commitment.objects.bulk_create(commitments, batch_size=2000)
    through = Commitment.deputies.through
    through.objects.bulk_create(
        [
            through(commitment_id=c.pk, deputy_id=d)
            for c, (_p, _a, ids) in zip(commitments, rows, strict=True)
            for d in ids
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    commitment_ct = ContentType.objects.get_for_model(Commitment)
    Deadline.objects.bulk_create(
        [
            Deadline(
                council_id=c.council_id,
                content_type=commitment_ct,
                object_id=c.pk,
                kind=DEADLINE_KIND,
                title=f"Cam kết của {c.official_name}: {c.text[:200]}"[:300],
                start_date=c.made_on,
                due_date=c.deadline,
                original_due_date=c.deadline,
                responsible_agency=c.agency,
            )
            for c in commitments
        ],
        batch_size=5000,
    )


def _outside_meetings(ctx, today: date) -> None:
    """A few meetings outside a deputy's constituency, through the service (rules and deadlines)."""
    from .services import meeting_save

    data = ctx.province
    for i in range(3):
        day = today + timedelta(days=14 + 7 * i)
        meeting = VoterMeeting(
            council=data.council,
            kind=VoterMeeting.Kind.THEMATIC,
            date=day,
            title="Tiếp xúc cử tri chuyên đề ngoài đơn vị bầu cử",
            group=data.groups[i],
            place="Hội trường UBND phường",
            voter_count=0,
            outside_constituency=True,
            outside_requested_on=today - timedelta(days=i),
        )
        meeting_save(meeting=meeting, deputies=data.deputies[20 + i : 22 + i])
