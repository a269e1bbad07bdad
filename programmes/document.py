"""A programme in the national administrative-document format: issuing body and number at left,
the national name and motto at right, the place/date line, the document type (CHƯƠNG TRÌNH /
KẾ HOẠCH) and title, the tasks as a table (what, lead, with whom, by when), the signature block
and the recipients. PDF through the reports app's WeasyPrint setup (same fonts, local files
only); Word through python-docx for the office to edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from hdnd_portal.core.models import Body

from .models import Programme, ProgrammeTask
from .queries import programme_tasks

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass
class ProgrammeDoc:
    issuer_lines: list[str]
    number: str
    date_line: str
    kind_title: str
    title: str
    summary: list[str]
    groups: list[tuple[str, str, list[ProgrammeTask]]]
    signer_prefix: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    is_draft: bool


def _issuer(programme: Programme) -> list[str]:
    council = programme.council
    if programme.body and programme.body.kind == Body.Kind.COMMITTEE:
        return [f"HĐND {council.heading_name}", programme.body.name.upper()]
    if programme.body and programme.body.kind == Body.Kind.STANDING:
        return [f"HĐND {council.heading_name}", "THƯỜNG TRỰC"]
    return ["HỘI ĐỒNG NHÂN DÂN", council.heading_name]


def build(programme: Programme) -> ProgrammeDoc:
    council = programme.council
    day: date = programme.adopted_on or timezone.localdate()
    place = council.place_name or council.name
    kind_title = "KẾ HOẠCH" if programme.kind in (Programme.Kind.QUARTER, Programme.Kind.SIX_MONTH) else "CHƯƠNG TRÌNH"
    if programme.body and programme.body.kind == Body.Kind.COMMITTEE:
        prefix = f"TM. {programme.body.name.upper()}"
        signer_title = programme.signer_title or "TRƯỞNG BAN"
    elif programme.body and programme.body.kind == Body.Kind.STANDING:
        prefix, signer_title = "TM. THƯỜNG TRỰC HĐND", programme.signer_title or "CHỦ TỊCH"
    else:
        prefix, signer_title = "TM. HỘI ĐỒNG NHÂN DÂN", programme.signer_title or "CHỦ TỊCH"
    groups: list[tuple[str, str, list[ProgrammeTask]]] = []
    for task in programme_tasks(programme):
        if not groups or groups[-1][1] != task.group:
            named = sum(1 for g in groups if g[1]) + 1
            groups.append((ROMAN[named - 1] if named <= len(ROMAN) else str(named), task.group, []))
        groups[-1][2].append(task)
    recipients = ["Thường trực Thành ủy/Tỉnh ủy" if council.level == "province" else "Thường trực Đảng ủy",
                  "Thường trực HĐND, UBND, Ủy ban MTTQ cùng cấp", "Các Ban của HĐND", "Các đại biểu HĐND"]
    if programme.is_coordination:
        recipients.append("Các cơ quan tham gia phối hợp")
    recipients.append("Lưu: VT.")
    return ProgrammeDoc(
        issuer_lines=_issuer(programme),
        number=programme.document_number or "      /CTr-HĐND",
        date_line=f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
        kind_title=kind_title,
        title=programme.title,
        summary=[line.strip() for line in programme.summary.splitlines() if line.strip()],
        groups=groups,
        signer_prefix=prefix,
        signer_title=signer_title,
        signer_name=programme.signer_name,
        recipients=recipients,
        is_draft=programme.status == Programme.Status.DRAFT,
    )



def programme_pdf(programme: Programme) -> bytes:
    from weasyprint import HTML

    from hdnd_portal.core.pdf_fonts import font_face_css
    from hdnd_portal.reports.render_pdf import FAMILY, local_only_fetcher

    with override("vi"):
        html = render_to_string("programmes/pdf/programme.html",
                                {"doc": build(programme), "font_faces": font_face_css(FAMILY)})
    return HTML(string=html, url_fetcher=local_only_fetcher, base_url="file:///").write_pdf()


def _lead(task: ProgrammeTask) -> str:
    return task.lead or ""


def programme_docx(programme: Programme) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT  # noqa: F401 - portrait, as printed
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = build(programme)
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    head = word.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(doc.issuer_lines[0]).font.size = Pt(12.5)
    run = left.add_paragraph().add_run(doc.issuer_lines[1])
    run.bold = True
    left.add_paragraph(f"Số: {doc.number}")
    run = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold = True
    run.font.size = Pt(12.5)
    run = right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc")
    run.bold = True
    run.underline = True
    run = right.add_paragraph().add_run(doc.date_line)
    run.italic = True
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for text, size in ((doc.kind_title, 14), (doc.title, 14)):
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    if doc.is_draft:
        word.add_paragraph("(Dự thảo)").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in doc.summary:
        word.add_paragraph(line)

    table = word.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung công việc", "Cơ quan chủ trì",
                                                 "Cơ quan phối hợp", "Thời gian hoàn thành"], strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for label, group, items in doc.groups:
        if group:
            row = table.add_row().cells
            row[0].text = label
            merged = row[1].merge(row[4])
            merged.text = ""
            merged.paragraphs[0].add_run(group).bold = True
        for number, task in enumerate(items, start=1):
            row = table.add_row().cells
            row[0].text = str(number)
            row[1].text = task.title
            row[2].text = _lead(task)
            row[3].text = task.partners
            row[4].text = task.due_date.strftime("%d/%m/%Y")

    sign = word.add_table(rows=1, cols=2)
    rec, signer = sign.rows[0].cells
    run = rec.paragraphs[0].add_run("Nơi nhận:")
    run.bold = True
    run.italic = True
    for line in doc.recipients:
        rec.add_paragraph(f"- {line};").runs[0].font.size = Pt(11)
    for text in (doc.signer_prefix, doc.signer_title, "", "", doc.signer_name):
        paragraph = signer.add_paragraph() if signer.paragraphs[0].text else signer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    out = BytesIO()
    word.save(out)
    return out.getvalue()
