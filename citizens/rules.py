"""Rules the citizens app adds to the shared table (installed by migrations 0002 and 0008;
ensure_rules() re-installs them where the table was emptied, e.g. transactional tests or
load_rules).

(code, name, value, unit, citation, status, effective_from[, {"law": …, "effective_to": …}])

The settlement periods the office monitors after forwarding (complaint.*, denunciation.*), the
denunciation extension counts by complexity (denunciation.extensions_complex,
denunciation.max_extensions) and the second-round complaint window
(complaint.round2_window_days / complaint.round2_window_remote_days) are shared defaults in
hdnd_portal/core/rules_defaults.py; they are not repeated here."""

from datetime import date

from hdnd_portal.core.models import Rule

UNCONFIRMED_NOTE = "Giá trị mặc định chưa xác nhận; chỉnh theo quy chế của HĐND."

RULES = [
    (
        "letter.recommendation_resolve_days",
        "Thời hạn xử lý đơn kiến nghị, phản ánh được chuyển đến (thiết lập theo từng HĐND)",
        30,
        "calendar_days",
        "Chưa tìm thấy quy định chung; Luật Tiếp công dân 2013 và quy chế của từng HĐND — kiểm tra trước khi áp dụng",
        "unconfirmed",
        date(2014, 7, 1),
    ),
    # The council office's own handling of a letter it receives: classify it and forward it,
    # guide the sender or file it. The 10-day period is the one the inspectorate's circulars give
    # for processing a received letter; the article and whether the days are working days were
    # not checked against the text, hence "unconfirmed".
    (
        "letter.office_handle_wd",
        "Văn phòng phân loại, xử lý đơn nhận được (chuyển đơn, hướng dẫn, lưu đơn)",
        10,
        "working_days",
        "Thông tư 07/2014/TT-TTCP quy định quy trình xử lý đơn (điều khoản và cách tính ngày chưa đối chiếu)",
        "unconfirmed",
        date(2014, 12, 1),
        {"law": "Thông tư 07/2014/TT-TTCP, được thay thế bởi Thông tư 05/2021/TT-TTCP", "effective_to": "2021-11-15"},
    ),
    (
        "letter.office_handle_wd",
        "Văn phòng phân loại, xử lý đơn nhận được (chuyển đơn, hướng dẫn, lưu đơn)",
        10,
        "working_days",
        "Thông tư 05/2021/TT-TTCP quy định quy trình tiếp công dân, xử lý đơn (điều khoản, cách tính ngày "
        "và ngày hiệu lực chưa đối chiếu)",
        "unconfirmed",
        date(2021, 11, 16),
        {"law": "Thông tư 05/2021/TT-TTCP quy định quy trình tiếp công dân, xử lý đơn khiếu nại, đơn tố cáo, "
                "đơn kiến nghị, phản ánh (thay thế Thông tư 07/2014/TT-TTCP)"},
    ),
]


def install(rule_model, rules=RULES) -> int:
    """Insert the rows that are missing (works with a migration's historical model)."""
    fields = {f.name for f in rule_model._meta.get_fields()}
    added = 0
    for code, name, value, unit, citation, status, effective_from, *extra in rules:
        options = extra[0] if extra else {}
        defaults = dict(name=name, value=value, unit=unit, citation=citation, status=status)
        if status == "unconfirmed":
            defaults["note"] = UNCONFIRMED_NOTE
        if "law" in fields:
            defaults["law"] = options.get("law", "")
        if "effective_to" in fields and options.get("effective_to"):
            defaults["effective_to"] = date.fromisoformat(options["effective_to"])
        if "search_text" in fields:
            from hdnd_portal.core.search import fold_parts

            defaults["search_text"] = fold_parts(code, name, citation)
        _row, created = rule_model.objects.get_or_create(
            code=code, council=None, effective_from=effective_from, defaults=defaults
        )
        added += created
    return added


def ensure_rules() -> None:
    install(Rule)
