"""The planner's statistics of the council column of the large registers, to 1,000 values.

With PostgreSQL's default (100 most common values) a city's 127 councils are not all in the
statistics, so "council_id = ANY(the 127)" is taken to match two thirds of the letters when it
matches all of them, and a search of the city with the councils below was planned as a bitmap of
the search index ANDed with a bitmap of every letter's council: 13.5 ms instead of 7.3 ms for the
search index alone. Which plan came out changed with each ANALYZE's sample."""

from django.db import migrations

TABLES = [
    "citizens_letter",
    "citizens_visit",
    "voters_petition",
    "voters_votermeeting",
    "council_sessions_resolution",
    "core_deadline",
]


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0016_row_counts"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(f"ALTER TABLE {t} ALTER COLUMN council_id SET STATISTICS 1000; ANALYZE {t};\n" for t in TABLES),
            "".join(f"ALTER TABLE {t} ALTER COLUMN council_id SET STATISTICS -1;\n" for t in TABLES),
        ),
    ]
