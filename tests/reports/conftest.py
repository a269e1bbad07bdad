"""A hand-built dataset over a province and two communes, with records on both sides of the
2025 period boundaries, and the figures it must give."""

from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest

from hdnd_portal.core.models import Agency, Body, Council, Deputy, Term

YEAR_START, YEAR_END = date(2025, 1, 1), date(2025, 12, 31)
_seq = count(1)


@dataclass
class Dataset:
    province: Council
    commune_a: Council
    commune_b: Council


def _term(council):
    return Term.objects.get_or_create(
        council=council, numeral="XVI", defaults=dict(start_year=2021, end_year=2026, is_current=True)
    )[0]


def session(council, on, status="closed", kind="regular"):
    from sessions.models import CouncilSession

    return CouncilSession.objects.create(
        council=council,
        term=_term(council),
        number=next(_seq),
        kind=kind,
        planned_start=on,
        planned_end=on,
        status=status,
    )


def resolution(council, on, normative=False):
    from sessions.models import Resolution

    n = next(_seq)
    return Resolution.objects.create(
        council=council,
        number=f"{n:02d}/NQ-HĐND",
        number_seq=n,
        year=on.year,
        is_normative=normative,
        kind="normative" if normative else "regular",
        title=f"Nghị quyết {n}",
        adopted_on=on,
    )


def activity(council, on, status="concluded"):
    from oversight.models import OversightActivity

    return OversightActivity.objects.create(
        council=council, topic="Giám sát đất đai", start_date=on, end_date=on, conducting_level="council", status=status
    )


def recommendation(council, on, agency, status="not_started", deadline=date(2025, 5, 1)):
    from oversight.models import Recommendation

    act = activity(council, on)
    return Recommendation.objects.create(
        council=council, activity=act, agency=agency, text="Kiến nghị", issued_on=on, deadline=deadline, status=status
    )


def meeting(council, on, voters=10):
    from voters.models import VoterMeeting

    return VoterMeeting.objects.create(council=council, date=on, voter_count=voters)


def petition(council, on, status="new"):
    from voters.models import Petition

    return Petition.objects.create(council=council, content="Sửa đường", received_on=on, status=status)


def visit(council, on, citizens=1):
    from citizens.models import ReceptionDay, Visit

    day = ReceptionDay.objects.get_or_create(
        council=council, date=on, defaults=dict(location="Trụ sở tiếp công dân", status="held")
    )[0]
    return Visit.objects.create(
        council=council,
        day=day,
        sequence=next(_seq),
        date=on,
        kind="complaint",
        citizen_count=citizens,
        content="Khiếu nại đất đai",
    )


def letter(council, on, kind="complaint"):
    from citizens.models import Letter

    n = next(_seq)
    return Letter.objects.create(
        council=council,
        register_year=on.year,
        register_seq=n,
        register_number=f"{n}/ĐT",
        received_on=on,
        channel="post",
        kind=kind,
        subject="Đơn khiếu nại",
        identity_protected=kind == "denunciation",  # a denunciation's sender is protected (Luật Tố cáo)
    )


def deputy(council, name, start=date(2021, 6, 25), end=None, full_time=False, gender="male"):
    return Deputy.objects.create(
        council=council,
        term=_term(council),
        full_name=name,
        start_date=start,
        end_date=end,
        is_full_time=full_time,
        gender=gender,
    )


# What the dataset must give for 2025 (own figures of each council).
EXPECTED = {
    "province": dict(
        deputies=3,
        sessions_held=2,
        resolutions=3,
        normative=1,
        oversight_activities=4,
        recommendations=2,
        voter_meetings=1,
        voters=40,
        petitions=2,
        visits=2,
        citizens=5,
        letters=3,
    ),
    "commune_a": dict(
        deputies=2,
        sessions_held=1,
        resolutions=2,
        normative=0,
        oversight_activities=1,
        recommendations=1,
        voter_meetings=2,
        voters=30,
        petitions=1,
        visits=1,
        citizens=1,
        letters=1,
    ),
    "commune_b": dict(
        deputies=1,
        sessions_held=1,
        resolutions=1,
        normative=0,
        oversight_activities=0,
        recommendations=0,
        voter_meetings=0,
        voters=0,
        petitions=0,
        visits=0,
        citizens=0,
        letters=0,
    ),
}


