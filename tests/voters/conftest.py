from datetime import date

import pytest

from hdnd_portal.core.models import Body, Field
from voters import services
from voters.models import VoterMeeting


@pytest.fixture(autouse=True)
def _default_rules(request):
    """A transactional (browser) test flushes the data-migration rules; put them back."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from hdnd_portal.core.models import Rule
    from hdnd_portal.core.rules_loader import load_default_rules

    if not Rule.objects.filter(code="petition.response_wd", council=None).exists():
        load_default_rules()


@pytest.fixture
def field_roads(db):
    return Field.objects.get_or_create(code="giao-thong", defaults={"name": "Giao thông"})[0]


@pytest.fixture
def urban_committee(committee, field_roads):
    committee.fields.add(field_roads)
    return committee


@pytest.fixture
def group(council, term):
    return Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ đại biểu số 1")


@pytest.fixture
def make_meeting(db):
    def make(council, day=date(2026, 1, 10), **kwargs):
        meeting = VoterMeeting(
            council=council,
            date=day,
            kind=kwargs.pop("kind", VoterMeeting.Kind.BEFORE_SESSION),
            voter_count=kwargs.pop("voter_count", 120),
            **kwargs,
        )
        return services.meeting_save(meeting=meeting)

    return make


@pytest.fixture
def make_petition(db):
    def make(council, content="Đề nghị sửa chữa đường liên xã Đông Anh bị xuống cấp", **kwargs):
        kwargs.setdefault("received_on", date(2026, 1, 10))
        return services.petition_create(council=council, content=content, **kwargs)

    return make
