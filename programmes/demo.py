"""Demo data: the city's annual work programme of the standing committee for the current year,
with tasks in every state (some carried out by sessions and oversight activities of the demo,
some followed by hand), a quarterly plan, the coordination programme with the People's
Committee and the Fatherland Front, and one held quarterly briefing with the communes whose
tasks are deadlines of the communes (seed 001: "giao ban ... quý I"). Every council also gets a
register of documents issued by its standing committee and committees (seed 002: "Thường trực
HĐND ban hành 375 văn bản; 02 Ban ban hành 319 văn bản")."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hdnd_portal.core.models import Agency

from . import services
from .models import Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask


def populate(ctx) -> None:
    for data in ctx.all_councils:
        _issued_documents(data)
    _programmes(ctx)


# (kind, summary, days before today, number typed as the office back-entered it, or "" for the
# register's next number, which continues after the typed ones)
STANDING_DOCUMENTS = [
    (IssuedDocument.Kind.REGULATION, "Quy chế hoạt động của Thường trực HĐND nhiệm kỳ 2021-2026", 330, "02/QC-HĐND"),
    (IssuedDocument.Kind.NOTICE, "Thông báo kết luận phiên họp Thường trực HĐND tháng 3", 260, "08/TB-HĐND"),
    (IssuedDocument.Kind.DECISION, "Quyết định thành lập Đoàn giám sát chuyên đề việc thực hiện các dự án đầu tư "
                                   "công trên địa bàn", 250, "12/QĐ-HĐND"),
    (IssuedDocument.Kind.PLAN, "Kế hoạch tổ chức tiếp xúc cử tri trước kỳ họp thường lệ giữa năm", 190, "15/KH-HĐND"),
    (IssuedDocument.Kind.NOTICE, "Thông báo kết luận phiên họp Thường trực HĐND tháng 6", 150, ""),
    (IssuedDocument.Kind.LETTER, "Về việc đề nghị báo cáo kết quả giải quyết kiến nghị cử tri", 60, ""),
    (IssuedDocument.Kind.REPORT, "Báo cáo kết quả giám sát của Thường trực HĐND 6 tháng đầu năm", 140, "46/BC-HĐND"),
    (IssuedDocument.Kind.PLAN, "Kế hoạch tổ chức kỳ họp thường lệ cuối năm", 20, ""),
]
# (kind, summary, days before today, typed sequence or None)
COMMITTEE_DOCUMENTS = [
    (IssuedDocument.Kind.PLAN, "Kế hoạch khảo sát tình hình thực hiện nhiệm vụ thuộc lĩnh vực phụ trách", 200, 4),
    (IssuedDocument.Kind.REPORT, "Báo cáo thẩm tra các báo cáo, tờ trình trình kỳ họp thường lệ", 160, 18),
    (IssuedDocument.Kind.DECISION, "Quyết định thành lập Đoàn khảo sát của Ban", 90, None),
]


def _issued_documents(data) -> None:
    """A handful of documents per council: the standing committee's and a few of each committee,
    most typed as back-entered from the paper register, the latest numbered by the register."""
    council = data.council
    today = timezone.localdate()

    def day(days_before: int) -> date:
        on = today - timedelta(days=days_before)
        return max(on, council.established_on) if council.established_on else on

    chair = data.deputies[0] if data.deputies else None
    for kind, summary, days, number in STANDING_DOCUMENTS:
        letter = kind == IssuedDocument.Kind.LETTER
        services.issued_document_save(document=IssuedDocument(
            council=council, body=data.standing, kind=kind, number=number, issued_on=day(days), summary=summary,
            signer_title="PHÓ CHỦ TỊCH" if letter else "CHỦ TỊCH", signer_deputy=None if letter else chair,
            signer_name="Nguyễn Văn Hùng" if letter or not chair else ""))
    for index, committee in enumerate(data.committees[:3]):
        head = data.deputies[2 + index] if len(data.deputies) > 2 + index else None
        for kind, summary, days, seq in COMMITTEE_DOCUMENTS[: 3 - index % 2]:
            doc_type = IssuedDocument.NUMBER_TYPES[kind]
            number = f"{seq + 2 * index:02d}/{doc_type}-{committee.abbreviation}" if seq else ""
            services.issued_document_save(document=IssuedDocument(
                council=council, body=committee, kind=kind, number=number, issued_on=day(days + 7 * index),
                summary=summary, signer_title="TRƯỞNG BAN", signer_deputy=head,
                signer_name="" if head else "Trưởng Ban"))


def _programmes(ctx) -> None:
    from oversight.models import OversightActivity
    from sessions.models import CouncilSession

    today = timezone.localdate()
    year = today.year
    pd = ctx.province
    council = pd.council
    chair = pd.deputies[0].full_name
    committee = pd.committees[0] if pd.committees else None
    programme = services.programme_save(programme=Programme(
        council=council, body=pd.standing, kind=Programme.Kind.YEAR, year=year,
        title=f"Chương trình công tác năm {year} của Thường trực HĐND {council.name}",
        summary=("Cụ thể hóa các nhiệm vụ trọng tâm của HĐND năm " + str(year) + "; bảo đảm hoạt động của HĐND "
                 "thực chất, hiệu quả.\nPhân công rõ cơ quan chủ trì, phối hợp và thời gian hoàn thành từng nội dung."),
        status=Programme.Status.ADOPTED, document_number="01/CTr-HĐND", adopted_on=date(year, 1, 8),
        signer_name=chair, is_published=True,
    ))
    sessions = list(CouncilSession.objects.filter(council=council, planned_start__year=year).order_by("planned_start"))
    activities = list(OversightActivity.objects.filter(council=council, start_date__year=year).order_by("start_date"))
    done_acts = [a for a in activities if a.status in OversightActivity.DONE_STATUSES]
    open_acts = [a for a in activities if a.status in (OversightActivity.Status.PLANNED,
                                                        OversightActivity.Status.IN_PROGRESS)]
    closed = [s for s in sessions if s.status == CouncilSession.Status.CLOSED]
    g_session, g_oversight, g_other = ("Công tác chuẩn bị và tổ chức kỳ họp", "Hoạt động giám sát, khảo sát",
                                       "Công tác tiếp xúc cử tri, tiếp công dân và công tác khác")
    specs = [
        (g_session, "Chuẩn bị nội dung, tổ chức kỳ họp thường lệ giữa năm", "Thường trực HĐND",
         "UBND thành phố, các Ban HĐND", date(year, 7, 15), {"sessions": closed[:1]}, None, None),
        (g_session, "Chuẩn bị nội dung, tổ chức kỳ họp thường lệ cuối năm", "Thường trực HĐND",
         "UBND thành phố, các Ban HĐND", date(year, 12, 15), {"sessions": closed[1:2] or sessions[-1:]}, None, None),
        (g_oversight, "Giám sát chuyên đề theo Nghị quyết chương trình giám sát năm", "Thường trực HĐND",
         "Các Ban HĐND, Tổ đại biểu", date(year, 6, 30), {"activities": done_acts[:2]}, None, None),
        (g_oversight, "Giám sát việc giải quyết kiến nghị cử tri gửi đến kỳ họp", committee.name if committee else "",
         "Ủy ban MTTQ thành phố", date(year, 9, 30), {"activities": open_acts[:1]}, None, None),
        (g_oversight, "Khảo sát tình hình thực hiện dự án đầu tư công trọng điểm", committee.name if committee else "",
         "Sở Kế hoạch và Đầu tư", date(year, 10, 31), {}, ProgrammeTask.Status.DONE, date(year, 11, 12)),
        (g_other, "Tổ chức hội nghị giao ban Thường trực HĐND hai cấp hằng quý", "Thường trực HĐND",
         "Thường trực HĐND các xã, phường", date(year, 4, 20), {}, ProgrammeTask.Status.DONE, date(year, 4, 17)),
        (g_other, "Sơ kết, đánh giá việc thực hiện Quy chế phối hợp công tác", "Văn phòng HĐND",
         "UBND, Ủy ban MTTQ thành phố", date(year, 9, 15), {}, ProgrammeTask.Status.NOT_STARTED, None),
        (g_other, "Xây dựng báo cáo kết quả giải quyết kiến nghị cử tri", "Văn phòng HĐND",
         "Các sở, ngành", today + timedelta(days=20), {}, ProgrammeTask.Status.IN_PROGRESS, None),
        (g_other, "Tổng kết hoạt động HĐND các cấp năm " + str(year), "Thường trực HĐND",
         "HĐND các xã, phường", date(year, 12, 31), {}, ProgrammeTask.Status.NOT_STARTED, None),
        (g_other, "Hội thảo chuyên đề về chuyển đổi số trong hoạt động HĐND", "Văn phòng HĐND",
         "Sở Khoa học và Công nghệ", date(year, 8, 30), {}, ProgrammeTask.Status.CANCELLED, None),
    ]
    for position, (group, title, lead, partners, due, links, status, completed) in enumerate(specs, start=1):
        task = ProgrammeTask(programme=programme, council=council, position=position, group=group, title=title,
                             lead_person=lead, partners=partners, due_date=due,
                             status=status or ProgrammeTask.Status.NOT_STARTED, completed_on=completed)
        if completed and completed > today:
            task.completed_on = today
        services.task_save(task=task, links={k: v for k, v in links.items() if v})

    quarter = (today.month - 1) // 3 + 1
    plan = services.programme_save(programme=Programme(
        council=council, body=pd.standing, kind=Programme.Kind.QUARTER, year=year, part=quarter,
        title=f"Kế hoạch công tác quý {quarter}/{year} của Thường trực HĐND",
        status=Programme.Status.ADOPTED, document_number=f"{quarter + 40}/KH-HĐND",
        adopted_on=date(year, 3 * (quarter - 1) + 1, 3), signer_name=chair,
    ))
    services.task_save(task=ProgrammeTask(
        programme=plan, council=council, position=1, title="Họp Thường trực HĐND thường kỳ hằng tháng",
        lead_person="Thường trực HĐND", due_date=date(year, 3 * quarter, 25)), links={})

    partners = list(Agency.objects.filter(council=council, kind__in=[Agency.Kind.PEOPLES_COMMITTEE,
                                                                      Agency.Kind.FATHERLAND_FRONT]))
    coordination = services.programme_save(programme=Programme(
        council=council, body=pd.standing, kind=Programme.Kind.COORDINATION, year=year,
        title=f"Chương trình phối hợp công tác năm {year} giữa Thường trực HĐND - UBND - Ủy ban MTTQ Việt Nam",
        status=Programme.Status.ADOPTED, document_number="02/CTrPH-HĐND-UBND-MTTQ", adopted_on=date(year, 1, 26),
        signer_name=chair, is_published=True,
    ), partner_agencies=partners)
    for position, (title, lead, due, status, completed) in enumerate([
        ("Phối hợp tổ chức tiếp xúc cử tri trước và sau các kỳ họp", "Ủy ban MTTQ", date(year, 7, 31),
         ProgrammeTask.Status.DONE, date(year, 7, 20)),
        ("Phối hợp giám sát việc giải quyết khiếu nại, tố cáo của công dân", "UBND", date(year, 10, 31),
         ProgrammeTask.Status.IN_PROGRESS, None),
        ("Phối hợp chuẩn bị nội dung kỳ họp cuối năm", "UBND", date(year, 12, 10),
         ProgrammeTask.Status.NOT_STARTED, None),
    ], start=1):
        services.task_save(task=ProgrammeTask(
            programme=coordination, council=council, position=position, title=title, lead_person=lead,
            partners="Thường trực HĐND", due_date=due, status=status, completed_on=completed), links={})

    # The briefing of the last full quarter, held three weeks after it ended.
    last_q = quarter - 1 or 4
    last_year = year if quarter > 1 else year - 1
    held = date(last_year, 3 * last_q, 28) + timedelta(days=20) if last_q < 4 else date(year, 1, 17)
    communes = [c.council for c in ctx.communes[:4]]
    briefing = services.briefing_save(briefing=Briefing(
        council=council, title=f"Hội nghị giao ban hoạt động HĐND quý {last_q}/{last_year}",
        period_kind=Briefing.PeriodKind.QUARTER, year=last_year, part=last_q, held_on=held,
        place="Hội trường HĐND thành phố", chaired_by=f"Đồng chí {chair}, Chủ tịch HĐND thành phố",
        attendees="\n".join([f"{pd.deputies[0].full_name} — Chủ tịch HĐND thành phố",
                             f"{pd.deputies[1].full_name} — Phó Chủ tịch HĐND thành phố",
                             *[f"Thường trực HĐND {c.name}" for c in communes]]),
        conclusions=("Các đơn vị cơ bản hoàn thành chương trình công tác quý; hoạt động giám sát, khảo sát được "
                     "duy trì thường xuyên.\nĐề nghị Thường trực HĐND các xã, phường tập trung giám sát việc "
                     "giải quyết kiến nghị cử tri, chuẩn bị tốt kỳ họp cuối năm."),
        notice_number=f"{last_q + 20}/TB-HĐND", status=Briefing.Status.HELD,
    ), participants=communes)
    xa = ctx.users.get("xa")
    for index, commune in enumerate(communes):
        services.briefing_task_save(task=BriefingTask(
            briefing=briefing, council=council, assignee_council=commune,
            assignee_user=xa if index == 0 else None,
            title=f"Báo cáo kết quả giám sát việc giải quyết kiến nghị cử tri của {commune.name}",
            due_date=today + timedelta(days=5 + 10 * index)))
    if communes:
        services.briefing_task_save(task=BriefingTask(
            briefing=briefing, council=council, assignee_council=communes[-1],
            title="Gửi báo cáo sơ kết hoạt động HĐND quý", due_date=held + timedelta(days=14)))
        task = services.briefing_task_save(task=BriefingTask(
            briefing=briefing, council=council, assignee_council=communes[0], assignee_user=xa,
            title="Rà soát chương trình giám sát năm của HĐND xã", due_date=held + timedelta(days=30)))
        task.status, task.completed_on = BriefingTask.Status.DONE, held + timedelta(days=25)
        services.briefing_task_save(task=task)
