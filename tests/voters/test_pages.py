from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hdnd_portal.core.models import Agency, CouncilRole
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(council, other_council, agency, make_meeting, make_petition, make_deputy, django_capture_on_commit_callbacks):
    meeting = make_meeting(council)
    petition = make_petition(council, meetings=[meeting])
    with django_capture_on_commit_callbacks(execute=True):  # the letter's PDF is rendered after the commit
        services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    foreign_meeting = make_meeting(other_council)
    foreign = make_petition(other_council, meetings=[foreign_meeting])
    return {
        "meeting": meeting,
        "petition": Petition.objects.get(pk=petition.pk),
        "foreign": foreign,
        "foreign_meeting": foreign_meeting,
    }


def _object_urls(world):
    p, m = world["petition"], world["meeting"]
    return [
        reverse("voters:meeting_detail", args=[m.pk]),
        reverse("voters:meeting_edit", args=[m.pk]),
        reverse("voters:meeting_intake", args=[m.pk]),
        reverse("voters:petition_detail", args=[p.pk]),
        reverse("voters:petition_edit", args=[p.pk]),
        reverse("voters:petition_merge", args=[p.pk]),
        reverse("voters:petition_answer", args=[p.pk]),
        reverse("voters:letter_detail", args=[p.letter_id]),
        reverse("voters:letter_pdf", args=[p.letter_id]),
    ]


LIST_URLS = [
    "voters:meeting_list",
    "voters:petition_list",
    "voters:letter_list",
    "voters:meeting_create",
    "voters:petition_create",
    "voters:petition_import",
    "voters:import_template",
]


def test_staff_open_every_page(staff_client, world):
    for name in LIST_URLS:
        response = staff_client.get(reverse(name))
        assert response.status_code == 200, name
    for url in _object_urls(world):
        assert staff_client.get(url).status_code == 200, url
    assert staff_client.get(reverse("voters:petition_list") + "?export=xlsx").status_code == 200


def test_another_councils_objects_answer_404(other_staff_client, world):
    for url in _object_urls(world):
        assert other_staff_client.get(url).status_code == 404, url


def test_missing_permissions_answer_403(viewer_client, world):
    p, m = world["petition"], world["meeting"]
    assert viewer_client.get(reverse("voters:petition_list")).status_code == 200
    assert viewer_client.get(reverse("voters:petition_detail", args=[p.pk])).status_code == 200
    for url in [
        reverse("voters:meeting_create"),
        reverse("voters:petition_create"),
        reverse("voters:petition_import"),
        reverse("voters:meeting_edit", args=[m.pk]),
        reverse("voters:meeting_intake", args=[m.pk]),
        reverse("voters:petition_edit", args=[p.pk]),
        reverse("voters:petition_merge", args=[p.pk]),
        reverse("voters:petition_answer", args=[p.pk]),
        reverse("voters:my_petitions"),
    ]:
        assert viewer_client.get(url).status_code == 403, url
    assert viewer_client.post(reverse("voters:petition_forward"), {"ids": [p.pk]}).status_code == 403


def test_a_responder_sees_only_its_agencys_petitions(responder_client, council, agency, world, make_petition):
    other_agency = Agency.objects.create(council=council, name="Sở Y tế")
    theirs = make_petition(council, content="Kiến nghị về bệnh viện quá tải")
    services.petition_forward(council=council, petitions=[theirs], agency=other_agency, on=date(2026, 3, 2))
    unassigned = make_petition(council, content="Kiến nghị chưa chuyển")
    response = responder_client.get(reverse("voters:petition_list"))
    shown = {p.pk for p in response.context["object_list"]}
    assert shown == {world["petition"].pk}
    assert responder_client.get(reverse("voters:petition_detail", args=[theirs.pk])).status_code == 404
    assert responder_client.get(reverse("voters:petition_detail", args=[unassigned.pk])).status_code == 404
    assert responder_client.get(reverse("voters:petition_answer", args=[theirs.pk])).status_code == 404
    assert responder_client.get(reverse("voters:meeting_list")).status_code == 403


def test_a_responder_answers_its_petition(responder_client, world):
    p = world["petition"]
    url = reverse("voters:petition_answer", args=[p.pk])
    bad = responder_client.post(
        url, {"status": "resolved", "response_text": "Đã sửa", "response_date": "01/03/2026", "_version": p.version}
    )
    assert bad.status_code == 400 and bad.context["form"].errors["response_date"]
    ok = responder_client.post(
        url,
        {
            "status": "resolved",
            "response_text": "Đã sửa xong",
            "response_date": "05/03/2026",
            "response_by": "Sở Xây dựng",
            "_version": p.version,
        },
    )
    assert ok.status_code == 302
    p.refresh_from_db()
    assert p.status == "resolved" and p.response_date == date(2026, 3, 5)


