import threading
from datetime import date

import pytest
from django.db import connection

from sessions.models import Resolution, ResolutionKind
from sessions.services import resolution_adopt


def adopt(council, on, kind=ResolutionKind.REGULAR, title="Nghị quyết"):
    return resolution_adopt(council=council, title=title, kind=kind, adopted_on=on)


def test_individual_numbers_restart_on_1_january(council):
    assert adopt(council, date(2025, 12, 30)).number == "01/NQ-HĐND"
    assert adopt(council, date(2025, 12, 31)).number == "02/NQ-HĐND"
    first_of_year = adopt(council, date(2026, 1, 1))
    assert first_of_year.number == "01/NQ-HĐND"
    assert first_of_year.year == 2026


def test_normative_resolutions_have_their_own_series_with_the_year(council):
    adopt(council, date(2021, 3, 1))
    adopt(council, date(2021, 3, 1))
    normative = adopt(council, date(2021, 3, 2), kind=ResolutionKind.NORMATIVE)
    assert normative.number == "01/2021/NQ-HĐND"
    assert normative.is_normative
    assert adopt(council, date(2021, 3, 3)).number == "03/NQ-HĐND"
    assert adopt(council, date(2021, 4, 3), kind=ResolutionKind.NORMATIVE).number == "02/2021/NQ-HĐND"


def test_councils_number_independently(council, other_council):
    assert adopt(council, date(2026, 2, 1)).number == "01/NQ-HĐND"
    assert adopt(other_council, date(2026, 2, 1)).number == "01/NQ-HĐND"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adoptions_get_different_numbers(council):
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def run(i):
        try:
            barrier.wait()
            numbers.append(adopt(council, date(2026, 6, 1), title=f"Nghị quyết {i}").number)
        except Exception as error:  # pragma: no cover - reported by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"{i:02d}/NQ-HĐND" for i in range(1, 7)]
    assert Resolution.objects.filter(council=council).count() == 6
