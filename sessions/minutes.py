"""The draft minutes (biên bản) of a session, assembled from the agenda, attendance, votes and
resolutions, as PDF (WeasyPrint, Noto Serif embedded) and as editable Word (python-docx)."""

from io import BytesIO

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.pdf_fonts import font_face_css

from .models import CouncilSession, SessionDocument, Vote
from .queries import attendance_summary, session_agenda


def minutes_context(session: CouncilSession) -> dict:
    agenda = session_agenda(session)
    groups = []
    for number, item in enumerate(agenda, start=1):
        key = item.group.title if item.group_id else ""
        if not groups or groups[-1]["title"] != key:
            groups.append({"title": key, "items": []})
        votes = list(item.votes.all())
        groups[-1]["items"].append(
            {
                "number": number,
                "item": item,
                "vote": votes[0] if votes else None,
                "resolutions": list(item.resolutions.all()),
                "submissions": [
                    {"document": d, "line": submission_line(d)}
                    for d in item.documents.all()
                    if d.kind == SessionDocument.Kind.SUBMISSION
                ],
            }
        )
    resolutions = list(session.resolutions.select_related("field").order_by("is_normative", "number_seq"))
    council = session.council
    return {
        "session": session,
        "council": council,
        "term": session.term,
        "groups": groups,
        "attendance": attendance_summary(session),
        "resolutions": resolutions,
        "place": council.place_name or council.name,
        "today": timezone.localdate(),
        "chair": council.heading_name,
    }


def submission_line(document: SessionDocument) -> str:
    """ "Submission No. 08/TTr-UBND dated 25/11/2026: title" — the issuer's own number and date;
    without them, the title alone (the portal never invents another body's number)."""
    if document.shown_number:
        label = _("Submission No. %(number)s") % {"number": document.shown_number}
        if document.external_date or document.number:
            label += " " + _("dated %(date)s") % {"date": document.shown_date.strftime("%d/%m/%Y")}
        return f"{label}: {document.title}"
    return _("Submission (number not entered): %(title)s") % {"title": document.title}


def minutes_pdf(session: CouncilSession) -> bytes:
    from weasyprint import HTML

    html = render_to_string("sessions/pdf/minutes.html", {**minutes_context(session), "font_faces": font_face_css("Noto Serif")})
    return HTML(string=html, base_url=None).write_pdf()


def _vote_line(vote: Vote) -> str:
    verdict = _("passed") if vote.passed else _("not passed")
    return _(
        "%(method)s: %(yes)s in favour (%(pyes)s%%), %(no)s against (%(pno)s%%), %(nv)s not voting, "
        "out of %(total)s deputies; %(required)s votes in favour required — %(verdict)s."
    ) % {
        "method": vote.get_method_display(),
        "yes": vote.yes,
        "pyes": floatformat(vote.percent(vote.yes), -2),
        "no": vote.no,
        "pno": floatformat(vote.percent(vote.no), -2),
        "nv": vote.not_voting,
        "total": vote.total_deputies,
        "required": vote.required_yes,
        "verdict": verdict,
    }


def minutes_docx(session: CouncilSession) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    ctx = minutes_context(session)
    doc = Document()
    # Decree 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman.
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    _national_heading(doc, ctx["council"].heading_name)
    today = ctx["today"]
    date_line = doc.add_paragraph(
        f"{ctx['place']}, "
        + _("day %(d)s month %(m)s year %(y)s") % {"d": f"{today:%d}", "m": f"{today:%m}", "y": today.year}
    )
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("MINUTES (DRAFT)")).bold = True
    sub = doc.add_paragraph(
        _("Session %(number)s, People's Council term %(term)s")
        % {"number": session.number, "term": session.term.numeral}
    )
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        _("Time: from %(start)s to %(end)s. Venue: %(venue)s.")
        % {
            "start": session.start.strftime("%d/%m/%Y"),
            "end": session.end.strftime("%d/%m/%Y"),
            "venue": session.venue or "—",
        }
    )
    doc.add_heading(_("I. Attendance"), level=2)
    for row in ctx["attendance"]:
        if not row["recorded"]:
            doc.add_paragraph(f"{row['day']:%d/%m/%Y}: " + _("attendance not recorded") + ".", style="List Bullet")
            continue
        doc.add_paragraph(
            _(
                "%(day)s: %(present)s present out of %(total)s deputies; %(excused)s absent with reason, "
                "%(absent)s absent without reason."
            )
            % {**row, "day": row["day"].strftime("%d/%m/%Y")},
            style="List Bullet",
        )
    doc.add_heading(_("II. Proceedings"), level=2)
    for group in ctx["groups"]:
        if group["title"]:
            doc.add_paragraph().add_run(group["title"]).bold = True
        for entry in group["items"]:
            item = entry["item"]
            para = doc.add_paragraph()
            para.add_run(f"{entry['number']}. {item.title}").bold = True
            if item.presenter:
                doc.add_paragraph(_("Presented by: %(p)s") % {"p": item.presenter})
            for submission in entry["submissions"]:
                doc.add_paragraph(submission["line"])
            if entry["vote"]:
                doc.add_paragraph(_vote_line(entry["vote"]))
            for resolution in entry["resolutions"]:
                doc.add_paragraph(
                    _("Resolution %(number)s adopted: %(title)s.")
                    % {"number": resolution.number, "title": resolution.title}
                )
    doc.add_heading(_("III. Resolutions adopted"), level=2)
    if ctx["resolutions"]:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, [_("Number"), _("Title"), _("Adoption date")], strict=True):
            cell.text = label
        for r in ctx["resolutions"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = r.number, r.title, r.adopted_on.strftime("%d/%m/%Y")
    else:
        doc.add_paragraph(_("No resolution adopted."))
    signature = doc.add_table(rows=1, cols=2)
    signature.rows[0].cells[0].text = _("SECRETARY OF THE SESSION")
    signature.rows[0].cells[1].text = _("CHAIR OF THE SESSION")
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _national_heading(doc, issuer_name: str) -> None:
    """The heading of Decree 30/2020/NĐ-CP as a borderless two-column table of fixed widths: the
    issuer left; right, the national title on one line (12 pt, bold, upper case) and the motto
    under it (13 pt, bold, underlined as long as itself). Each line is its own paragraph, never a
    line break inside one, so Word cannot wrap the title."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    widths = (Mm(62), Mm(103))
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    left, right = table.rows[0].cells

    def line(cell, text: str, size: int, *, first: bool = False, bold: bool = True, underline: bool = False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.underline = bold, underline
        run.font.size = Pt(size)
        run.font.name = "Times New Roman"
        return paragraph

    line(left, _("PEOPLE’S COUNCIL"), 12, first=True)
    line(left, issuer_name, 12, underline=True)
    line(left, _("No.:") + "      /BB-HĐND", 13, bold=False)
    line(right, _("SOCIALIST REPUBLIC OF VIET NAM"), 12, first=True)
    line(right, _("Independence – Freedom – Happiness"), 13, underline=True)
