"""Demo and scale data for sessions and resolutions.

Per year of the term: the province holds 4 sessions and adopts about 70 resolutions; each commune
6–8 sessions and about 30 resolutions (seed 000: 926 commune sessions and 4,034 resolutions in one
year across 579 communes). Rows are bulk-created; the numbering counters are moved past the demo
numbers so the next adoption continues the series. The small demo also gets a session in progress
(paperless, with an open electronic poll) and an upcoming one with documents and verifications."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hdnd_portal.core.models import DocumentCounter, Rule
from hdnd_portal.core.numbering import NORMATIVE_SERIES

from .models import (
    AgendaItem,
    Attendance,
    CouncilSession,
    IssueGroup,
    Resolution,
    ResolutionKind,
    SessionDocument,
    Vote,
)

TOPICS = [
    ("kinh-te", "dự toán ngân sách địa phương năm {y}"),
    ("kinh-te", "phân bổ vốn đầu tư công năm {y}"),
    ("kinh-te", "quyết toán ngân sách năm {p}"),
    ("kinh-te", "kế hoạch phát triển kinh tế - xã hội năm {y}"),
    ("giao-thong", "chủ trương đầu tư dự án cải tạo tuyến đường trục chính"),
    ("giao-thong", "điều chỉnh chủ trương đầu tư cầu vượt nút giao"),
    ("dat-dai", "danh mục công trình, dự án thu hồi đất năm {y}"),
    ("dat-dai", "bảng giá đất điều chỉnh"),
    ("moi-truong", "mức thu phí bảo vệ môi trường đối với nước thải"),
    ("moi-truong", "kế hoạch xử lý rác thải sinh hoạt"),
    ("y-te", "chính sách hỗ trợ nhân viên y tế cơ sở"),
    ("y-te", "mức giá dịch vụ khám bệnh, chữa bệnh"),
    ("giao-duc", "mức học phí năm học {y}-{n}"),
    ("giao-duc", "đầu tư xây dựng trường học đạt chuẩn"),
    ("an-sinh", "chính sách hỗ trợ người có hoàn cảnh khó khăn"),
    ("van-hoa", "đặt tên đường, phố và công trình công cộng"),
    ("xay-dung", "quy hoạch chung đô thị"),
    ("an-ninh", "chính sách hỗ trợ lực lượng bảo vệ an ninh cơ sở"),
    ("nong-nghiep", "chính sách khuyến khích phát triển nông nghiệp"),
    ("tu-phap", "chương trình giám sát năm {n}"),
]
PERSONNEL = [
    "miễn nhiệm Phó Chủ tịch Ủy ban nhân dân",
    "bầu bổ sung Ủy viên Ủy ban nhân dân",
    "xác nhận kết quả bầu Trưởng Ban Pháp chế",
    "bầu bổ sung Phó Chủ tịch Hội đồng nhân dân",
]


def _year_share(ctx, year: int) -> float:
    start = max(date(year, 1, 1), ctx.term_start)
    end = min(date(year, 12, 31), ctx.term_end)
    return max(0.0, ((end - start).days + 1) / 365.0)


def populate(ctx) -> None:
    with transaction.atomic():
        builder = _Builder(ctx)
        builder.council(ctx.province, sessions_per_year=4, resolutions_per_year=70, province=True)
        for commune in ctx.communes:
            builder.council(commune, sessions_per_year=None, resolutions_per_year=30, province=False)
        builder.flush()
        if not ctx.scale:
            _live_demo(ctx)


class _Builder:
    def __init__(self, ctx) -> None:
        self.ctx, self.rng = ctx, ctx.rng
        self.fields = {f.code: f for f in ctx.fields}
        self.rule = (
            Rule.objects.filter(code="resolution.pass_fraction", council__isnull=True)
            .order_by("-effective_from")
            .first()
        )
        self.counters: dict[tuple, int] = defaultdict(int)
        self.today = timezone.localdate()

    def council(self, data, *, sessions_per_year: int | None, resolutions_per_year: int, province: bool) -> None:
        rng, council = self.rng, data.council
        spans = [(d.start_date, d.end_date) for d in data.deputies]
        sessions: list[CouncilSession] = []
        plan: list[tuple[CouncilSession, int]] = []
        number = 0
        for year in self.ctx.years:
            share = _year_share(self.ctx, year)
            if share <= 0:
                continue
            per_year = sessions_per_year or rng.randint(6, 8)
            count = max(1, round(per_year * share))
            resolutions = max(count, round(resolutions_per_year * share * rng.uniform(0.85, 1.15)))
            first = max(date(year, 1, 1), self.ctx.term_start)
            last = min(date(year, 12, 31), self.ctx.term_end)
            step = max(1, ((last - first).days - 3) // count)
            for i in range(count):
                number += 1
                start = first + timedelta(days=i * step + rng.randint(0, max(0, step - 4)))
                length = rng.choice((1, 1, 2, 3)) if province else rng.choice((1, 1, 2))
                end = min(start + timedelta(days=length - 1), last)
                regular = i in (count // 2, count - 1) or count == 1
                closed = end < self.today
                session = CouncilSession(
                    council=council,
                    term=data.term,
                    number=number,
                    kind=CouncilSession.Kind.REGULAR
                    if regular
                    else (CouncilSession.Kind.THEMATIC if rng.random() < 0.6 else CouncilSession.Kind.URGENT),
                    title="" if regular else "Kỳ họp chuyên đề",
                    planned_start=start,
                    planned_end=end,
                    actual_start=start if closed else None,
                    actual_end=end if closed else None,
                    venue="Hội trường Hội đồng nhân dân" if province else f"Hội trường UBND {council.place_name}",
                    is_paperless=province or rng.random() < 0.3,
                    status=CouncilSession.Status.CLOSED if closed else CouncilSession.Status.PLANNED,
                    notice_number=f"{rng.randint(10, 300)}/TB-HĐND",
                    notice_date=start - timedelta(days=20),
                )
                sessions.append(session)
                share_here = resolutions // count + (1 if i < resolutions % count else 0)
                plan.append((session, share_here))
        for s in sessions:
            s.search_text = s.build_search_text()
        CouncilSession.objects.bulk_create(sessions, batch_size=2000)
        items, votes, resolutions = [], [], []
        for session, n in plan:
            on = session.planned_end
            total = sum(1 for a, b in spans if a <= on and (b is None or b >= on))
            for k in range(n):
                personnel = rng.random() < 0.08
                normative = not personnel and rng.random() < (0.25 if province else 0.05)
                if personnel:
                    field_code, subject = "tu-phap", rng.choice(PERSONNEL)
                    kind = ResolutionKind.PERSONNEL
                else:
                    field_code, subject = rng.choice(TOPICS)
                    kind = (
                        ResolutionKind.NORMATIVE
                        if normative
                        else (
                            ResolutionKind.THEMATIC
                            if session.kind == CouncilSession.Kind.THEMATIC
                            else ResolutionKind.REGULAR
                        )
                    )
                y = on.year
                title = (
                    "Nghị quyết "
                    + ("quy định " if normative else "về ")
                    + subject.format(y=y + 1, p=y - 1, n=y + 1, **{})
                )
                title = title.replace("{y}", str(y))
                item = AgendaItem(
                    council=session.council,
                    session=session,
                    position=k + 1,
                    title=title,
                    proposes_resolution=True,
                    resolution_kind=kind,
                    field=self.fields.get(field_code),
                    expected_minutes=rng.choice((15, 20, 30, 45)),
                )
                item.search_text = item.build_search_text()
                items.append(item)
                yes = max(total // 2 + 1, total - rng.randint(0, max(1, total // 8)))
                no = rng.randint(0, max(0, (total - yes) // 2))
                vote = Vote(
                    council=session.council,
                    session=session,
                    agenda_item=item,
                    method=Vote.Method.OPEN,
                    voted_on=on,
                    total_deputies=total,
                    participants=yes + no,
                    yes=yes,
                    no=no,
                    not_voting=0,
                    required_yes=total // 2 + 1,
                    passed=True,
                    rule=self.rule,
                    is_electronic=session.is_paperless,
                )
                votes.append(vote)
                series = NORMATIVE_SERIES if normative else "NQ"
                key = (session.council_id, series, y)
                self.counters[key] += 1
                seq = self.counters[key]
                number = f"{seq:02d}/{y}/NQ-HĐND" if normative else f"{seq:02d}/NQ-HĐND"
                status = (
                    rng.choice(list(Resolution.Implementation.values)[:3])
                    if y >= 2024
                    else Resolution.Implementation.DONE
                )
                resolution = Resolution(
                    council=session.council,
                    session=session,
                    agenda_item=item,
                    vote=vote,
                    number=number,
                    number_seq=seq,
                    year=y,
                    is_normative=normative,
                    kind=kind,
                    title=title,
                    field=self.fields.get(field_code),
                    adopted_on=on,
                    effective_on=on + timedelta(days=10) if normative else on,
                    responsible_agency=data.agencies[0] if data.agencies else None,
                    implementation_status=status,
                    is_published=rng.random() < 0.9,
                )
                resolution.search_text = resolution.build_search_text()
                resolutions.append(resolution)
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        for vote in votes:
            vote.agenda_item_id = vote.agenda_item.pk
        Vote.objects.bulk_create(votes, batch_size=5000)
        for r in resolutions:
            r.agenda_item_id, r.vote_id = r.agenda_item.pk, r.vote.pk
        Resolution.objects.bulk_create(resolutions, batch_size=5000)

    def flush(self) -> None:
        # Later adoptions continue the demo series instead of colliding with it.
        DocumentCounter.objects.bulk_create(
            [
                DocumentCounter(council_id=c, issuer="HĐND", series=s, year=y, last_number=n)
                for (c, s, y), n in self.counters.items()
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["council", "issuer", "series", "year"],
            update_fields=["last_number"],
        )


def _pdf(title: str) -> ContentFile:
    body = (
        f"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
        f"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% {title}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(body.encode("utf-8"), name="tai-lieu.pdf")


def _live_demo(ctx) -> None:
    """A paperless session in progress today (with an open poll) and an upcoming one with documents."""
    from . import services

    data = ctx.province
    council = data.council
    today = timezone.localdate()
    last = CouncilSession.objects.filter(council=council, term=data.term).order_by("-number").first()
    number = (last.number if last else 0) + 1
    live = services.session_save(
        session=CouncilSession(
            council=council,
            term=data.term,
            number=number,
            kind=CouncilSession.Kind.THEMATIC,
            title="Kỳ họp chuyên đề",
            planned_start=today,
            planned_end=today + timedelta(days=1),
            venue="Hội trường Hội đồng nhân dân",
            is_paperless=True,
        )
    )
    upcoming = services.session_save(
        session=CouncilSession(
            council=council,
            term=data.term,
            number=number + 1,
            kind=CouncilSession.Kind.REGULAR,
            title="Kỳ họp thường lệ cuối năm",
            planned_start=today + timedelta(days=21),
            planned_end=today + timedelta(days=23),
            venue="Hội trường Hội đồng nhân dân",
            is_paperless=True,
            notice_number="215/TB-HĐND",
            notice_date=today,
            notice_text="Triệu tập kỳ họp thường lệ cuối năm.",
        )
    )
    staff = ctx.users.get("canbo")
    for session, titles in (
        (
            live,
            [
                "Nghị quyết về điều chỉnh kế hoạch đầu tư công năm nay",
                "Nghị quyết về chính sách hỗ trợ học sinh vùng khó khăn",
                "Nghị quyết về bầu bổ sung Ủy viên UBND",
            ],
        ),
        (
            upcoming,
            [
                "Báo cáo tình hình kinh tế - xã hội năm nay",
                "Nghị quyết về dự toán ngân sách năm sau",
                "Nghị quyết về kế hoạch đầu tư công năm sau",
                "Nghị quyết về chương trình giám sát năm sau",
            ],
        ),
    ):
        group = services.issue_group_save(group=IssueGroup(session=session, title="Nhóm vấn đề kinh tế - ngân sách"))
        for title in titles:
            item = services.agenda_item_save(
                item=AgendaItem(
                    session=session,
                    group=group,
                    title=title,
                    proposes_resolution=title.startswith("Nghị quyết"),
                    presenter_agency=data.agencies[0],
                    expected_minutes=30,
                    field=ctx.fields[7],
                    resolution_kind=ResolutionKind.PERSONNEL if "bầu" in title else ResolutionKind.REGULAR,
                )
            )
            submission = services.document_create(
                session=session,
                kind=SessionDocument.Kind.SUBMISSION,
                title=f"Tờ trình {title[0].lower()}{title[1:]}",
                doc_date=today - timedelta(days=3),
                file=_pdf(title),
                user=staff,
                issuer="UBND",
                agenda_item=item,
                visibility=SessionDocument.Visibility.PUBLIC_AFTER,
            )
            if item.proposes_resolution:
                services.document_create(
                    session=session,
                    kind=SessionDocument.Kind.DRAFT_RESOLUTION,
                    title=f"Dự thảo {title[0].lower()}{title[1:]}",
                    doc_date=today - timedelta(days=3),
                    file=_pdf(title),
                    user=staff,
                    agenda_item=item,
                )
                if session is upcoming:
                    # The committee examines the submissions of the coming session.
                    services.verification_assign(
                        submission=submission, committee=data.committees[0], assigned_on=today - timedelta(days=2)
                    )
    services.session_send_documents(session=live, user=staff)
    services.session_open(session=live, on=today)
    # The demo deputies who sit today open the first documents (a deputy whose mandate has ended
    # leaves no read receipt; the demo's "daibieu" may be one, by the seed's draw).
    readers = [d for d in data.deputies[5:9] if services.deputy_sitting(d, today)]
    for document in live.documents.all()[:2]:
        for reader in readers:
            services.document_mark_read(document=document, deputy=reader)
    Attendance.objects.bulk_create(
        [
            Attendance(
                council=council,
                session=live,
                day=today,
                deputy=d,
                status=Attendance.Status.PRESENT if i % 12 else Attendance.Status.ABSENT_EXCUSED,
                reason="" if i % 12 else "Đi công tác",
            )
            for i, d in enumerate(services.sitting_deputies(council.pk, today))
        ]
    )
    first_item = live.agenda_items.order_by("position").first()
    services.poll_open(agenda_item=first_item, user=staff)
