from django.db import migrations


def load(apps, schema_editor):
    from hdnd_portal.core.rules_loader import load_default_rules

    load_default_rules(apps.get_model("core", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
