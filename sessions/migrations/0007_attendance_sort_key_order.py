from django.db import migrations


class Migration(migrations.Migration):
    """Attendance lists deputies in Vietnamese alphabetical order (core.sorting)."""

    dependencies = [
        ("core", "0010_sort_keys"),
        ("council_sessions", "0006_trust_constraints_secret_ballot"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="attendance",
            options={
                "ordering": ["session", "day", "deputy__sort_key"],
                "verbose_name": "attendance",
                "verbose_name_plural": "attendance",
            },
        ),
    ]
