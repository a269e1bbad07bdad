"""An API filter by a record (?agency=, ?committee=, ?responsible_agency=…) takes only records of
the councils the user can see: another province's record answers as an id that does not exist
("Select a valid choice", 400), not with an empty list that would tell it exists."""

import pytest
from rest_framework.test import APIClient

from hdnd_portal.core.models import Agency, Body, CouncilRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(council, commune, other_council):
    return {
        "own": Agency.objects.create(council=council, name="Sở Tài chính"),
        "below": Agency.objects.create(council=commune, name="UBND phường Đông Anh"),
        "other": Agency.objects.create(council=other_council, name="Sở Tài chính Nghệ An"),
    }


LISTS = [
    ("/api/voters/petitions/", "agency"),
    ("/api/citizens/letters/", "forwarded_to"),
    ("/api/oversight/recommendations/", "agency"),
]


@pytest.mark.parametrize(("url", "param"), LISTS)
def test_another_provinces_record_is_no_valid_choice(api_client, agencies, url, param):
    missing = api_client.get(url, {param: 987654321})
    other = api_client.get(url, {param: agencies["other"].pk})
    assert missing.status_code == other.status_code == 400
    assert other.json() == {param: missing.json()[param]}
    assert api_client.get(url, {param: agencies["own"].pk}).status_code == 200


def test_a_council_below_is_visible_to_the_city(api_client, agencies):
    """The city's staff read the lists of the councils below: their records are valid choices."""
    assert api_client.get("/api/voters/petitions/", {"agency": agencies["below"].pk}).status_code == 200
    assert api_client.get("/api/citizens/letters/", {"forwarded_to": agencies["below"].pk}).status_code == 200


def test_a_commune_does_not_see_the_city_s_records(make_user, commune, agencies, council, term):
    client = APIClient()
    client.force_authenticate(make_user("xa", commune, CouncilRole.Role.STAFF))
    assert client.get("/api/voters/petitions/", {"agency": agencies["below"].pk}).status_code == 200
    assert client.get("/api/voters/petitions/", {"agency": agencies["own"].pk}).status_code == 400
    city_committee = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Pháp chế")
    assert client.get("/api/voters/petitions/", {"committee": city_committee.pk}).status_code == 400


def test_the_deadlines_api_limits_its_agency_filter_too(api_client, agencies):
    params = {"scope": "council"}
    assert api_client.get("/api/notifications/deadlines/", {**params, "responsible_agency": agencies["own"].pk}).status_code == 200
    other = api_client.get("/api/notifications/deadlines/", {**params, "responsible_agency": agencies["other"].pk})
    assert other.status_code == 400 and list(other.json()) == ["responsible_agency"]


@pytest.mark.parametrize("signed_in", ["session", "token"])
def test_the_city_filters_the_deadlines_by_a_councils_agency_below(client_for, staff_user, agencies, signed_in):
    """The deadlines API lists the councils below the city: their agencies are valid choices,
    whether the caller signed in with a session (the browsable API) or a token."""
    if signed_in == "session":
        client = client_for(staff_user)
    else:
        client = APIClient()
        client.force_authenticate(staff_user)
    params = {"scope": "council"}
    below = client.get("/api/notifications/deadlines/", {**params, "responsible_agency": agencies["below"].pk})
    assert below.status_code == 200
    other = client.get("/api/notifications/deadlines/", {**params, "responsible_agency": agencies["other"].pk})
    assert other.status_code == 400
