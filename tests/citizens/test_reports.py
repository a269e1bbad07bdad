"""The citizens section of the summary report: counted in SQL, a few grouped queries."""

from datetime import date

import pytest

from citizens import services
from citizens.models import ReceptionDay
from citizens.reports import section

pytestmark = pytest.mark.django_db


def test_section_counts_visits_citizens_cases_and_letters(
    council, commune, make_letter, make_agency, django_assert_max_num_queries
):
    day = ReceptionDay.objects.create(council=council, date=date(2025, 3, 20), location="Trụ sở")
    ReceptionDay.objects.create(council=council, date=date(2025, 4, 17), location="Trụ sở", status="cancelled")
    a = services.visit_create(
        day=day, kind="complaint", citizens=[{"full_name": "A"}], content="x", outcome="guided", new_case_title="Vụ 1"
    )
    services.visit_create(
        day=day, kind="complaint", citizens=[{"full_name": "B"}], content="y", outcome="letter", case=a.case
    )
    group = [{"full_name": f"Đại diện {i}", "is_representative": True} for i in range(2)]
    services.visit_create(day=day, kind="denunciation", citizens=group, citizen_count=9, content="z", outcome="letter")
    agency = make_agency("Sở Tài nguyên")
    forwarded = make_letter(kind="recommendation", subject="Kiến nghị sửa đường", received_on=date(2025, 1, 5))
    services.letter_decide(letter=forwarded, decision="forward", decided_on=date(2025, 1, 6), forwarded_to=agency)
    make_letter(kind="denunciation", subject="Tố cáo", content="nhận tiền", channel="email")
    make_letter(council=commune, subject="Đơn của xã")
    with django_assert_max_num_queries(10):
        figures = section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    assert (figures["reception_days"], figures["reception_days_cancelled"]) == (1, 1)
    assert (figures["visits"], figures["citizens"], figures["cases"], figures["group_visits"]) == (3, 11, 2, 1)
    assert figures["letters"]["total"] == 2 and figures["letters"]["forwarded"] == 1
    assert {r["key"]: r["count"] for r in figures["letters_by_kind"]} == {"recommendation": 1, "denunciation": 1}
    assert {r["key"]: r["count"] for r in figures["letters_by_channel"]} == {"post": 1, "email": 1}
    assert {r["key"]: r["count"] for r in figures["letters_by_outcome"]} == {"forward": 1, "received": 1}
    assert figures["overdue_by_agency"][0] == {"label": "Sở Tài nguyên", "count": 1}
    both = section([council.id, commune.id], date(2025, 1, 1), date(2025, 12, 31))
    assert both["letters"]["total"] == 3


def test_statistics_page_shows_the_figures(staff_client, reception_day):
    services.visit_create(
        day=reception_day, kind="complaint", citizens=[{"full_name": "A"}], content="x", outcome="guided"
    )
    response = staff_client.get("/citizens/statistics/?start=01/01/2025&end=31/12/2025")
    assert response.status_code == 200 and response.context["figures"]["visits"] == 1
