import threading
from datetime import date

import pytest
from django.db import connection

from hdnd_portal.core.numbering import next_number


def test_numbers_are_sequential_padded_and_restart_each_year(council):
    assert next_number(council=council, doc_type="NQ", on=date(2025, 12, 30))[1] == "01/NQ-HĐND"
    assert next_number(council=council, doc_type="NQ", on=date(2025, 12, 31))[1] == "02/NQ-HĐND"
    assert next_number(council=council, doc_type="NQ", on=date(2026, 1, 1))[1] == "01/NQ-HĐND"


def test_types_and_normative_resolutions_have_their_own_series(council):
    next_number(council=council, doc_type="NQ", on=date(2026, 3, 1))
    assert next_number(council=council, doc_type="BC", on=date(2026, 3, 1))[1] == "01/BC-HĐND"
    assert next_number(council=council, doc_type="NQ", on=date(2026, 3, 1), normative=True)[1] == "01/2026/NQ-HĐND"
    assert next_number(council=council, doc_type="NQ", on=date(2026, 3, 1))[1] == "02/NQ-HĐND"


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_get_the_same_number(council):
    results, errors = [], []

    def issue():
        try:
            results.append(next_number(council=council, doc_type="NQ", on=date(2026, 5, 5))[0])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 9))
