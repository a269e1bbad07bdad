"""People and numbered groups come out in Vietnamese order (core.sorting) on pages, in selects,
in the API and in Excel exports, whichever road wrote the rows (save, bulk_create, bulk_update)."""

import importlib
import re
from datetime import date
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from hdnd_portal.core.models import Body, CouncilRole, Deputy, User
from hdnd_portal.core.sorting import natural_sort_key, person_sort_key

NAMES = ["Huỳnh Văn Bé", "Hồ Thị An", "Đặng Văn Đức", "Dương Minh Dũng", "Nguyễn Thị Ánh", "Trần Văn An"]
EXPECTED = ["Hồ Thị An", "Trần Văn An", "Nguyễn Thị Ánh", "Huỳnh Văn Bé", "Dương Minh Dũng", "Đặng Văn Đức"]
GROUPS = ["Tổ 11", "Tổ 2", "Tổ 10", "Tổ 1"]


@pytest.fixture
def deputies(council, term):
    # Written in bulk, as demo data and importers do: bulk_create must fill the key too.
    return Deputy.objects.bulk_create(
        [Deputy(council=council, term=term, full_name=n, start_date=date(2021, 6, 25)) for n in NAMES]
    )


@pytest.fixture
def groups(council, term):
    return [Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name=n) for n in GROUPS]


def select_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        label.strip() for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if value
    ]


def test_the_deputies_page_lists_people_by_given_name_in_the_vietnamese_alphabet(staff_client, deputies):
    page = staff_client.get(reverse("core:deputy_list"))
    assert [row[0][0] for row in page.context["rows"]] == EXPECTED
    # Clicking the name header the other way reverses it.
    page = staff_client.get(reverse("core:deputy_list"), {"sort": "-sort_key"})
    assert [row[0][0] for row in page.context["rows"]] == EXPECTED[::-1]


def test_the_deputies_excel_export_has_the_same_order(staff_client, deputies):
    response = staff_client.get(reverse("core:deputy_list"), {"export": "xlsx"})
    sheet = load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert names == EXPECTED


def test_the_deputies_api_lists_in_vietnamese_order_and_orders_by_full_name_with_the_key(api_client, deputies):
    assert [d["full_name"] for d in api_client.get("/api/core/deputies/").json()["results"]] == EXPECTED
    ordered = api_client.get("/api/core/deputies/", {"ordering": "full_name"}).json()["results"]
    assert [d["full_name"] for d in ordered] == EXPECTED
    ordered = api_client.get("/api/core/deputies/", {"ordering": "-full_name"}).json()["results"]
    assert [d["full_name"] for d in ordered] == EXPECTED[::-1]
    assert "sort_key" not in ordered[0]


def test_the_oversight_record_list_uses_the_same_order(staff_client, deputies):
    page = staff_client.get(reverse("oversight:deputy_list"))
    assert [row[0][0] for row in page.context["rows"]] == EXPECTED


def test_a_deputy_select_offers_people_in_vietnamese_order(staff_client, deputies, groups):
    html = staff_client.get(reverse("core:membership_create")).content.decode()
    assert select_options(html, "deputy") == EXPECTED


def test_delegate_groups_come_in_natural_order_in_a_select_and_in_the_list(staff_client, groups):
    html = staff_client.get(reverse("core:membership_create")).content.decode()
    assert select_options(html, "body") == ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ 11"]
    page = staff_client.get(reverse("core:body_list"))
    assert [row[0][0] for row in page.context["rows"]] == ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ 11"]
    api = staff_client.get("/api/core/bodies/").json()["results"]
    assert [b["name"] for b in api] == ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ 11"]


def test_the_key_follows_every_write_road(council, term):
    deputy = Deputy.objects.create(council=council, term=term, full_name="Lê Văn Ư", start_date=date(2021, 6, 25))
    assert deputy.sort_key == person_sort_key("Lê Văn Ư")
    deputy.full_name = "Lê Văn Uy"
    deputy.save(update_fields=["full_name"])
    assert Deputy.objects.get(pk=deputy.pk).sort_key == person_sort_key("Lê Văn Uy")
    deputy.full_name = "Đỗ Minh Đạt"
    Deputy.objects.bulk_update([deputy], ["full_name"])
    assert Deputy.objects.get(pk=deputy.pk).sort_key == person_sort_key("Đỗ Minh Đạt")
    group = Body.objects.bulk_create([Body(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ 7")])[0]
    assert Body.objects.get(pk=group.pk).sort_key == natural_sort_key("Tổ 7")


def test_users_sort_by_full_name_or_else_username(council, make_user):
    named = User.objects.create_user(username="zz", full_name="Hồ Thị An")
    nameless = User.objects.create_user(username="binh")
    assert named.sort_key == person_sort_key("Hồ Thị An") and nameless.sort_key == person_sort_key("binh")
    nameless.full_name = "Huỳnh Văn Bé"
    User.objects.bulk_update([nameless], ["full_name"])
    nameless.refresh_from_db()
    assert nameless.sort_key == person_sort_key("Huỳnh Văn Bé")


def test_the_users_page_lists_people_in_vietnamese_order(admin_client, council):
    for username, name in [("u1", "Huỳnh Văn Bé"), ("u2", "Hồ Thị An"), ("u3", "Đặng Văn Đức"), ("u4", "")]:
        user = User.objects.create_user(username=username, full_name=name)
        CouncilRole.objects.create(user=user, council=council, role=CouncilRole.Role.VIEWER)
    page = admin_client.get(reverse("core:role_list"))
    names = [row[1][0] or row[0][0] for row in page.context["rows"]]
    # The admin's own account ("Quantri") is listed among the others by its name.
    assert names == sorted(names, key=person_sort_key)
    assert names.index("Hồ Thị An") < names.index("Huỳnh Văn Bé") < names.index("Đặng Văn Đức")
    assert names[-1] == "u4"  # no full name: listed by its username, "u" after "Q"


def test_the_migration_fills_the_keys_of_existing_rows(deputies, groups, staff_user):
    Deputy.objects.update(sort_key="")
    Body.objects.update(sort_key="")
    User.objects.update(sort_key="")
    migration = importlib.import_module("hdnd_portal.core.migrations.0010_sort_keys")
    migration.fill_sort_keys(apps, None)
    assert list(Deputy.objects.order_by("sort_key").values_list("full_name", flat=True)) == EXPECTED
    assert list(Body.objects.order_by("sort_key").values_list("name", flat=True)) == ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ 11"]
    assert User.objects.get(pk=staff_user.pk).sort_key == person_sort_key(staff_user.full_name)
