"""The Vietnamese narrative of a report, written from its figures with the apps' real keys.

The document itself is always Vietnamese (it is an official administrative document), so these
sentences are written in Vietnamese directly, like the other apps' letter templates. The result is
a list of blocks {"key", "heading", "text"} that the secretariat edits before printing; a section
whose figures do not have the expected shape gets a plain sentence instead of failing."""

from __future__ import annotations

from datetime import date

from .present import get_path
from .present import vn_number as n

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def council_short(name: str) -> str:
    """'Thành phố Hà Nội' → 'HĐND Thành phố Hà Nội'."""
    return f"HĐND {name}"


def dmy(value: date | str) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def period_phrase(kind: str, start: date, end: date) -> str:
    if kind == "annual":
        return f"năm {start.year}"
    if kind == "six_month":
        return f"6 tháng {'đầu' if start.month <= 6 else 'cuối'} năm {start.year}"
    if kind == "quarterly":
        return f"quý {ROMAN[(start.month - 1) // 3]}/{start.year}"
    return f"từ ngày {dmy(start)} đến ngày {dmy(end)}"


def title_for(kind: str, council_name: str, start: date, end: date) -> str:
    period = period_phrase(kind, start, end)
    return {
        "annual": f"Kết quả hoạt động của Hội đồng nhân dân {council_name} {period}",
        "six_month": f"Kết quả hoạt động của Hội đồng nhân dân {council_name} {period}",
        "quarterly": f"Kết quả hoạt động giao ban {period} của Hội đồng nhân dân {council_name}",
        "petitions": f"Kết quả giám sát việc giải quyết kiến nghị của cử tri {period}",
        "oversight": f"Kết quả theo dõi việc thực hiện kiến nghị sau giám sát và các cam kết {period}",
        "citizens": f"Kết quả tiếp công dân, tiếp nhận và xử lý đơn thư {period}",
    }.get(kind, f"Kết quả hoạt động của Hội đồng nhân dân {council_name} {period}")


def _list(rows, noun: str, limit: int = 6) -> str:
    """'04 kỳ họp thường lệ, 02 kỳ họp chuyên đề' from [{'label','count'}]."""
    parts = [
        f"{n(r.get('count'))} {noun}{str(r.get('label', '')).lower()}" for r in (rows or [])[:limit] if r.get("count")
    ]
    return ", ".join(parts)


