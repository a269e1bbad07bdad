"""Directory pages: create/edit with bad input, stale edits, protected deletes, export, queries."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hdnd_portal.core.models import Body, Council, Deputy, Membership


def test_create_a_deputy_and_find_it_unaccented(staff_client, council, term):
    response = staff_client.post(reverse("core:deputy_create"), {
        "full_name": "Nguyễn Thị Đông Hà", "term": term.pk, "start_date": "25/06/2021", "gender": "female",
    })
    assert response.status_code == 302, response.content
    deputy = Deputy.objects.get(full_name="Nguyễn Thị Đông Hà")
    assert deputy.council == council and deputy.start_date == date(2021, 6, 25)
    page = staff_client.get(reverse("core:deputy_list"), {"q": "dong ha"})
    assert "Nguyễn Thị Đông Hà" in page.content.decode()


def test_dates_are_shown_dd_mm_yyyy(staff_client, council, make_deputy):
    deputy = make_deputy(council, "Lê Văn Tám", start_date=date(2021, 7, 5))
    page = staff_client.get(reverse("core:deputy_detail", args=[deputy.pk])).content.decode()
    assert "05/07/2021" in page


def test_end_before_start_is_refused_beside_the_field(staff_client, term):
    response = staff_client.post(reverse("core:deputy_create"), {
        "full_name": "Sai Ngày", "term": term.pk, "start_date": "25/06/2021", "end_date": "01/01/2021"})
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Deputy.objects.filter(full_name="Sai Ngày").exists()


def test_duplicate_council_code_is_refused(admin_client, council, make_council):
    other = make_council("Phường Ba Đình", level=Council.Level.COMMUNE, parent=council, code="00004")
    response = admin_client.post(reverse("core:council_edit", args=[council.pk]), {
        "name": council.name, "level": council.level, "unit_kind": council.unit_kind, "code": other.code,
        "place_name": "Hà Nội", "is_active": "on", "_version": council.version})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_deputy_in_two_delegate_groups_at_once_is_refused(staff_client, council, term, make_deputy):
    deputy = make_deputy(council, "Vũ Văn Hai")
    first = Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ 1")
    second = Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ 2")
    Membership.objects.create(council=council, deputy=deputy, body=first, start_date=date(2021, 6, 25))
    response = staff_client.post(reverse("core:membership_create"), {
        "deputy": deputy.pk, "body": second.pk, "role": "member", "start_date": "01/01/2024"})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert Membership.objects.filter(body=second).count() == 0
    # After the first membership ends, joining another group is fine.
    Membership.objects.filter(body=first).update(end_date=date(2023, 12, 31))
    response = staff_client.post(reverse("core:membership_create"), {
        "deputy": deputy.pk, "body": second.pk, "role": "member", "start_date": "01/01/2024"})
    assert response.status_code == 302


def test_membership_ending_before_it_starts_is_refused(staff_client, council, committee, make_deputy):
    deputy = make_deputy(council)
    response = staff_client.post(reverse("core:membership_create"), {
        "deputy": deputy.pk, "body": committee.pk, "role": "member", "start_date": "01/01/2024",
        "end_date": "01/01/2023"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_deleting_a_deputy_that_records_point_to_is_refused(staff_client, council, committee, make_deputy):
    deputy = make_deputy(council)
    Membership.objects.create(council=council, deputy=deputy, body=committee, start_date=date(2022, 1, 1))
    response = staff_client.post(reverse("core:deputy_delete", args=[deputy.pk]), {"confirmed": "1"})
    assert response.status_code == 302
    assert Deputy.objects.filter(pk=deputy.pk).exists()
    free = make_deputy(council, "Không Liên Quan")
    staff_client.post(reverse("core:deputy_delete", args=[free.pk]), {"confirmed": "1"})
    assert not Deputy.objects.filter(pk=free.pk).exists()


def test_a_delete_post_without_confirmation_only_asks(staff_client, council, make_deputy):
    """The detail page's Delete button posts; without the dialog (no JavaScript) the post lacks
    confirmed=1 and gets the confirmation page: nothing is deleted until that page is sent."""
    deputy = make_deputy(council, "Lê Văn Hỏi")
    url = reverse("core:deputy_delete", args=[deputy.pk])
    detail = staff_client.get(reverse("core:deputy_detail", args=[deputy.pk])).content.decode()
    assert f'action="{url}"' in detail and "data-confirm=" in detail
    asked = staff_client.post(url)
    assert asked.status_code == 200
    assert 'name="confirmed" value="1"' in asked.content.decode()
    assert Deputy.objects.filter(pk=deputy.pk).exists()
    assert staff_client.post(url, {"confirmed": "yes"}).status_code == 200
    assert Deputy.objects.filter(pk=deputy.pk).exists()
    done = staff_client.post(url, {"confirmed": "1"})
    assert done.status_code == 302
    assert not Deputy.objects.filter(pk=deputy.pk).exists()


def test_stale_edit_is_refused_with_what_changed(staff_client, client_for, make_user, council, make_deputy):
    deputy = make_deputy(council, "Phạm Văn Cũ", phone="0901")
    form_version = deputy.version
    # Someone else saves first.
    other = client_for(make_user("khac", council, "staff"))
    data = {"full_name": "Phạm Văn Cũ", "term": deputy.term_id, "start_date": "25/06/2021", "phone": "0999",
            "_version": form_version}
    assert other.post(reverse("core:deputy_edit", args=[deputy.pk]), data).status_code == 302
    # The first user's form, opened on the old version, is refused and shows the change.
    data["phone"] = "0888"
    response = staff_client.post(reverse("core:deputy_edit", args=[deputy.pk]), data)
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert "0999" in message
    deputy.refresh_from_db()
    assert deputy.phone == "0999" and deputy.version == form_version + 1


def test_stale_edit_via_api_answers_409(api_client, council, make_deputy):
    deputy = make_deputy(council, "API Cũ")
    url = f"/api/core/deputies/{deputy.pk}/"
    assert api_client.patch(url, {"phone": "1", "version": deputy.version}, format="json").status_code == 200
    response = api_client.patch(url, {"phone": "2", "version": deputy.version}, format="json")
    assert response.status_code == 409 and "message" in response.json()


def test_history_is_shown_on_the_record(staff_client, council, make_deputy):
    deputy = make_deputy(council, "Lịch Sử")
    deputy.phone = "0912345678"
    deputy.save()
    page = staff_client.get(reverse("core:deputy_detail", args=[deputy.pk])).content.decode()
    assert "0912345678" in page


def test_excel_export_contains_the_filtered_rows(staff_client, council, make_deputy):
    make_deputy(council, "Đỗ Xuất Excel")
    make_deputy(council, "Người Khác")
    response = staff_client.get(reverse("core:deputy_list"), {"q": "xuat", "export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[1:] == ["Đỗ Xuất Excel"]


@pytest.mark.parametrize("name,factory", [
    ("core:deputy_list", "deputies"), ("core:agency_list", "agencies"), ("core:body_list", "bodies"),
    ("core:membership_list", "memberships"),
])
def test_list_query_count_does_not_grow_with_rows(staff_client, council, term, django_assert_max_num_queries,
                                                   name, factory, monkeypatch):
    from hdnd_portal.core.models import Agency
    from hdnd_portal.core.views.generic import PortalListView

    # Full first pages, as a list of any size has: a first page that is not full is every row
    # and runs no COUNT (core.pagination.RowsFirstPaginator), one query less.
    monkeypatch.setattr(PortalListView, "paginate_by", 5)

    group = Body.objects.create(council=council, term=term, kind=Body.Kind.GROUP, name="Tổ chung")

    def add(n):
        start = Deputy.objects.count()
        for i in range(start, start + n):
            if factory == "agencies":
                Agency.objects.create(council=council, name=f"Cơ quan {i}")
            elif factory == "bodies":
                Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name=f"Ban {i}")
            d = Deputy.objects.create(council=council, term=term, full_name=f"Đại biểu {i}", start_date=date(2021, 1, 1))
            Membership.objects.create(council=council, deputy=d, body=group, start_date=date(2021, 1, 1))

    add(10)
    with django_assert_max_num_queries(14) as small:
        staff_client.get(reverse(name))
    add(190)
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff_client.get(reverse(name))


def test_the_history_names_related_records_in_a_bounded_number_of_queries(staff_client, council, term,
                                                                          django_assert_max_num_queries):
    """History reads as sentences with the related record's name, not its id, and looking the names
    up costs one query per related model, not one per change."""
    from django.urls import reverse

    from hdnd_portal.core.models import Body, Term

    terms = [Term.objects.create(council=council, numeral=f"X{i}", start_year=2000 + i, end_year=2004 + i)
             for i in range(8)]
    body = Body.objects.create(council=council, term=term, kind=Body.Kind.COMMITTEE, name="Ban Pháp chế")
    for t in terms:
        body.term = t
        body.save()
    page = staff_client.get(reverse("core:body_detail", args=[body.pk])).content.decode()
    assert "XVI" in page and "X7" in page
    with django_assert_max_num_queries(30):
        staff_client.get(reverse("core:body_detail", args=[body.pk]))
