"""The council column of each large register keeps statistics of 1,000 values (migration core
0017): with the default 100, "council_id = ANY(a city's 127 councils)" was estimated at two thirds
of the rows it matches, and a search was planned through a bitmap of every row's council."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_council_column_of_every_large_register_has_a_thousand_values_of_statistics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
            "WHERE attname = 'council_id' AND attstattarget > 0"
        )
        found = dict(cursor.fetchall())
    assert found == {table: 1000 for table in (
        "citizens_letter", "citizens_visit", "voters_petition", "voters_votermeeting",
        "council_sessions_resolution", "core_deadline",
    )}