def _core(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    d = own.get("deputies", {})
    text = (
        f"{council_short(name)} có {n(d.get('sitting'))} đại biểu đang hoạt động (trong đó "
        f"{n(d.get('full_time'))} đại biểu hoạt động chuyên trách, {n(d.get('female'))} đại biểu nữ); "
        f"{n(own.get('committees'))} Ban và {n(own.get('delegate_groups'))} Tổ đại biểu. "
        f"Trong kỳ có {n(d.get('joined'))} đại biểu bắt đầu nhiệm vụ và {n(d.get('left'))} đại biểu thôi làm nhiệm vụ."
    )
    for who, below in levels:
        text += (
            f" {who} có {n(get_path(below, 'deputies.sitting'))} đại biểu, "
            f"{n(below.get('committees'))} Ban."
        )
    return text


def _resolutions_by_session(own: dict) -> str:
    """'; gồm 05 Nghị quyết về công tác nhân sự, 07 Nghị quyết tại kỳ họp thường lệ và 12 Nghị quyết
    chuyên đề' — as the seeds break the year's resolutions down."""
    personnel, regular = own.get("resolutions_personnel"), own.get("resolutions_at_regular_sessions")
    thematic = own.get("resolutions_at_thematic_sessions")
    if not (personnel or regular or thematic):
        return ""
    return (
        f"; gồm {n(personnel)} Nghị quyết về công tác nhân sự, {n(regular)} Nghị quyết tại các kỳ họp thường lệ "
        f"và {n(thematic)} Nghị quyết tại các kỳ họp chuyên đề"
    )


def _sessions(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    kinds = _list(own.get("sessions_by_kind"), "kỳ họp ")
    text = (
        f"Trong kỳ báo cáo, {council_short(name)} tổ chức {n(own['sessions_held'])} kỳ họp"
        f"{f' ({kinds})' if kinds else ''}, ban hành {n(own['resolutions'])} Nghị quyết, trong đó "
        f"{n(own.get('resolutions_normative'))} Nghị quyết quy phạm pháp luật và "
        f"{n(own.get('resolutions_individual'))} Nghị quyết cá biệt"
        f"{_resolutions_by_session(own)}. "
        f"Các Ban của HĐND đã thẩm tra {n(own.get('verifications_done'))}/{n(own.get('verifications'))} nội dung "
        f"được phân công, {n(own.get('verifications_on_time'))} nội dung đúng hạn; "
        f"đã biểu quyết {n(own.get('votes'))} lượt ({n(own.get('votes_electronic'))} lượt biểu quyết điện tử)."
    )
    if own.get("attendance_rate") is not None:
        text += f" Tỷ lệ đại biểu có mặt tại các phiên họp đạt {n(own['attendance_rate'])}%."
    for who, below in levels:
        text += (
            f" {who} tổ chức {n(below['sessions_held'])} kỳ họp, ban hành {n(below['resolutions'])} Nghị quyết."
        )
    return text


def _oversight(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    a, r, q, c = own["activities"], own["recommendations"], own.get("questioning", {}), own.get("commitments", {})
    kinds = _list(a.get("by_kind"), "cuộc ")
    text = (
        f"HĐND, Thường trực HĐND, các Ban và các Tổ đại biểu {council_short(name)} đã tổ chức "
        f"{n(a['total'])} cuộc giám sát, khảo sát{f' ({kinds})' if kinds else ''}, {n(a.get('concluded'))} cuộc đã có "
        f"kết luận. Qua giám sát đã đưa ra {n(r['made'])} kiến nghị; {n(r.get('done'))} kiến nghị đã được thực hiện xong, "
        f"{n(r.get('partly'))} kiến nghị thực hiện một phần, {n(r.get('overdue'))} kiến nghị quá hạn chưa thực hiện. "
        f"Tổ chức {n(q.get('sessions'))} phiên chất vấn với {n(q.get('people_questioned'))} người được chất vấn, "
        f"{n(get_path(q, 'questions.total'))} câu hỏi ({n(get_path(q, 'questions.requestioning'))} nội dung tái chất vấn); "
        f"{n(own.get('explanation_sessions'))} phiên giải trình. "
        f"Theo dõi {n(c.get('made'))} cam kết, lời hứa: {n(c.get('fulfilled'))} đã thực hiện, "
        f"{n(c.get('late'))} chậm so với lộ trình."
    )
    conf = own.get("confidence") or {}
    if conf.get("votes"):
        text += (
            f" Tổ chức lấy phiếu tín nhiệm đối với {n(conf.get('subjects'))} người giữ chức vụ do HĐND bầu; "
            f"{n(conf.get('over_half_positive'))} người đạt trên 50% số phiếu “tín nhiệm” và “tín nhiệm cao”, "
            f"{n(conf.get('over_half_high'))} người có trên 50% phiếu tín nhiệm cao, trong đó "
            f"{n(conf.get('over_80_high'))} người có trên 80% phiếu tín nhiệm cao; "
            f"{n(conf.get('may_resign'))} người có trên một nửa số phiếu tín nhiệm thấp."
        )
    for who, below in levels:
        text += (
            f" {who} tổ chức {n(get_path(below, 'activities.total'))} cuộc giám sát, khảo sát, "
            f"đưa ra {n(get_path(below, 'recommendations.made'))} kiến nghị."
        )
    return text


def _groups(meetings: dict) -> str:
    """'; 02 Tổ đại biểu đã tổ chức tiếp xúc cử tri, trong đó 01 Tổ đại biểu tiếp xúc chuyên đề' (the seeds)."""
    if not meetings.get("groups"):
        return ""
    text = f"; {n(meetings['groups'])} Tổ đại biểu đã tổ chức tiếp xúc cử tri"
    if meetings.get("thematic_groups"):
        text += f", trong đó {n(meetings['thematic_groups'])} Tổ đại biểu tiếp xúc chuyên đề"
    return text


def _voters(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    m, p, f = own["meetings"], own["petitions"], own["flow"]
    fields = _list(own.get("by_field"), "", limit=4)
    text = (
        f"Đại biểu {council_short(name)} đã tổ chức {n(m['count'])} cuộc tiếp xúc cử tri với "
        f"{n(m.get('voters'))} lượt cử tri tham dự ({n(m.get('before'))} cuộc trước kỳ họp, {n(m.get('after'))} cuộc "
        f"sau kỳ họp, {n(m.get('thematic'))} cuộc chuyên đề){_groups(m)}. Tiếp nhận {n(p['received'])} ý kiến, kiến nghị của cử tri "
        f"({n(p.get('petitions'))} kiến nghị, {n(p.get('opinions'))} ý kiến)"
        f"{f', nhiều nhất về: {fields}' if fields else ''}. "
        f"Đã chuyển {n(f['forwarded'])} kiến nghị đến cơ quan có thẩm quyền; {n(f['answered'])} kiến nghị đã được "
        f"trả lời, trong đó {n(f.get('resolved'))} kiến nghị đã giải quyết, {n(f.get('in_progress'))} kiến nghị đang "
        f"giải quyết, {n(f.get('explained'))} kiến nghị đã giải thích, cung cấp thông tin, "
        f"{n(f.get('not_competent'))} kiến nghị không thuộc thẩm quyền; {n(f.get('on_time'))} kiến nghị được trả lời "
        f"đúng hạn. Đến cuối kỳ còn {n(f.get('overdue_at_end'))} kiến nghị quá hạn chưa được trả lời."
    )
    for who, below in levels:
        text += (
            f" {who} tổ chức {n(get_path(below, 'meetings.count'))} cuộc tiếp xúc cử tri, tiếp nhận "
            f"{n(get_path(below, 'petitions.received'))} ý kiến, kiến nghị."
        )
    return text


def _by_receiver(rows) -> str:
    """' (Thường trực HĐND 150 buổi, Đại biểu 60 buổi)' from the held days by who received."""
    parts = [f"{r.get('label')} {n(r.get('count'))} buổi" for r in (rows or []) if r.get("count")]
    return f" ({', '.join(parts)})" if len(parts) > 1 or (parts and rows[0].get("key")) else ""


def _citizens(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    letters = own["letters"]
    kinds = _list(own.get("letters_by_kind"), "đơn ")
    text = (
        f"Thường trực, đại biểu {council_short(name)} đã tổ chức {n(own['reception_days'])} buổi tiếp công dân"
        f"{_by_receiver(own.get('reception_days_by_receiver'))}, "
        f"tiếp {n(own['visits'])} lượt với {n(own.get('citizens'))} công dân, {n(own.get('cases'))} vụ việc "
        f"({n(own.get('group_visits'))} đoàn đông người). Tiếp nhận {n(letters['total'])} đơn thư"
        f"{f' ({kinds})' if kinds else ''}; đã chuyển {n(letters.get('forwarded'))} đơn đến cơ quan có thẩm quyền, "
        f"{n(letters.get('resolved'))} đơn đã được giải quyết, {n(letters.get('pending'))} đơn đang chờ xử lý. "
        f"Còn {n(own.get('overdue_total'))} đơn quá hạn giải quyết."
    )
    for who, below in levels:
        text += (
            f" {who} tiếp {n(below.get('visits'))} lượt công dân, tiếp nhận "
            f"{n(get_path(below, 'letters.total'))} đơn thư."
        )
    return text


def report_levels(figures: dict) -> list[dict]:
    """The levels below as stored (a report from before levels had one "below": the communes)."""
    if figures.get("levels") is not None:
        return figures["levels"]
    if figures.get("below") is None:
        return []
    from .sections import LEVEL_TITLES

    return [{
        "key": "commune",
        "title": str(LEVEL_TITLES["commune"]),
        "count": figures.get("below_count") or 0,
        "sections": figures["below"],
        "by_council": figures.get("by_council"),
    }]


def level_who(level: dict) -> str:
    """How the narrative names a level below: 'HĐND cấp xã (126 đơn vị)', 'HĐND cấp huyện (đã giải thể, 30 đơn vị)'."""
    if level.get("key") == "district":
        return f"HĐND cấp huyện (nay đã giải thể; {n(level.get('count'))} đơn vị)"
    return f"HĐND cấp xã ({n(level.get('count'))} đơn vị)"


def levels_phrase(levels: list[tuple[str, dict]]) -> str:
    names = ["HĐND cấp huyện" if level.get("key") == "district" else "HĐND cấp xã" for _who, level in levels]
    return " và ".join(names) or "HĐND cấp xã"


def _documents(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    kinds = _list(own.get("documents_issued_by_kind"), "văn bản ")
    text = (
        f"Thường trực HĐND và các Ban của {council_short(name)} đã ban hành {n(own['documents_issued'])} văn bản, "
        f"trong đó Thường trực HĐND ban hành {n(own.get('documents_by_standing_committee'))} văn bản, các Ban "
        f"ban hành {n(own.get('documents_by_committees'))} văn bản{f' ({kinds})' if kinds else ''}."
    )
    for who, below in levels:
        text += f" {who} ban hành {n(below.get('documents_issued'))} văn bản."
    return text


def _programmes(own: dict, levels: list[tuple[str, dict]], name: str) -> str:
    text = (
        f"Các chương trình, kế hoạch công tác có {n(own['tasks_due'])} nhiệm vụ đến hạn trong kỳ: "
        f"{n(own.get('tasks_done'))} nhiệm vụ đã thực hiện xong (trong đó {n(own.get('tasks_done_late'))} nhiệm vụ "
        f"xong sau thời hạn), {n(own.get('tasks_overdue'))} nhiệm vụ quá hạn chưa thực hiện."
    )
    for who, below in levels:
        text += (f" {who} có {n(below.get('tasks_due'))} nhiệm vụ đến hạn, {n(below.get('tasks_done'))} nhiệm vụ "
                 "đã thực hiện xong.")
    return text


WRITERS = {"core": _core, "documents": _documents, "programmes": _programmes, "sessions": _sessions, "oversight": _oversight, "voters": _voters, "citizens": _citizens}
HEADINGS = {
    "core": "Tổ chức, đại biểu Hội đồng nhân dân",
    "documents": "Ban hành văn bản của Thường trực HĐND và các Ban",
    "sessions": "Tổ chức kỳ họp, ban hành nghị quyết",
    "oversight": "Hoạt động giám sát, chất vấn, giải trình",
    "voters": "Tiếp xúc cử tri, giải quyết kiến nghị của cử tri",
    "citizens": "Tiếp công dân, tiếp nhận và xử lý đơn thư",
    "programmes": "Thực hiện chương trình, kế hoạch công tác",
}


def _generic(own: dict) -> str:
    from .present import flatten

    figures = flatten(own).figures[:8]
    return "; ".join(f"{label}: {n(value)}" for _p, label, value in figures) + "."


def build(figures: dict, kind: str, start: date, end: date) -> list[dict]:
    name = figures["council"]["name"]
    below_count = figures.get("below_count") or 0
    levels = [(level_who(level), level) for level in report_levels(figures)]
    blocks = [
        {
            "key": "intro",
            "heading": "",
            "text": (
                f"Thực hiện chức năng, nhiệm vụ theo quy định của pháp luật, Thường trực HĐND {name} báo cáo "
                f"{title_for(kind, name, start, end)[0].lower()}{title_for(kind, name, start, end)[1:]}"
                f"{f' và của {levels_phrase(levels)} trên địa bàn (chi tiết từng đơn vị tại Phụ lục kèm theo)' if below_count else ''}"
                " như sau:"
            ),
        }
    ]
    limitations = []
    for key in figures["sections"]:
        own = figures["own"].get(key) or {}
        below = [(who, (level["sections"] or {}).get(key)) for who, level in levels]
        below = [(who, section) for who, section in below if section]
        writer = WRITERS.get(key)
        try:
            text = writer(own, below, name) if writer else _generic(own)
        except (KeyError, TypeError, AttributeError):
            text = _generic(own)
        heading = HEADINGS.get(key) or str(own.get("title") or key)
        blocks.append({"key": key, "heading": heading, "text": text})
    overdue_recs = get_path(figures["own"], "oversight.recommendations.overdue")
    overdue_petitions = get_path(figures["own"], "voters.flow.overdue_at_end")
    overdue_letters = get_path(figures["own"], "citizens.overdue_total")
    if overdue_recs:
        limitations.append(f"{n(overdue_recs)} kiến nghị sau giám sát quá hạn chưa được thực hiện")
    if overdue_petitions:
        limitations.append(f"{n(overdue_petitions)} kiến nghị của cử tri quá hạn chưa được trả lời")
    if overdue_letters:
        limitations.append(f"{n(overdue_letters)} đơn thư quá hạn giải quyết")
    direction = (("Bên cạnh kết quả đạt được, vẫn còn " + "; ".join(limitations) + ". ") if limitations else "") + (
        "Thời gian tới, Thường trực HĐND tiếp tục đổi mới, nâng cao chất lượng kỳ họp, hoạt động giám sát, "
        "chất vấn, giải trình; tăng cường theo dõi, đôn đốc việc thực hiện kiến nghị sau giám sát, giải quyết "
        "kiến nghị của cử tri và đơn thư của công dân theo phương châm đi đến cùng kết quả thực hiện."
    )
    blocks.append({"key": "direction", "heading": "Tồn tại, hạn chế và phương hướng thời gian tới", "text": direction})
    return blocks
