"""The council office's own period to classify and deal with a letter it receives (rule
letter.office_handle_wd, unconfirmed): the office forwards, guides or files — it does not accept
(thụ lý) complaints outside its competence. See citizens/rules.py."""

from django.db import migrations

CODES = ["letter.office_handle_wd"]


def add_rules(apps, schema_editor):
    from citizens.rules import RULES, install

    install(apps.get_model("core", "Rule"), [r for r in RULES if r[0] in CODES])


def remove_rules(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(code__in=CODES, council=None).delete()


class Migration(migrations.Migration):
    dependencies = [("citizens", "0007_help_text_limitation"), ("core", "0011_form_submission_fingerprint")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
