"""The councils' sessions counted as the other registers are (core.rowcounts, migration 0016): the
sessions list of a city with its communes (4,401 sessions on the scale data) read its total with
a COUNT(*) on every page."""

from django.db import migrations

from hdnd_portal.core import rowcounts

TABLE = "council_sessions_councilsession"


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0017_council_statistics"),
        ("council_sessions", "0013_stored_search_vector"),
    ]

    operations = [
        migrations.RunSQL(rowcounts.install_sql(TABLE), rowcounts.uninstall_sql(TABLE)),
    ]
