"""The rule naming the posts that may be questioned, so that a refusal cites it from the rules
table (administrators can see and annotate it like every other rule)."""

from django.db import migrations

CODE = "question.questionable_posts"


def add_rule(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Rule.objects.get_or_create(
        code=CODE, council=None, effective_from="2016-01-01",
        defaults=dict(
            name="Người bị chất vấn: Chủ tịch, Phó Chủ tịch, thành viên UBND, Chánh án TAND, Viện trưởng VKSND, "
                 "Thủ trưởng cơ quan chuyên môn thuộc UBND (số chức danh)",
            value=6, unit="count",
            citation="Luật Tổ chức chính quyền địa phương 2015, Điều 96; Luật Hoạt động giám sát của Quốc hội "
                     "và Hội đồng nhân dân 2015, Điều 5",
            status="law",
        ),
    )


def remove_rule(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(code=CODE, council=None).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_programmes_activities_questioning"), ("core", "0002_default_rules")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
