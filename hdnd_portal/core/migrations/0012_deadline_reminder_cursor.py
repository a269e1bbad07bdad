"""The reminder scan's cursor on each deadline (Deadline.next_reminder_on) and the trigger that
keeps it honest.

Existing rows keep NULL, which means "look at it on the next scan": their exact cursor depends on
the reminder rules, the working-day calendar and the reminders already sent, so the first scan
after this migration (a full one: no earlier scan has a plan key) computes it for every deadline
within reach while doing its usual work — no separate pass over the 100k+ rows here."""

from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION core_deadline_reset_reminder_cursor() RETURNS trigger AS $$
BEGIN
    -- What the reminders of a deadline depend on changed: the next scan looks at it again.
    IF NEW.due_date IS DISTINCT FROM OLD.due_date
       OR NEW.original_due_date IS DISTINCT FROM OLD.original_due_date
       OR NEW.state IS DISTINCT FROM OLD.state
       OR NEW.council_id IS DISTINCT FROM OLD.council_id
       OR NEW.responsible_user_id IS DISTINCT FROM OLD.responsible_user_id
       OR NEW.responsible_agency_id IS DISTINCT FROM OLD.responsible_agency_id THEN
        NEW.next_reminder_on := NULL;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_deadline_reminder_cursor BEFORE UPDATE ON core_deadline
    FOR EACH ROW EXECUTE FUNCTION core_deadline_reset_reminder_cursor();
"""
DROP = """
DROP TRIGGER IF EXISTS core_deadline_reminder_cursor ON core_deadline;
DROP FUNCTION IF EXISTS core_deadline_reset_reminder_cursor();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0011_form_submission_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="next_reminder_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["next_reminder_on", "due_date"],
                name="deadline_reminder_cursor",
            ),
        ),
        migrations.RunSQL(TRIGGER, DROP),
    ]
