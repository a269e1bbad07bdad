"""Fixtures of the public-site tests: one record of each publishable kind, published or not."""

from datetime import date, time

import pytest
from django.core.cache import cache

from hdnd_portal.core.models import Agency, CouncilRole, Field
from public import services


@pytest.fixture(autouse=True)
def _fresh_public_cache(settings):
    """Each test starts from an empty page cache and rate-limit counters, with a high limit."""
    settings.PUBLIC_RATE_LIMIT = 10_000
    settings.PUBLIC_RATE_LIMIT_SENSITIVE = 10_000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publisher(make_user, council):
    return make_user("congkhai", council, CouncilRole.Role.STAFF)


@pytest.fixture
def commune_publisher(make_user, commune):
    return make_user("congkhaixa", commune, CouncilRole.Role.STAFF)


@pytest.fixture
def publish(publisher, commune_publisher, council):
    """publish(kind, record): published by the office of the record's own council."""

    def do(kind, record, summary=""):
        user = publisher if record.council_id == council.id else commune_publisher
        return services.publication_publish(user=user, kind=kind, object_id=record.pk, summary=summary)

    return do


@pytest.fixture
def field(db):
    return Field.objects.get_or_create(code="giao-duc", defaults={"name": "Giáo dục"})[0]


@pytest.fixture
def make_resolution(term, field):
    from sessions.models import Resolution

    counter = {"n": 0}

    def make(council=None, title="Nghị quyết về học phí năm học 2025-2026", **kwargs):
        council = council or term.council
        counter["n"] += 1
        n = counter["n"]
        return Resolution.objects.create(
            council=council, number=kwargs.pop("number", f"{n:02d}/NQ-HĐND"), number_seq=n, year=2025,
            title=title, adopted_on=kwargs.pop("adopted_on", date(2025, 7, n % 28 + 1)), field=field, **kwargs,
        )

    return make


@pytest.fixture
def make_session(term):
    from sessions.models import CouncilSession

    counter = {"n": 0}

    def make(council=None, **kwargs):
        council = council or term.council
        counter["n"] += 1
        session_term = term if council == term.council else (council.terms.first() or council.terms.create(
            numeral="XVI", start_year=2021, end_year=2026, is_current=True))
        start = kwargs.pop("start", date(2025, 12, 8))
        return CouncilSession.objects.create(council=council, term=session_term, number=counter["n"],
                                             planned_start=start, planned_end=kwargs.pop("end", start), **kwargs)

    return make


@pytest.fixture
def make_activity(council):
    from oversight.models import OversightActivity

    def make(council=council, **kwargs):
        defaults = dict(council=council, topic="Giám sát việc quản lý đất công", start_date=date(2025, 5, 5),
                        end_date=date(2025, 5, 30), status=OversightActivity.Status.CONCLUDED,
                        conclusion_text="Kết luận: đề nghị UBND rà soát toàn bộ đất công.")
        defaults.update(kwargs)
        return OversightActivity.objects.create(**defaults)

    return make


@pytest.fixture
def make_petition(council, agency):
    from voters.models import Petition

    def make(council=council, **kwargs):
        defaults = dict(council=council, content="Đề nghị sửa chữa đường liên xã Đông Anh bị xuống cấp",
                        locality="Phường Đông Anh", received_on=date(2025, 3, 10), is_public=True)
        defaults.update(kwargs)
        return Petition.objects.create(**defaults)

    return make


@pytest.fixture
def answered(make_petition, agency):
    from voters.models import Petition

    return make_petition(status=Petition.Status.RESOLVED, agency=agency, forwarded_on=date(2025, 3, 20),
                         response_date=date(2025, 4, 15), response_number="123/UBND-GT",
                         response_text="UBND đã bố trí vốn sửa chữa đường trong quý III năm 2025.")


@pytest.fixture
def make_schedule(council):
    from citizens.models import ReceptionSchedule

    def make(council=council, **kwargs):
        defaults = dict(council=council, title="Lịch tiếp công dân của Thường trực HĐND",
                        receiver_kind=ReceptionSchedule.Receiver.STANDING, location="Trụ sở tiếp công dân, số 1 Ngô Quyền",
                        weekday=ReceptionSchedule.Weekday.THURSDAY, sessions_per_month=2, weeks="1,3",
                        start_time=time(8, 0), end_time=time(11, 30), valid_from=date(2021, 7, 1))
        defaults.update(kwargs)
        return ReceptionSchedule.objects.create(**defaults)

    return make


@pytest.fixture
def other_agency(council):
    return Agency.objects.create(council=council, name="Sở Giao thông vận tải", short_name="SGTVT")


def slug(council) -> str:
    from public.queries import council_slug

    return council_slug(council.name, council.code)


def get_all(client, urls: list[str]) -> str:
    """The bodies of several public URLs, joined (each must answer 200)."""
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        bodies.append(response.content.decode())
    return "\n".join(bodies)
