"""A petition is first taken to be within the competence of the level of the council it is raised
to: the service, the API without a level, and the form's initial value agree."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from hdnd_portal.core.models import Council, CouncilRole
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db


def test_the_service_defaults_to_the_councils_own_level(council, commune, make_council):
    district = make_council("Huyện Đông Anh", level=Council.Level.DISTRICT, parent=council,
                            dissolved_on=date(2025, 6, 30))
    made = {
        c.level: services.petition_create(council=c, content="Kiến nghị sửa đường", received_on=date(2025, 3, 1))
        for c in (council, commune, district)
    }
    assert {level: p.level for level, p in made.items()} == {
        "province": Petition.Level.PROVINCE, "commune": Petition.Level.COMMUNE, "district": Petition.Level.DISTRICT,
    }
    chosen = services.petition_create(council=commune, content="Kiến nghị về quốc lộ", level=Petition.Level.CENTRAL,
                                      received_on=date(2025, 3, 1))
    assert chosen.level == Petition.Level.CENTRAL


def test_the_api_without_a_level_takes_the_councils_level(commune, make_user):
    client = APIClient()
    client.force_authenticate(make_user("canboxa", commune, CouncilRole.Role.STAFF))
    default = client.post("/api/voters/petitions/", {"council": commune.pk, "content": "Kiến nghị chiếu sáng"},
                          format="json")
    given = client.post("/api/voters/petitions/", {"council": commune.pk, "content": "Kiến nghị quốc lộ",
                                                    "level": "central"}, format="json")
    assert (default.status_code, given.status_code) == (201, 201)
    assert (default.json()["level"], given.json()["level"]) == ("commune", "central")
