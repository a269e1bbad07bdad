from datetime import date

import pytest

from hdnd_portal.core.models import Body, CouncilRole
from programmes import services
from programmes.models import Briefing, Programme, ProgrammeTask


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def standing(council, term):
    return Body.objects.create(council=council, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")


@pytest.fixture
def make_programme(council, standing):
    def make(council_=None, **kwargs):
        c = council_ or council
        defaults = dict(council=c, body=standing if c == council else None, kind=Programme.Kind.YEAR, year=2026,
                        title="Chương trình công tác năm 2026", status=Programme.Status.ADOPTED,
                        document_number="01/CTr-HĐND", adopted_on=date(2026, 1, 8), is_published=True)
        defaults.update(kwargs)
        return services.programme_save(programme=Programme(**defaults))

    return make


@pytest.fixture
def make_task():
    def make(programme, links=None, **kwargs):
        defaults = dict(programme=programme, council=programme.council, title="Tổ chức kỳ họp giữa năm",
                        due_date=date(2026, 7, 15))
        defaults.update(kwargs)
        return services.task_save(task=ProgrammeTask(**defaults), links=links or {})

    return make


@pytest.fixture
def communes(make_council, council):
    return [make_council(f"Phường {n}", level="commune", parent=council) for n in ("Ba Đình", "Cửa Nam", "Ngọc Hà")]


@pytest.fixture
def commune_staff(make_user, communes):
    return make_user("xa1", communes[0], CouncilRole.Role.STAFF)


@pytest.fixture
def make_briefing(council):
    def make(participants, **kwargs):
        defaults = dict(council=council, title="Giao ban quý I/2026", period_kind="quarter", year=2026, part=1,
                        held_on=date(2026, 4, 17), status=Briefing.Status.HELD)
        defaults.update(kwargs)
        return services.briefing_save(briefing=Briefing(**defaults), participants=participants)

    return make