@pytest.fixture
def dataset(council, commune, make_council):
    province, commune_a = council, commune
    commune_b = make_council("Xã Thanh Trì", level=Council.Level.COMMUNE, parent=province)
    agency_p = Agency.objects.create(council=province, name="Sở Xây dựng")
    agency_a = Agency.objects.create(council=commune_a, name="Ủy ban nhân dân phường")
    Body.objects.create(council=province, term=_term(province), kind=Body.Kind.COMMITTEE, name="Ban Đô thị")
    Body.objects.create(council=province, term=_term(province), kind=Body.Kind.GROUP, name="Tổ 1")

    # Deputies: sitting at 31/12/2025 (one left on 30/06/2025, one started 2026 — neither sits).
    deputy(province, "Nguyễn Văn An", full_time=True)
    deputy(province, "Trần Thị Bình", gender="female")
    deputy(province, "Lê Văn Cường", start=date(2025, 3, 1))
    deputy(province, "Phạm Văn Dũng", end=date(2025, 6, 30))
    deputy(province, "Vũ Văn Em", start=date(2026, 1, 5))
    deputy(commune_a, "Hoàng Văn Phúc")
    deputy(commune_a, "Đỗ Thị Giang", gender="female")
    deputy(commune_b, "Bùi Văn Hải")

    # Sessions: boundaries 01/01 and 31/12 inside; 31/12/2024 and 01/01/2026 outside; planned not held.
    session(province, date(2025, 1, 1))
    session(province, date(2025, 12, 31), kind="thematic")
    session(province, date(2025, 7, 1), status="planned")
    session(province, date(2024, 12, 31))
    session(province, date(2026, 1, 1))
    session(commune_a, date(2025, 6, 15))
    session(commune_b, date(2025, 12, 31))

    resolution(province, date(2025, 1, 1), normative=True)
    resolution(province, date(2025, 6, 1))
    resolution(province, date(2025, 12, 31))
    resolution(province, date(2026, 1, 1))
    resolution(commune_a, date(2025, 3, 1))
    resolution(commune_a, date(2025, 3, 2))
    resolution(commune_b, date(2025, 12, 31))
    resolution(commune_b, date(2024, 12, 31))

    # Oversight: each recommendation comes with its own activity (so activities = 2 + 2 standalone).
    activity(province, date(2025, 2, 1))
    activity(province, date(2025, 2, 2))
    activity(province, date(2025, 2, 3), status="cancelled")
    activity(province, date(2026, 1, 1))
    recommendation(province, date(2025, 4, 1), agency_p)  # overdue (deadline 01/05/2025, not done)
    recommendation(province, date(2025, 4, 2), agency_p, status="done")
    recommendation(commune_a, date(2025, 4, 20), agency_a)
    # 2024 recommendation: its activity is also 2024, outside the period.
    recommendation(province, date(2024, 12, 31), agency_p)

    meeting(province, date(2025, 1, 1), voters=40)
    meeting(province, date(2024, 12, 31), voters=99)
    meeting(commune_a, date(2025, 5, 1), voters=20)
    meeting(commune_a, date(2025, 12, 31), voters=10)

    petition(province, date(2025, 2, 1))
    petition(province, date(2025, 2, 2))
    petition(province, date(2025, 2, 3), status="merged")
    petition(province, date(2026, 1, 1))
    petition(commune_a, date(2025, 3, 1))

    visit(province, date(2025, 1, 1), citizens=3)
    visit(province, date(2025, 12, 31), citizens=2)
    visit(province, date(2024, 12, 31), citizens=7)
    visit(commune_a, date(2025, 8, 8))

    letter(province, date(2025, 1, 1))
    letter(province, date(2025, 6, 1), kind="denunciation")
    letter(province, date(2025, 12, 31))
    letter(province, date(2026, 1, 1))
    letter(commune_a, date(2025, 12, 31))
    letter(commune_b, date(2024, 12, 31))
    return Dataset(province, commune_a, commune_b)
