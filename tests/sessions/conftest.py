from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hdnd_portal.core.models import CouncilRole
from sessions.models import AgendaItem, CouncilSession


@pytest.fixture(autouse=True)
def _in_the_december_session():
    """The tests of this app happen on 9 December 2026, the second day of the council_session below
    (8–10 December): votes and adoptions are refused in the future and before the opening, so the
    suite states its "today" instead of depending on the day it is run. The clock keeps ticking."""
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True):
        yield


@pytest.fixture
def council_session(council, term):
    return CouncilSession.objects.create(
        council=council,
        term=term,
        number=12,
        kind=CouncilSession.Kind.REGULAR,
        title="Kỳ họp cuối năm",
        planned_start=date(2026, 12, 8),
        planned_end=date(2026, 12, 10),
        venue="Hội trường A",
    )


@pytest.fixture
def other_session(other_council):
    from hdnd_portal.core.models import Term

    term = Term.objects.create(council=other_council, numeral="XVIII", start_year=2021, end_year=2026, is_current=True)
    return CouncilSession.objects.create(
        council=other_council, term=term, number=3, planned_start=date(2026, 7, 1), planned_end=date(2026, 7, 2)
    )


@pytest.fixture
def agenda_item(council_session):
    return AgendaItem.objects.create(
        council=council_session.council,
        session=council_session,
        position=1,
        title="Nghị quyết về dự toán ngân sách năm 2027",
        proposes_resolution=True,
    )


@pytest.fixture
def seat_deputies(make_deputy, council, term):
    """seat_deputies(n) -> n sitting deputies of the council."""

    def make(n, **kwargs):
        return [make_deputy(council, f"Đại biểu {i:02d}", term=term, **kwargs) for i in range(n)]

    return make


@pytest.fixture
def deputy_users(make_user, council, seat_deputies):
    """deputy_users(n) -> [(user, deputy)] for n sitting deputies with deputy roles."""

    def make(n):
        pairs = []
        for i, deputy in enumerate(seat_deputies(n)):
            user = make_user(f"db{i:02d}", council, CouncilRole.Role.DEPUTY, deputy=deputy)
            pairs.append((user, deputy))
        return pairs

    return make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_file(name="to-trinh.pdf", size=2000):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


@pytest.fixture
def draw_minutes(django_capture_on_commit_callbacks, tmp_path, settings):
    """draw_minutes(client, session): ask for the minutes on their page (the worker runs eagerly
    when the request commits) and return the minutes page's answer."""
    settings.MEDIA_ROOT = str(tmp_path / "media")

    def draw(client, session):
        from django.urls import reverse

        url = reverse("sessions:minutes", args=[session.pk])
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).url == url
        response = client.get(url)
        assert response.status_code == 200
        return response

    return draw