def test_a_deputy_sees_the_petitions_they_took_plus_public_ones(
    client_for, make_user, make_deputy, council, make_petition, world
):
    deputy = make_deputy(council, "Hoàng Văn Dũng")
    user = make_user("dung", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    client = client_for(user)
    took = make_petition(council, content="Kiến nghị đại biểu Dũng tiếp nhận", deputies=[deputy])
    public = make_petition(council, content="Kiến nghị công khai", is_public=True)
    hidden = make_petition(council, content="Kiến nghị không công khai")
    shown = {p.pk for p in client.get(reverse("voters:petition_list")).context["object_list"]}
    assert shown == {took.pk, public.pk}
    assert client.get(reverse("voters:petition_detail", args=[hidden.pk])).status_code == 404
    mine = {p.pk for p in client.get(reverse("voters:my_petitions")).context["object_list"]}
    assert mine == {took.pk}


def test_intake_saves_petition_after_petition(staff_client, world, field_roads):
    m = world["meeting"]
    url = reverse("voters:meeting_intake", args=[m.pk])
    for text in ("Kiến nghị thứ nhất về đường", "Kiến nghị thứ hai về điện"):
        response = staff_client.post(
            url,
            {"content": text, "kind": "petition", "level": "province", "field": field_roads.pk},
            HTTP_X_REQUESTED_WITH="fetch",
        )
        assert response.status_code == 200 and response.json()["ok"]
    empty = staff_client.post(
        url, {"content": "", "kind": "petition", "level": "province"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert empty.status_code == 400 and "content" in empty.json()["errors"]
    assert Petition.objects.filter(sources__meeting=m).count() == 3


def test_similar_endpoint_returns_json(staff_client, world):
    response = staff_client.get(reverse("voters:petition_similar"), {"text": "sua chua duong lien xa dong anh"})
    assert [r["id"] for r in response.json()["results"]] == [world["petition"].pk]


def test_forward_page_produces_the_letter(staff_client, council, agency, make_petition,
                                          django_capture_on_commit_callbacks):
    ps = [make_petition(council, content=f"Kiến nghị số {i} về môi trường") for i in range(3)]
    ids = [p.pk for p in ps]
    confirm = staff_client.post(reverse("voters:petition_forward"), {"ids": ids})
    assert confirm.status_code == 200 and len(confirm.context["petitions"]) == 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = staff_client.post(
            reverse("voters:petition_forward"),
            {"ids": ids, "confirm": "1", "agency": agency.pk, "on": "02/03/2026", "signer_name": "Nguyễn Văn A"},
        )
    assert done.status_code == 302
    # Until the worker has rendered it, the letter's page says so and offers no download.
    waiting = staff_client.get(done.url).content.decode()
    assert 'id="letter-pdf-pending"' in waiting and 'id="letter-pdf"' not in waiting
    for callback in callbacks:
        callback()
    assert 'id="letter-pdf"' in staff_client.get(done.url).content.decode()
    assert set(Petition.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"forwarded"}
    pdf = staff_client.get(done.url + "pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_merge_page_lists_the_similar_petitions_to_tick(staff_client, council, other_council, make_petition):
    p = make_petition(council, content="Đề nghị sửa chữa đường liên xã Đông Anh bị xuống cấp nghiêm trọng")
    alike = make_petition(council, content="Cử tri đề nghị sửa chữa đường liên xã Đông Anh")
    unrelated = make_petition(council, content="Kiến nghị về giá điện sinh hoạt")
    foreign = make_petition(other_council, content="Đề nghị sửa chữa đường liên xã Đông Anh")
    page = staff_client.get(reverse("voters:petition_merge", args=[p.pk]))
    shown = {r.pk for r in page.context["rows"]}
    assert alike.pk in shown and unrelated.pk not in shown and foreign.pk not in shown
    html = page.content.decode()
    assert f'name="others" value="{alike.pk}"' in html and "data-confirm=" in html
    assert 'name="into"' not in html  # no number to type any more
    # A petition found by words or by number can be ticked too; another council's never.
    found = staff_client.get(reverse("voters:petition_merge", args=[p.pk]) + "?q=gia dien")
    assert unrelated.pk in {r.pk for r in found.context["rows"]}
    by_number = staff_client.get(reverse("voters:petition_merge", args=[p.pk]) + f"?q=%23{foreign.pk}")
    assert foreign.pk not in {r.pk for r in by_number.context["rows"]}
    # Picked from the petition form's suggestions: listed and ticked.
    picked = staff_client.get(reverse("voters:petition_merge", args=[p.pk]) + f"?pick={unrelated.pk}")
    assert [r.pk for r in picked.context["rows"] if r.is_chosen] == [unrelated.pk]


def test_merging_without_javascript_asks_once_more_then_merges(staff_client, council, make_petition):
    a, b = make_petition(council), make_petition(council)
    url = reverse("voters:petition_merge", args=[b.pk])
    data = {"others": [a.pk], "direction": "this_into", "_version": b.version}
    asked = staff_client.post(url, data)
    assert asked.status_code == 200
    assert f"#{b.pk}" in asked.context["pending"] and f"#{a.pk}" in asked.context["pending"]
    b.refresh_from_db()
    assert b.status != Petition.Status.MERGED  # nothing merged before the confirmation
    done = staff_client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302 and done.url == reverse("voters:petition_detail", args=[a.pk])
    b.refresh_from_db()
    assert b.status == Petition.Status.MERGED and b.merged_into_id == a.pk


def test_merging_several_ticked_petitions_into_this_one(staff_client, council, make_petition):
    kept, x, y = make_petition(council), make_petition(council), make_petition(council)
    response = staff_client.post(
        reverse("voters:petition_merge", args=[kept.pk]),
        {
            "others": [x.pk, y.pk],
            "direction": "into_this",
            "_version": kept.version,
            f"version_{x.pk}": x.version,
            f"version_{y.pk}": y.version,
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    assert set(Petition.objects.filter(merged_into=kept).values_list("pk", flat=True)) == {x.pk, y.pk}
    assert kept.sources.count() == 3


def test_merge_errors_are_shown_beside_the_choice(staff_client, council, other_council, make_petition):
    a, b, c = make_petition(council), make_petition(council), make_petition(council)
    url = reverse("voters:petition_merge", args=[a.pk])
    nothing = staff_client.post(url, {"direction": "this_into", "_version": a.version, "confirmed": "1"})
    assert nothing.status_code == 400 and nothing.context["form"].errors["others"]
    two_targets = staff_client.post(
        url, {"others": [b.pk, c.pk], "direction": "this_into", "_version": a.version, "confirmed": "1"}
    )
    assert two_targets.status_code == 400 and two_targets.context["form"].errors["others"]
    foreign = make_petition(other_council)
    refused = staff_client.post(url, {"others": [foreign.pk], "_version": a.version, "confirmed": "1"})
    assert refused.status_code == 400
    stale = staff_client.post(
        url,
        {
            "others": [b.pk],
            "direction": "into_this",
            "_version": a.version,
            f"version_{b.pk}": b.version + 5,
            "confirmed": "1",
        },
    )
    assert stale.status_code == 400
    assert not Petition.objects.filter(status=Petition.Status.MERGED).exists()


def test_save_then_merge_opens_the_merge_page_with_the_suggestion_ticked(staff_client, council, make_petition):
    existing = make_petition(council, content="Đề nghị lắp đèn chiếu sáng ngõ 12 phố Cầu Giấy")
    form = staff_client.get(reverse("voters:petition_create"))
    token = form.context["form"]["_once"].value() if "_once" in form.context["form"].fields else None
    data = {
        "content": "Lắp đèn chiếu sáng ngõ 12 Cầu Giấy",
        "kind": "petition",
        "level": "province",
        "then_merge": str(existing.pk),
    }
    if token:
        data["_once"] = token
    response = staff_client.post(reverse("voters:petition_create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    new = Petition.objects.exclude(pk=existing.pk).get()
    assert response.url == reverse("voters:petition_merge", args=[new.pk]) + f"?pick={existing.pk}"


def test_import_template_downloads(staff_client):
    response = staff_client.get(reverse("voters:import_template"))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 2


@pytest.mark.parametrize("rows", [10, 60])
def test_petition_list_query_count_is_bounded(staff_client, council, make_deputy, rows, django_assert_max_num_queries):
    deputies = [make_deputy(council, f"Đại biểu {i}") for i in range(3)]
    for i in range(rows):
        services.petition_create(council=council, content=f"Kiến nghị {i}", deputies=deputies)
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("voters:petition_list") + "?q=kien+nghi")
    assert len(response.context["object_list"]) == min(rows, 50)


@pytest.mark.parametrize("rows", [10, 60])
def test_meeting_list_query_count_is_bounded(staff_client, council, make_meeting, rows, django_assert_max_num_queries):
    for i in range(rows):
        make_meeting(council, date(2026, 1, 1 + i % 28))
    with django_assert_max_num_queries(13):
        response = staff_client.get(reverse("voters:meeting_list"))
    assert response.status_code == 200
