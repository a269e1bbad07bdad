"""The same figures as an Excel workbook (openpyxl) and an editable Word document (python-docx).

Excel: sheet "Tổng hợp" lists every figure (section, indicator, this council, councils below,
total) as numbers, one sheet per section for its breakdown tables, and one for the table per
commune. Word: the document as printed (heading, title, narrative, tables, signature), for the
office to edit further."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from .document import Document
from .present import change_text, vn_number

SUMMARY_SHEET = "Tổng hợp"
COUNCIL_SHEET = "Theo đơn vị"


def render_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from hdnd_portal.core.exports import neutralise_workbook

    bold = Font(bold=True)
    with override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = SUMMARY_SHEET
        sheet.append([f"{document.issuer_lines[0]} {document.issuer_lines[1]}"])
        sheet.append([f"Số: {document.number}", None, None, document.date_line])
        sheet.append([f"{document.kind_title}: {document.title}"])
        sheet["A3"].font = Font(bold=True, size=13)
        sheet.append([])
        headers = [_("Section"), _("Indicator"), *document.columns, pgettext("report figure", "Key")]
        sheet.append(headers)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for section in document.sections:
            for row in section.rows:
                values = [f"{section.number}. {section.heading}", row["label"], *row["values"]]
                sheet.append([*values, f"{section.key}.{row['path']}"])
        for index, width in enumerate([38, 60, *[16] * len(document.columns)], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A6"
        used_titles = {SUMMARY_SHEET, COUNCIL_SHEET}
        for section in document.sections:
            if not section.tables:
                continue
            title = f"{section.number} {section.heading}"[:31]
            while title in used_titles:
                title = title[:29] + "_2"
            used_titles.add(title)
            tab = workbook.create_sheet(title=title.replace("/", "-").replace(":", " "))
            for table in section.tables:
                tab.append([table.title])
                tab[tab.max_row][0].font = bold
                tab.append([label for _k, label in table.columns])
                for cell in tab[tab.max_row]:
                    cell.font = bold
                for row in table.cells():
                    tab.append(row)
                tab.append([])
            tab.column_dimensions["A"].width = 48
        for number, annex in enumerate(document.annexes, start=1):
            # One sheet per level below: "Theo đơn vị" (the only level), or "Theo đơn vị 1", "… 2".
            title = COUNCIL_SHEET if len(document.annexes) == 1 else f"{COUNCIL_SHEET} {number}"
            tab = workbook.create_sheet(title=title)
            columns = annex["table"]["columns"]
            tab.append([f"{annex['title']} ({vn_number(annex['count'])} đơn vị)"])
            tab[1][0].font = bold
            tab.append([_("Council"), _("Code"), *[c["label"] for c in columns]])
            for cell in tab[2]:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True)
            for row in annex["table"]["rows"]:
                tab.append([row["council"], row["code"], *[row.get(c["key"], 0) for c in columns]])
            tab.append([_("Total"), None, *[annex["table"]["totals"].get(c["key"], 0) for c in columns]])
            for cell in tab[tab.max_row]:
                cell.font = bold
            tab.column_dimensions["A"].width = 34
            tab.freeze_panes = "C3"
        neutralise_workbook(workbook)
        buffer = BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def render_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    with override("vi"):
        doc = Docx()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(13)

        def para(container, text="", bold=False, italic=False, align=None, size=None, underline=False):
            p = container.add_paragraph()
            if align is not None:
                p.alignment = align
            run = p.add_run(text)
            run.bold, run.italic, run.underline = bold, italic, underline
            if size:
                run.font.size = Pt(size)
            p.paragraph_format.space_after = Pt(0)
            return p

        heading = doc.add_table(rows=1, cols=2)
        left, right = heading.rows[0].cells
        left.paragraphs[0].text = ""
        para(left, document.issuer_lines[0], align=WD_ALIGN_PARAGRAPH.CENTER, size=12.5)
        para(left, document.issuer_lines[1], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12.5)
        para(left, f"Số: {document.number}", align=WD_ALIGN_PARAGRAPH.CENTER)
        para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12.5)
        para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        para(right, document.date_line, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        para(doc)
        para(doc, document.kind_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
        para(doc, document.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
        para(doc)
        if document.intro:
            doc.add_paragraph(document.intro)
        labels = [_("Indicator"), *document.columns]
        for s in document.sections:
            para(doc, f"{s.number}. {s.heading.upper()}", bold=True)
            for line in s.text.splitlines():
                if line.strip():
                    doc.add_paragraph(line)
            if s.rows:
                table = doc.add_table(rows=1, cols=len(labels))
                table.style = "Table Grid"
                for cell, text in zip(table.rows[0].cells, labels, strict=True):
                    cell.text = str(text)
                for row in s.rows:
                    values = [row["label"], *[vn_number(v) for v in row["values"]]]
                    if document.has_previous:
                        values[-1] = change_text(row["values"][-1])
                    for cell, text in zip(table.add_row().cells, values, strict=True):
                        cell.text = str(text)
            for t in s.tables:
                if not t.rows:
                    continue
                para(doc, t.title, bold=True, italic=True)
                table = doc.add_table(rows=1, cols=len(t.columns))
                table.style = "Table Grid"
                for cell, (_k, text) in zip(table.rows[0].cells, t.columns, strict=True):
                    cell.text = str(text)
                for values in t.cells():
                    for cell, value in zip(table.add_row().cells, values, strict=True):
                        cell.text = vn_number(value) if value is not None else ""
        if document.direction:
            para(doc, f"{document.direction_number}. {document.direction['heading'].upper()}", bold=True)
            for line in document.direction["text"].splitlines():
                if line.strip():
                    doc.add_paragraph(line)
        para(doc)
        sign = doc.add_table(rows=1, cols=2)
        recipients, signer = sign.rows[0].cells
        recipients.paragraphs[0].text = ""
        para(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
        for line in document.recipients:
            para(recipients, f"- {line};", size=11)
        signer.paragraphs[0].text = ""
        para(signer, document.signer_prefix, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        para(signer, document.signer_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for _i in range(4):
            para(signer)
        para(signer, document.signer_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for number, annex in enumerate(document.annexes, start=1):
            doc.add_page_break()
            heading_text = "PHỤ LỤC" if len(document.annexes) == 1 else f"PHỤ LỤC {number}"
            para(doc, heading_text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            para(
                doc,
                f"KẾT QUẢ HOẠT ĐỘNG CỦA {annex['title'].upper()} ({vn_number(annex['count'])} ĐƠN VỊ)",
                bold=True,
                align=WD_ALIGN_PARAGRAPH.CENTER,
            )
            para(
                doc,
                f"(Kèm theo Báo cáo số {document.number} ngày {document.issued_on:%d/%m/%Y})",
                italic=True,
                align=WD_ALIGN_PARAGRAPH.CENTER,
            )
            columns = annex["table"]["columns"]
            table = doc.add_table(rows=1, cols=len(columns) + 1)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, [_("Council"), *[c["label"] for c in columns]], strict=True):
                cell.text = str(text)
            for row in [*annex["table"]["rows"], {"council": _("Total"), **annex["table"]["totals"]}]:
                values = [row["council"], *[vn_number(row.get(c["key"], 0)) for c in columns]]
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.text = str(value)
        buffer = BytesIO()
        doc.save(buffer)
    return buffer.getvalue()
