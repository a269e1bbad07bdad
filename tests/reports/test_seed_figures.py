"""Figures as the seeds print them: "04 kỳ họp, trong đó 02 kỳ họp thường lệ"; "24 Nghị quyết gồm
05 về nhân sự, 07 tại kỳ họp thường lệ và 12 chuyên đề"."""

from datetime import date
from itertools import count

import pytest

from sessions.models import Resolution
from sessions.reports import section

from .conftest import session

pytestmark = pytest.mark.django_db
_n = count(1)


def _resolution(council, on, sitting, kind="regular"):
    n = next(_n)
    return Resolution.objects.create(council=council, session=sitting, number=f"{n:02d}/NQ-HĐND", number_seq=n,
                                     year=on.year, kind=kind, title=f"Nghị quyết {n}", adopted_on=on)


def test_sessions_regular_and_not_and_resolutions_as_the_seeds_count_them(council, django_assert_max_num_queries):
    from hdnd_portal.reports import narrative

    mid, end = session(council, date(2025, 7, 10)), session(council, date(2025, 12, 10))
    thematic_a = session(council, date(2025, 3, 5), kind="thematic")
    thematic_b = session(council, date(2025, 9, 5), kind="urgent")
    session(council, date(2025, 11, 5), kind="thematic", status="planned")  # not held
    for _i in range(5):
        _resolution(council, date(2025, 7, 10), mid, kind="personnel")
    for _i in range(7):
        _resolution(council, date(2025, 12, 10), end)
    for sitting in [thematic_a] * 6 + [thematic_b] * 6:
        _resolution(council, sitting.planned_start, sitting, kind="thematic")
    with django_assert_max_num_queries(12):
        figures = section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    assert (figures["sessions_held"], figures["sessions_regular"], figures["sessions_non_regular"]) == (4, 2, 2)
    assert figures["resolutions"] == 24
    assert (figures["resolutions_personnel"], figures["resolutions_at_regular_sessions"],
            figures["resolutions_at_thematic_sessions"]) == (5, 7, 12)
    text = narrative._sessions(figures, [], "Hội đồng nhân dân Thành phố Hà Nội")
    assert ("ban hành 24 Nghị quyết" in text and "gồm 05 Nghị quyết về công tác nhân sự, 07 Nghị quyết tại các kỳ "
            "họp thường lệ và 12 Nghị quyết tại các kỳ họp chuyên đề" in text)
