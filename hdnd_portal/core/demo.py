"""Realistic, deterministic demo and scale data for the core directory.

The small demo: Hà Nội with 4 communes. The scale dataset (--scale): Hà Nội with all 126
commune councils over the 2021–2026 term. Each app adds its records through its own
`<app>/demo.py` with `populate(ctx)`; `ctx` is the DemoContext below, one per province: with
--provinces N, N−1 more provinces from the official list (`extra_province_codes`) get the same
data as Hà Nội, each from its own context and random generator (`seed_province`), so Hà Nội's
data is the same whatever N. The demo users belong to Hà Nội and its first commune only."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .councils import communes_of, create_province_with_communes
from .models import Agency, Body, Council, CouncilRole, Deputy, Field, Membership, Term, User

DEMO_PASSWORD = "demo12345"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Ngọc", "Xuân", "Trọng", "Mạnh"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Phương", "Kim", "Mai", "Diệu"]
GIVEN_M = ["Anh", "Bình", "Cường", "Dũng", "Đông", "Hải", "Hùng", "Khang", "Long", "Nam", "Phong", "Quân", "Sơn",
           "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu", "Trung", "Kiên"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Huệ", "Lan", "Linh", "Mai", "Ngân", "Nhung",
           "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến"]

FIELDS = [
    ("dat-dai", "Đất đai"), ("giao-thong", "Giao thông"), ("moi-truong", "Môi trường"), ("y-te", "Y tế"),
    ("giao-duc", "Giáo dục"), ("xay-dung", "Xây dựng, đô thị"), ("an-sinh", "Lao động, an sinh xã hội"),
    ("kinh-te", "Kinh tế, ngân sách"), ("an-ninh", "An ninh, trật tự"), ("van-hoa", "Văn hóa, thể thao"),
    ("nong-nghiep", "Nông nghiệp, nông thôn"), ("tu-phap", "Tư pháp"),
]

PROVINCE_COMMITTEES = [
    ("Ban Kinh tế - Ngân sách", "KTNS", ["kinh-te", "nong-nghiep"]),
    ("Ban Văn hóa - Xã hội", "VHXH", ["y-te", "giao-duc", "an-sinh", "van-hoa"]),
    ("Ban Pháp chế", "PC", ["an-ninh", "tu-phap"]),
    ("Ban Đô thị", "ĐT", ["dat-dai", "giao-thong", "moi-truong", "xay-dung"]),
]
COMMUNE_COMMITTEES = [
    ("Ban Kinh tế - Ngân sách", "KTNS", ["kinh-te", "nong-nghiep", "dat-dai", "giao-thong", "xay-dung", "moi-truong"]),
    ("Ban Văn hóa - Xã hội", "VHXH", ["y-te", "giao-duc", "an-sinh", "van-hoa"]),
    ("Ban Pháp chế", "PC", ["an-ninh", "tu-phap"]),
]
PROVINCE_AGENCIES = [
    ("Ủy ban nhân dân Thành phố", "UBND TP", Agency.Kind.PEOPLES_COMMITTEE),
    ("Sở Tài chính", "STC", Agency.Kind.DEPARTMENT), ("Sở Xây dựng", "SXD", Agency.Kind.DEPARTMENT),
    ("Sở Nông nghiệp và Môi trường", "SNNMT", Agency.Kind.DEPARTMENT), ("Sở Y tế", "SYT", Agency.Kind.DEPARTMENT),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", Agency.Kind.DEPARTMENT), ("Sở Nội vụ", "SNV", Agency.Kind.DEPARTMENT),
    ("Công an Thành phố", "CATP", Agency.Kind.DEPARTMENT), ("Sở Văn hóa và Thể thao", "SVHTT", Agency.Kind.DEPARTMENT),
    ("Thanh tra Thành phố", "TTTP", Agency.Kind.DEPARTMENT),
    ("Tòa án nhân dân Thành phố", "TAND TP", Agency.Kind.COURT),
    ("Viện kiểm sát nhân dân Thành phố", "VKSND TP", Agency.Kind.PROCURACY),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố", "UBMTTQ TP", Agency.Kind.FATHERLAND_FRONT),
]
COMMUNE_AGENCIES = [
    ("Ủy ban nhân dân", "UBND", Agency.Kind.PEOPLES_COMMITTEE),
    ("Phòng Kinh tế", "PKT", Agency.Kind.DEPARTMENT),
    ("Phòng Văn hóa - Xã hội", "PVHXH", Agency.Kind.DEPARTMENT),
    ("Công an", "CA", Agency.Kind.DEPARTMENT),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQ", Agency.Kind.FATHERLAND_FRONT),
]


@dataclass
class CouncilData:
    council: Council
    term: Term
    standing: Body
    committees: list[Body]
    groups: list[Body]
    deputies: list[Deputy]
    agencies: list[Agency]


@dataclass
class DemoContext:
    """What the core seed made, handed to each app's demo.populate(ctx)."""

    scale: bool
    rng: random.Random
    province: CouncilData
    communes: list[CouncilData]
    fields: list[Field]
    users: dict[str, User] = field(default_factory=dict)
    term_start: date = date(2021, 6, 25)
    term_end: date = date(2026, 6, 30)
    years: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025, 2026)

    @property
    def all_councils(self) -> list[CouncilData]:
        return [self.province, *self.communes]

    def person_name(self) -> tuple[str, str]:
        female = self.rng.random() < 0.4
        family = self.rng.choice(FAMILY)
        middle = self.rng.choice(MIDDLE_F if female else MIDDLE_M)
        given = self.rng.choice(GIVEN_F if female else GIVEN_M)
        return f"{family} {middle} {given}", "female" if female else "male"

    def random_date(self, year: int) -> date:
        start = date(year, 1, 1) if year > self.term_start.year else self.term_start
        end = date(year, 12, 31) if year < self.term_end.year else self.term_end
        return date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))


