from datetime import date, timedelta

import pytest

from citizens import services
from citizens.models import ReceptionDay
from hdnd_portal.core.models import CouncilRole, Field


@pytest.fixture
def land(db):
    return Field.objects.get_or_create(code="dat-dai", defaults={"name": "Đất đai"})[0]


@pytest.fixture
def reception_day(council):
    return ReceptionDay.objects.create(council=council, date=date(2025, 3, 20), location="Trụ sở tiếp công dân")


@pytest.fixture
def make_letter(council):
    def make(**kwargs):
        params = dict(
            council=council,
            received_on=date(2025, 3, 3),
            channel="post",
            kind="complaint",
            subject="Khiếu nại quyết định thu hồi đất",
            content="Đề nghị xem xét lại quyết định thu hồi đất",
            senders=[{"full_name": "Nguyễn Văn Khiếu", "address": "Phường Đông Anh"}],
            letter_date=date(2025, 3, 1),
        )
        params.update(kwargs)
        if "letter_date" not in kwargs:
            # A letter is written before it is received (letter_register refuses the opposite).
            params["letter_date"] = min(params["letter_date"], params["received_on"] - timedelta(days=2))
        return services.letter_register(**params)

    return make


@pytest.fixture
def denunciation(make_letter, agency):
    return make_letter(
        kind="denunciation",
        subject="Tố cáo cán bộ địa chính nhận tiền",
        content="Cán bộ địa chính phường nhận tiền để cấp giấy chứng nhận",
        senders=[{"full_name": "Lê Thị Tốcáo", "address": "Số 5 ngõ 12 Đông Anh", "phone": "0912345678"}],
        respondent_agency=agency,
    )


@pytest.fixture
def identity_user(make_user, council):
    return make_user("baomat", council, CouncilRole.Role.STAFF, extra_permissions=["can_view_denouncer_identity"])


@pytest.fixture
def make_agency(council):
    from hdnd_portal.core.models import Agency

    counter = {"n": 0}

    def make(name=None):
        counter["n"] += 1
        return Agency.objects.create(council=council, name=name or f"Thanh tra Thành phố {counter['n']}")

    return make
