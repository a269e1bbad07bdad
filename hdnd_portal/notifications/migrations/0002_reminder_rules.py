from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    from hdnd_portal.notifications.rules import PORTAL, REMINDER_RULES

    Rule = apps.get_model("core", "Rule")
    for code, name, value, unit in REMINDER_RULES:
        Rule.objects.get_or_create(
            code=code, council=None, effective_from=date(2000, 1, 1),
            defaults=dict(name=name, value=value, unit=unit, citation=PORTAL, status="practice"),
        )


def unload(apps, schema_editor):
    from hdnd_portal.notifications.rules import REMINDER_RULES

    apps.get_model("core", "Rule").objects.filter(
        code__in=[r[0] for r in REMINDER_RULES], council=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("core", "0002_default_rules")]
    operations = [migrations.RunPython(load, unload)]
