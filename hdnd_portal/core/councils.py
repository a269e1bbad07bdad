"""Councils from the official administrative list (package vietnam-provinces, data after the
1 July 2025 reform: 34 provinces, 3,321 communes)."""

from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from .models import Council

_UNIT_KIND = {
    VietNamDivisionType.TINH: Council.UnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: Council.UnitKind.CITY,
    VietNamDivisionType.XA: Council.UnitKind.COMMUNE,
    VietNamDivisionType.PHUONG: Council.UnitKind.WARD,
    VietNamDivisionType.DAC_KHU: Council.UnitKind.SPECIAL_ZONE,
}


def province_choices() -> list[tuple[int, str]]:
    return [(int(p.code), p.name) for p in Province.iter_all()]


def find_province(key: str) -> Province:
    from .search import fold

    for province in Province.iter_all():
        if str(int(province.code)) == str(key).lstrip("0") or fold(key) in fold(province.name):
            return province
    raise LookupError(f"No province matches {key!r}; use --list")


def place_name(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def communes_of(province: Province) -> list[Ward]:
    return [w for w in Ward.iter_all() if w.province_code == province.code]


@transaction.atomic
def create_province_with_communes(key: str, limit: int | None = None) -> tuple[Council, int]:
    province = find_province(key)
    council, _ = Council.objects.get_or_create(
        code=f"{int(province.code):02d}",
        defaults=dict(
            name=province.name, level=Council.Level.PROVINCE,
            unit_kind=_UNIT_KIND.get(province.division_type, Council.UnitKind.PROVINCE),
            place_name=place_name(province.name),
        ),
    )
    created = 0
    for ward in communes_of(province)[:limit]:
        _, was_created = Council.objects.get_or_create(
            code=f"{int(ward.code):05d}",
            defaults=dict(
                name=ward.name, level=Council.Level.COMMUNE, parent=council,
                unit_kind=_UNIT_KIND.get(ward.division_type, Council.UnitKind.COMMUNE),
                place_name=place_name(ward.name),
            ),
        )
        created += was_created
    return council, created
