from datetime import date

import pytest

from voters import reports, services
from voters.models import Petition

pytestmark = pytest.mark.django_db


def test_section_counts_by_field_committee_and_resolution(
    council, commune, agency, urban_committee, field_roads, make_meeting, make_petition, django_assert_max_num_queries
):
    make_meeting(council, date(2026, 1, 5), voter_count=100)
    make_meeting(commune, date(2026, 1, 6), voter_count=50)
    roads = [make_petition(council, field=field_roads, received_on=date(2026, 1, 5)) for _ in range(3)]
    make_petition(council, kind=Petition.Kind.OPINION, received_on=date(2026, 1, 5))
    make_petition(commune, level=Petition.Level.COMMUNE, received_on=date(2026, 1, 6))
    services.petition_merge(petition=roads[2], into=roads[1])
    services.petition_forward(council=council, petitions=roads[:2], agency=agency, on=date(2026, 2, 2))
    services.petition_answer(
        petition=Petition.objects.get(pk=roads[0].pk), status="resolved", text="Đã làm", response_date=date(2026, 2, 10)
    )
    with django_assert_max_num_queries(8):
        data = reports.section([council.id, commune.id], date(2026, 1, 1), date(2026, 6, 30))
    assert data["meetings"]["count"] == 2 and data["meetings"]["voters"] == 150
    assert data["petitions"] == {"received": 4, "petitions": 3, "opinions": 1, "urgent": 0}
    assert data["flow"]["forwarded"] == 2 and data["flow"]["answered"] == 1 and data["flow"]["resolved"] == 1
    assert data["resolution_rate"] == 100.0 and data["answer_rate"] == 50.0
    by_field = {r["label"]: r["count"] for r in data["by_field"]}
    assert by_field["Giao thông"] == 2
    assert {r["label"]: r["count"] for r in data["by_committee"]}["Ban Đô thị"] == 2
    assert {r["key"] for r in data["by_level"]} == {"province", "commune"}
