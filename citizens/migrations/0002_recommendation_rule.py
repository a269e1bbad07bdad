"""A rule the citizens app needs that the shared defaults lack: how long the competent agency has
to deal with a recommendation or reflection letter forwarded to it. No national rule was found, so
it ships as an unconfirmed, editable default (administrators override it per council)."""

from datetime import date

from django.db import migrations

RULES = [
    ("letter.recommendation_resolve_days", "Thời hạn xử lý đơn kiến nghị, phản ánh được chuyển đến (thiết lập theo từng HĐND)",
     30, "calendar_days",
     "Chưa tìm thấy quy định chung; Luật Tiếp công dân 2013 và quy chế của từng HĐND — kiểm tra trước khi áp dụng",
     "unconfirmed", date(2014, 7, 1)),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for code, name, value, unit, citation, status, effective_from in RULES:
        Rule.objects.get_or_create(
            code=code, council=None, effective_from=effective_from,
            defaults=dict(name=name, value=value, unit=unit, citation=citation, status=status,
                          note="Giá trị mặc định chưa xác nhận; chỉnh theo quy chế của HĐND."),
        )


def remove_rules(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(code__in=[r[0] for r in RULES], council=None).delete()


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial"), ("core", "0002_default_rules")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