def _with_search(objects):
    for obj in objects:
        obj.search_text = obj.build_search_text()
    return objects


def _seed_council(council: Council, ctx_rng: random.Random, fields_by_code: dict, province: bool) -> CouncilData:
    term = Term.objects.create(
        council=council, numeral="XVI" if province else "I", start_year=2021, end_year=2026,
        start_date=date(2021, 6, 25), is_current=True,
    )
    standing = Body.objects.create(council=council, term=term, kind=Body.Kind.STANDING,
                                   name="Thường trực HĐND", abbreviation="TTHĐND")
    committees = []
    for name, abbr, codes in (PROVINCE_COMMITTEES if province else COMMUNE_COMMITTEES):
        body = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name=name, abbreviation=abbr)
        body.fields.set([fields_by_code[c] for c in codes])
        committees.append(body)
    group_count = 12 if province else 4
    groups = Body.objects.bulk_create(_with_search([
        Body(council=council, term=term, kind=Body.Kind.GROUP, name=f"Tổ đại biểu số {i}",
             area=f"Đơn vị bầu cử số {i}") for i in range(1, group_count + 1)
    ]))
    deputy_count = 95 if province else 25
    deputies = []
    for i in range(deputy_count):
        name, gender = ctx_name(ctx_rng)
        ended = ctx_rng.random() < 0.04
        deputies.append(Deputy(
            council=council, term=term, full_name=name, gender=gender,
            birth_date=date(ctx_rng.randint(1962, 1990), ctx_rng.randint(1, 12), ctx_rng.randint(1, 28)),
            constituency=f"Đơn vị bầu cử số {i % group_count + 1}", is_full_time=i < (12 if province else 4),
            phone=f"09{ctx_rng.randint(10000000, 99999999)}", start_date=date(2021, 6, 25),
            end_date=date(2024, ctx_rng.randint(1, 12), 15) if ended else None,
            end_reason="Nghỉ công tác" if ended else "",
        ))
    deputies = Deputy.objects.bulk_create(_with_search(deputies))
    memberships = [
        Membership(council=council, deputy=d, body=groups[i % group_count],
                   role=Membership.Role.GROUP_LEADER if i < group_count else Membership.Role.MEMBER,
                   start_date=date(2021, 6, 25), end_date=d.end_date)
        for i, d in enumerate(deputies)
    ]
    memberships += [
        Membership(council=council, deputy=deputies[0], body=standing, role=Membership.Role.CHAIR, start_date=date(2021, 6, 25)),
        Membership(council=council, deputy=deputies[1], body=standing, role=Membership.Role.VICE_CHAIR, start_date=date(2021, 6, 25)),
        Membership(council=council, deputy=deputies[2], body=standing, role=Membership.Role.VICE_CHAIR, start_date=date(2021, 6, 25)),
    ]
    for index, body in enumerate(committees):
        head = deputies[3 + index]
        memberships.append(Membership(council=council, deputy=head, body=standing, role=Membership.Role.STANDING_MEMBER,
                                      start_date=date(2021, 6, 25)))
        memberships.append(Membership(council=council, deputy=head, body=body, role=Membership.Role.HEAD,
                                      start_date=date(2021, 6, 25)))
        for member in deputies[20 + index * 5: 25 + index * 5]:
            memberships.append(Membership(council=council, deputy=member, body=body, role=Membership.Role.MEMBER,
                                          start_date=date(2021, 6, 25), end_date=member.end_date))
    Membership.objects.bulk_create(memberships)
    suffix = "" if province else f" {council.place_name}"
    # A province's own agencies say "Tỉnh" where a centrally-run city's say "Thành phố".
    level_word = "Tỉnh" if council.unit_kind == Council.UnitKind.PROVINCE else "Thành phố"
    agencies = Agency.objects.bulk_create(_with_search([
        Agency(council=council, name=f"{name.replace('Thành phố', level_word)}{suffix}", short_name=short, kind=kind,
               head_name=ctx_name(ctx_rng)[0], email=f"{short.lower().replace(' ', '')}@example.vn")
        for name, short, kind in (PROVINCE_AGENCIES if province else COMMUNE_AGENCIES)
    ]))
    return CouncilData(council, term, standing, committees, list(groups), list(deputies), list(agencies))


def ctx_name(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.4
    return (f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F if female else MIDDLE_M)} "
            f"{rng.choice(GIVEN_F if female else GIVEN_M)}", "female" if female else "male")


