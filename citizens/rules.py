"""Rules the citizens app adds to the shared table (installed by migration 0002; ensure_rules()
re-installs them where the table was emptied, e.g. transactional tests or load_rules)."""

from datetime import date

from hdnd_portal.core.models import Rule

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
]


def ensure_rules() -> None:
    for code, name, value, unit, citation, status, effective_from in RULES:
        Rule.objects.get_or_create(
            code=code,
            council=None,
            effective_from=effective_from,
            defaults=dict(
                name=name,
                value=value,
                unit=unit,
                citation=citation,
                status=status,
                note="Giá trị mặc định chưa xác nhận; chỉnh theo quy chế của HĐND.",
            ),
        )