def _user(username: str, full_name: str, *, superuser: bool = False) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults=dict(
        full_name=full_name, email=f"{username}@example.vn", is_superuser=superuser, is_staff=superuser,
        password=make_password(DEMO_PASSWORD),
    ))
    return user


# Extra provinces of the scale dataset: the next provinces by code with at least this many
# communes (Tuyên Quang 124, Phú Thọ 148, Hải Phòng 114: four provinces are about four times Hà Nội).
LARGE_PROVINCE_COMMUNES = 100


def extra_province_codes(count: int) -> list[str]:
    """The `count` provinces that follow Hà Nội in a multi-province dataset, deterministically:
    the large ones (≥ LARGE_PROVINCE_COMMUNES communes) by code, then the others by code."""
    from vietnam_provinces import Province

    others = [p for p in sorted(Province.iter_all(), key=lambda p: int(p.code)) if int(p.code) != 1]
    large = [p for p in others if len(communes_of(p)) >= LARGE_PROVINCE_COMMUNES]
    ordered = large + [p for p in others if p not in large]
    if count > len(ordered):
        raise ValueError(f"The official list has {len(ordered) + 1} provinces.")
    return [str(int(p.code)) for p in ordered[:count]]


def _fields() -> list[Field]:
    return [Field.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in FIELDS]


def _seed_province(key: str, *, scale: bool, rng: random.Random, fields: list[Field], limit: int | None) -> DemoContext:
    """One province and its communes (at most `limit`), their directories and the province's
    lower-council agencies; nothing outside this province is read or written."""
    fields_by_code = {f.code: f for f in fields}
    province, _ = create_province_with_communes(key, limit=limit)
    province_data = _seed_council(province, rng, fields_by_code, province=True)
    communes = [
        _seed_council(c, rng, fields_by_code, province=False)
        for c in Council.objects.filter(parent=province).order_by("code")
    ]
    # The province's lower councils are agencies too (petitions and letters are forwarded to them).
    Agency.objects.bulk_create(_with_search([
        Agency(council=province, name=f"HĐND {c.council.name}", short_name=f"HĐND {c.council.place_name}"[:60],
               kind=Agency.Kind.LOWER_COUNCIL, lower_council=c.council) for c in communes
    ]))
    return DemoContext(scale=scale, rng=rng, province=province_data, communes=communes, fields=fields)


def _limit(scale: bool, communes: int | None) -> int | None:
    return communes if communes is not None else (None if scale else 4)


@transaction.atomic
def seed_province(key: str, *, scale: bool, seed: int, index: int, communes: int | None = None) -> DemoContext:
    """An extra province (the `index`-th after Hà Nội) with its own generator, Random(seed + index):
    its data does not depend on Hà Nội's nor change it. It has no demo users."""
    return _seed_province(key, scale=scale, rng=random.Random(seed + index), fields=_fields(),
                          limit=_limit(scale, communes))


@transaction.atomic
def seed_core(*, scale: bool, seed: int = 2021, communes: int | None = None) -> DemoContext:
    """Hà Nội (province code 1) with its communes — all with --scale, 4 in the small demo, or at
    most `communes` — and the demo users."""
    rng = random.Random(seed)
    ctx = _seed_province("1", scale=scale, rng=rng, fields=_fields(), limit=_limit(scale, communes))
    communes_data = ctx.communes
    pd = ctx.province
    province = pd.council
    ctx.users["admin"] = _user("admin", "Quản trị hệ thống", superuser=True)
    ctx.users["canbo"] = _user("canbo", "Nguyễn Thị Thu Hà")
    ctx.users["lanhdao"] = _user("lanhdao", "Trần Văn Đông")
    ctx.users["daibieu"] = _user("daibieu", pd.deputies[5].full_name)
    ctx.users["daibieu2"] = _user("daibieu2", pd.deputies[6].full_name)
    ctx.users["coquan"] = _user("coquan", "Lê Minh Tuấn")
    ctx.users["xa"] = _user("xa", "Phạm Thị Lan")
    roles = [
        CouncilRole(user=ctx.users["admin"], council=province, role=CouncilRole.Role.ADMIN),
        CouncilRole(user=ctx.users["canbo"], council=province, role=CouncilRole.Role.STAFF),
        CouncilRole(user=ctx.users["lanhdao"], council=province, role=CouncilRole.Role.LEADER),
        CouncilRole(user=ctx.users["daibieu"], council=province, role=CouncilRole.Role.DEPUTY, deputy=pd.deputies[5]),
        CouncilRole(user=ctx.users["daibieu2"], council=province, role=CouncilRole.Role.DEPUTY, deputy=pd.deputies[6]),
        CouncilRole(user=ctx.users["coquan"], council=province, role=CouncilRole.Role.RESPONDER,
                    agency=pd.agencies[2]),
    ]
    if communes_data:
        roles.append(CouncilRole(user=ctx.users["xa"], council=communes_data[0].council, role=CouncilRole.Role.STAFF))
    CouncilRole.objects.bulk_create(roles)
    return ctx
