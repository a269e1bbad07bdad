"""The citizens app as a hostile or careless user would try it: denouncer protection that a change
of kind, a copy or a split cannot undo; identity out of history and search; every view of an
identity logged; scans behind the identity permission; and the common write-path attacks
(council change, cross-council relation, missing/malformed/stale version, bad uploads, over-long
text, malformed values) — each asserting the status and that nothing was saved."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from citizens import services
from citizens.models import Case, IdentityViewLog, Letter, LetterScan, Visit
from hdnd_portal.core.constraints import constraint_info
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import CouncilRole
from hdnd_portal.core.scoping import Access

pytestmark = pytest.mark.django_db

NAME, ADDRESS, PHONE = "Lê Thị Tốcáo", "Số 5 ngõ 12 Đông Anh", "0912345678"
PDF = b"%PDF-1.4\n%test scan\n"


def secrets_in(text: str) -> list[str]:
    from hdnd_portal.core.search import fold

    folded = fold(text)
    return [s for s in (NAME, ADDRESS, PHONE) if s in text or fold(s) in folded]


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def protected_visit(reception_day):
    return services.visit_create(
        day=reception_day,
        kind="denunciation",
        content="Tố cáo cán bộ địa chính",
        citizens=[{"full_name": NAME, "address": ADDRESS, "phone": PHONE}],
        outcome="letter",
    )


def letter_edit_data(letter, **overrides) -> dict:
    data = {
        "received_on": letter.received_on.strftime("%d/%m/%Y"),
        "channel": letter.channel,
        "kind": letter.kind,
        "subject": letter.subject,
        "content": letter.content,
        "is_signed": "on",
        "has_address": "on",
        "_version": letter.version,
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


# --- Protection is a stored state: a change of kind never lifts it ----------------------------


def test_api_kind_change_by_staff_without_the_permission_keeps_the_identity_protected(staff_user, denunciation):
    response = api_for(staff_user).patch(
        f"/api/citizens/letters/{denunciation.pk}/", {"kind": "complaint", "version": denunciation.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert secrets_in(response.content.decode()) == []
    letter = Letter.objects.get(pk=denunciation.pk)
    assert letter.kind == "complaint" and letter.identity_protected
    assert secrets_in(letter.search_text) == []
    detail = api_for(staff_user).get(f"/api/citizens/letters/{letter.pk}/")
    assert secrets_in(detail.content.decode()) == []
    assert not IdentityViewLog.objects.exists()


def test_page_kind_change_by_staff_without_the_permission_keeps_the_identity_protected(staff_client, denunciation):
    url = reverse("citizens:letter_edit", args=[denunciation.pk])
    response = staff_client.post(url, letter_edit_data(denunciation, kind="complaint"))
    assert response.status_code == 302
    letter = Letter.objects.get(pk=denunciation.pk)
    assert letter.kind == "complaint" and letter.identity_protected
    for page in (reverse("citizens:letter_detail", args=[letter.pk]), url, reverse("citizens:letter_list")):
        assert secrets_in(staff_client.get(page).content.decode()) == [], page
    assert list(letter.senders.values_list("full_name", flat=True)) == [NAME]
    assert not IdentityViewLog.objects.exists()


def test_visit_kind_change_keeps_protection_and_a_complaint_visit_becoming_a_denunciation_protects_its_letters(
    staff_user, protected_visit, reception_day, make_letter
):
    client = api_for(staff_user)
    response = client.patch(
        f"/api/citizens/visits/{protected_visit.pk}/", {"kind": "complaint", "version": protected_visit.version},
        format="json",
    )
    assert response.status_code == 200 and secrets_in(response.content.decode()) == []
    assert Visit.objects.get(pk=protected_visit.pk).identity_protected

    visit = services.visit_create(
        day=reception_day, kind="complaint", content="Khiếu nại", citizens=[{"full_name": NAME}], outcome="letter"
    )
    letter = make_letter(visit=visit, senders=[{"full_name": NAME, "address": ADDRESS}])
    assert not letter.identity_protected and "le thi tocao" in letter.search_text
    response = client.patch(
        f"/api/citizens/visits/{visit.pk}/", {"kind": "denunciation", "version": visit.version}, format="json"
    )
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.identity_protected and secrets_in(letter.search_text) == []


def test_staff_without_the_permission_cannot_rewrite_a_protected_letters_senders_through_the_api(
    staff_user, denunciation
):
    response = api_for(staff_user).patch(
        f"/api/citizens/letters/{denunciation.pk}/",
        {"senders": [{"full_name": "Kẻ Mạo Danh"}], "version": denunciation.version},
        format="json",
    )
    assert response.status_code == 403
    letter = Letter.objects.get(pk=denunciation.pk)
    assert letter.version == denunciation.version
    assert list(letter.senders.values_list("full_name", flat=True)) == [NAME]


# --- Lifting: the identity permission, a reason, the identity log ------------------------------


def test_lifting_through_the_api_needs_the_permission_a_reason_and_the_version(staff_user, identity_user, denunciation):
    url = f"/api/citizens/letters/{denunciation.pk}/lift_protection/"
    assert api_for(staff_user).post(url, {"reason": "x", "version": denunciation.version}, format="json").status_code == 403
    client = api_for(identity_user)
    assert client.post(url, {"reason": "", "version": denunciation.version}, format="json").status_code == 400
    assert client.post(url, {"reason": "Đồng ý công khai"}, format="json").status_code == 400
    assert client.post(url, {"reason": "Đồng ý", "version": "abc"}, format="json").status_code == 400
    assert client.post(url, {"reason": "Đồng ý", "version": denunciation.version + 5}, format="json").status_code == 409
    assert Letter.objects.get(pk=denunciation.pk).identity_protected
    assert not IdentityViewLog.objects.exists()

    response = client.post(
        url, {"reason": "Người tố cáo đồng ý công khai bằng văn bản", "version": denunciation.version}, format="json"
    )
    assert response.status_code == 200
    letter = Letter.objects.get(pk=denunciation.pk)
    assert not letter.identity_protected and letter.protection_lifted_by == identity_user
    assert letter.version == denunciation.version + 1
    log = IdentityViewLog.objects.get()
    assert (log.user, log.letter, log.via, log.reason) == (
        identity_user,
        letter,
        "lift",
        "Người tố cáo đồng ý công khai bằng văn bản",
    )
    # Once lifted, the senders are ordinary data again (staff see them, search finds them).
    assert NAME in api_for(staff_user).get(f"/api/citizens/letters/{letter.pk}/").content.decode()
    assert "le thi tocao" in letter.search_text


def test_lifting_through_the_page_button(client_for, staff_client, identity_user, denunciation):
    detail = reverse("citizens:letter_detail", args=[denunciation.pk])
    lift = reverse("citizens:letter_lift_protection", args=[denunciation.pk])
    assert 'id="lift-protection"' not in staff_client.get(detail).content.decode()
    assert staff_client.get(lift).status_code == 403
    assert staff_client.post(lift, {"reason": "x", "_version": denunciation.version}).status_code == 403
    client = client_for(identity_user)
    assert 'id="lift-protection"' in client.get(detail).content.decode()
    no_version = client.post(lift, {"reason": "Đồng ý"})
    assert no_version.status_code == 200 and Letter.objects.get(pk=denunciation.pk).identity_protected
    response = client.post(lift, {"reason": "Đồng ý công khai", "_version": denunciation.version})
    assert response.status_code == 302
    assert not Letter.objects.get(pk=denunciation.pk).identity_protected
    assert IdentityViewLog.objects.get().via == "lift"


def test_the_office_can_protect_a_complaint_and_the_page_hides_it_afterwards(staff_user, staff_client, make_letter):
    letter = make_letter(senders=[{"full_name": NAME, "address": ADDRESS}])
    assert NAME in staff_client.get(reverse("citizens:letter_detail", args=[letter.pk])).content.decode()
    url = f"/api/citizens/letters/{letter.pk}/protect/"
    assert api_for(staff_user).post(url, {}, format="json").status_code == 400
    response = api_for(staff_user).post(url, {"version": letter.version}, format="json")
    assert response.status_code == 200 and secrets_in(response.content.decode()) == []
    letter.refresh_from_db()
    assert letter.identity_protected and secrets_in(letter.search_text) == []
    assert secrets_in(staff_client.get(reverse("citizens:letter_detail", args=[letter.pk])).content.decode()) == []


# --- Copies, splits and derived records inherit protection ------------------------------------


def test_letter_from_a_protected_visit_with_copied_visitors_is_protected(staff_client, protected_visit):
    response = staff_client.post(
        reverse("citizens:letter_create") + f"?visit={protected_visit.pk}",
        {
            "received_on": "20/03/2025",
            "channel": "in_person",
            "kind": "complaint",
            "subject": "Đơn từ lượt tiếp",
            "is_signed": "on",
            "has_address": "on",
            "from_visit": protected_visit.pk,
            "copy_visitors": "1",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get(visit=protected_visit)
    assert letter.kind == "complaint" and letter.identity_protected
    assert list(letter.senders.values_list("full_name", flat=True)) == [NAME]
    assert secrets_in(letter.search_text) == []
    assert secrets_in(staff_client.get(response["Location"]).content.decode()) == []


def test_letter_registered_through_the_api_from_a_protected_visit_is_protected(staff_user, council, protected_visit):
    response = api_for(staff_user).post(
        "/api/citizens/letters/",
        {
            "council": council.pk,
            "received_on": "2025-03-20",
            "channel": "in_person",
            "kind": "recommendation",
            "subject": "Kiến nghị",
            "visit": protected_visit.pk,
            "senders": [{"full_name": NAME, "address": ADDRESS}],
            "letter_date": "2025-03-19",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert secrets_in(response.content.decode()) == []
    letter = Letter.objects.get(pk=response.json()["id"])
    assert letter.identity_protected and secrets_in(letter.search_text) == []


def test_splitting_a_protected_letter_gives_protected_parts(staff_user, make_letter):
    letter = make_letter(senders=[{"full_name": NAME, "address": ADDRESS}])
    services.letter_protect(letter=letter, expected_version=letter.version)
    letter.refresh_from_db()
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/split/",
        {
            "version": letter.version,
            "parts": [
                {"kind": "complaint", "subject": "Phần khiếu nại"},
                {"kind": "recommendation", "subject": "Phần kiến nghị"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    parts = Letter.objects.filter(split_from=letter)
    assert parts.count() == 2
    for part in parts:
        assert part.identity_protected and secrets_in(part.search_text) == []


def test_a_duplicate_linked_to_a_protected_letter_is_protected(staff_user, denunciation, make_letter):
    other = make_letter(kind="recommendation", subject="Kiến nghị khác hẳn", content="Nội dung khác",
                        senders=[{"full_name": NAME}])
    assert not other.identity_protected
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{other.pk}/link_duplicate/", {"original": denunciation.pk, "version": other.version},
        format="json",
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.identity_protected and secrets_in(other.search_text) == []


# --- History rows and search columns never hold a protected identity --------------------------


def test_history_rows_never_keep_the_search_text(make_letter, staff_user):
    letter = make_letter(senders=[{"full_name": NAME, "address": ADDRESS}])
    assert "le thi tocao" in letter.search_text  # an unprotected complaint is searchable by name
    api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {"kind": "denunciation", "version": letter.version}, format="json"
    )
    letter.refresh_from_db()
    assert letter.identity_protected and secrets_in(letter.search_text) == []
    assert letter.history.count() >= 2
    assert set(letter.history.values_list("search_text", flat=True)) == {""}


def test_the_data_migration_scrubs_existing_records_and_history(make_letter, protected_visit):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("citizens.migrations.0005_protect_existing_identities")
    # The state before the fix: a denunciation changed to a complaint lost its protection and
    # got its sender folded into search_text, and the history kept it.
    letter = make_letter(kind="denunciation", senders=[{"full_name": NAME, "address": ADDRESS}])
    part = make_letter(kind="recommendation", subject="Phần tách", senders=[{"full_name": NAME}])
    Letter.objects.filter(pk=part.pk).update(split_from=letter)
    Letter.objects.filter(pk=letter.pk).update(kind="complaint", identity_protected=False,
                                               search_text="le thi tocao so 5 ngo 12 dong anh")
    Letter.history.model.objects.filter(id=letter.pk).update(search_text="le thi tocao")
    Visit.objects.filter(pk=protected_visit.pk).update(search_text="le thi tocao")

    migration.protect(apps, None)

    letter.refresh_from_db()
    part.refresh_from_db()
    assert letter.identity_protected and secrets_in(letter.search_text) == []
    assert "khieu nai" in letter.search_text or "to cao" in letter.search_text
    assert part.identity_protected
    assert Visit.objects.get(pk=protected_visit.pk).search_text.find("tocao") == -1
    assert set(Letter.history.model.objects.values_list("search_text", flat=True)) == {""}
    assert set(Visit.history.model.objects.values_list("search_text", flat=True)) == {""}


# --- Every view of an identity is logged; scans need the permission ----------------------------


def test_the_edit_form_showing_a_protected_identity_is_logged(client_for, identity_user, denunciation, protected_visit):
    client = client_for(identity_user)
    letter_form = client.get(reverse("citizens:letter_edit", args=[denunciation.pk]))
    assert NAME in letter_form.content.decode()
    visit_form = client.get(reverse("citizens:visit_edit", args=[protected_visit.pk]))
    assert NAME in visit_form.content.decode()
    logs = list(IdentityViewLog.objects.order_by("viewed_at").values_list("user", "letter", "visit", "via"))
    assert logs == [
        (identity_user.pk, denunciation.pk, None, "edit"),
        (identity_user.pk, None, protected_visit.pk, "edit"),
    ]


def test_api_retrieve_of_a_protected_visit_is_logged(identity_user, protected_visit):
    response = api_for(identity_user).get(f"/api/citizens/visits/{protected_visit.pk}/")
    assert NAME in response.content.decode()
    assert IdentityViewLog.objects.get().via == "api"


def test_scan_of_a_protected_letter_needs_the_permission_and_is_logged(
    staff_user, staff_client, client_for, identity_user, denunciation
):
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert api_for(staff_user).post(
        f"/api/citizens/letters/{denunciation.pk}/scans/", {"file": upload}, format="multipart"
    ).status_code == 403
    assert not LetterScan.objects.exists()
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = api_for(identity_user).post(
        f"/api/citizens/letters/{denunciation.pk}/scans/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201
    url = reverse("citizens:scan_download", args=[response.json()["id"]])
    assert staff_client.get(url).status_code == 403
    assert not IdentityViewLog.objects.exists()
    download = client_for(identity_user).get(url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    log = IdentityViewLog.objects.get()
    assert (log.user, log.letter, log.via) == (identity_user, denunciation, "scan")


@pytest.mark.parametrize(
    "name,content",
    [("x.html", b"<html><script>alert(1)</script></html>"), ("x.pdf", b"MZ\x90\x00 an exe renamed")],
)
def test_bad_scan_uploads_are_refused_by_api_and_page(staff_user, staff_client, make_letter, name, content):
    letter = make_letter()
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/scans/",
        {"file": SimpleUploadedFile(name, content, content_type="text/html")},
        format="multipart",
    )
    assert response.status_code == 400
    page = staff_client.post(
        reverse("citizens:letter_scan_upload", args=[letter.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/html"), "description": "x"},
    )
    assert page.status_code == 200 and page.context["form"].errors.get("file")
    assert not LetterScan.objects.exists()


# --- The identity permission: not inherited downward, not self-granted ------------------------


def test_a_province_role_with_the_permission_does_not_see_a_communes_denouncer(make_user, council, commune):
    user = make_user(
        "tinh", council, CouncilRole.Role.STAFF, extra_permissions=["can_view_denouncer_identity"]
    )
    letter = services.letter_register(
        council=commune,
        received_on=date(2025, 3, 3),
        channel="post",
        kind="denunciation",
        subject="Tố cáo cán bộ xã",
        senders=[{"full_name": NAME, "address": ADDRESS}],
        letter_date=date(2025, 3, 1),
    )
    access = Access(user)
    assert access.has(council.id, "can_view_denouncer_identity")
    assert not access.has(commune.id, "can_view_denouncer_identity")
    response = api_for(user).get(f"/api/citizens/letters/{letter.pk}/")
    assert response.status_code in (200, 404)
    assert secrets_in(response.content.decode()) == []
    assert api_for(user).post(
        f"/api/citizens/letters/{letter.pk}/lift_protection/", {"reason": "x", "version": letter.version},
        format="json",
    ).status_code in (403, 404)
    assert Letter.objects.get(pk=letter.pk).identity_protected
    assert not IdentityViewLog.objects.exists()


def test_a_commune_admin_cannot_grant_the_identity_permission(make_user, commune):
    from hdnd_portal.core.services import role_save

    admin = make_user("quantrixa", commune, CouncilRole.Role.ADMIN)
    clerk = make_user("canboxa", commune, CouncilRole.Role.STAFF)
    role = CouncilRole.objects.get(user=clerk)
    role.extra_permissions = ["can_view_denouncer_identity"]
    with pytest.raises(DomainError):
        role_save(actor=admin, role=role, expected_version=role.version)
    own = CouncilRole.objects.get(user=admin)
    own.extra_permissions = ["can_view_denouncer_identity"]
    with pytest.raises(DomainError):
        role_save(actor=admin, role=own, expected_version=own.version)
    response = api_for(admin).patch(
        f"/api/core/roles/{role.pk}/",
        {"extra_permissions": ["can_view_denouncer_identity"], "version": CouncilRole.objects.get(user=clerk).version},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert CouncilRole.objects.get(user=clerk).extra_permissions == []
    assert not Access(clerk).has(commune.id, "can_view_denouncer_identity")


# --- Malformed input answers 400, never 500 ---------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        [{"kind": ["complaint"], "subject": "a"}, {"kind": "recommendation", "subject": "b"}],
        [{"kind": "complaint", "subject": ["a"]}, {"kind": "recommendation", "subject": "b"}],
        [{"kind": "nonsense", "subject": "a"}, {"kind": "recommendation", "subject": "b"}],
        [{"kind": "complaint", "subject": "a" * 301}, {"kind": "recommendation", "subject": "b"}],
        "complaint",
        {"kind": "complaint"},
        [1, 2],
    ],
)
def test_a_malformed_split_answers_400_and_saves_nothing(staff_user, make_letter, parts):
    letter = make_letter()
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/split/", {"version": letter.version, "parts": parts}, format="json"
    )
    assert response.status_code == 400
    assert not Letter.objects.filter(split_from=letter).exists()
    assert Letter.objects.get(pk=letter.pk).status == "received"


def test_split_service_refuses_malformed_kinds():
    with pytest.raises(DomainError):
        services.letter_split(
            letter=Letter(status="received"), parts=[{"kind": ["x"], "subject": "a"}, {"kind": "x", "subject": "b"}]
        )


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": ["complaint"]},
        {"received_on": "not a date"},
        {"case": "abc"},
        {"case": 99999999999},
        {"senders": "Nguyễn Văn A"},
        {"content": "x" * 10001},
        {"subject": "x" * 301},
    ],
)
def test_malformed_letter_values_answer_400(staff_user, make_letter, payload):
    letter = make_letter()
    response = api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {**payload, "version": letter.version}, format="json"
    )
    assert response.status_code == 400, response.content
    assert Letter.objects.get(pk=letter.pk).version == letter.version


@pytest.mark.parametrize(
    "data", [{"original": "abc"}, {"original": ["1"]}, {"original": 10**20}, {}]
)
def test_malformed_duplicate_ids_answer_400(staff_user, make_letter, data):
    letter = make_letter()
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/link_duplicate/", {**data, "version": letter.version}, format="json"
    )
    assert response.status_code == 400
    assert Letter.objects.get(pk=letter.pk).status == "received"


def test_over_long_text_in_the_page_form_is_a_form_error(staff_client, make_letter):
    letter = make_letter()
    response = staff_client.post(
        reverse("citizens:letter_edit", args=[letter.pk]), letter_edit_data(letter, content="x" * 10001)
    )
    assert response.status_code == 200 and response.context["form"].errors.get("content")
    assert Letter.objects.get(pk=letter.pk).content == letter.content


# --- Versions, councils and relations ---------------------------------------------------------


@pytest.mark.parametrize("version", [None, "abc", "", [1], {}])
def test_updates_without_a_valid_version_answer_400(staff_user, make_letter, version):
    letter = make_letter()
    payload = {"subject": "Đổi"}
    if version is not None:
        payload["version"] = version
    response = api_for(staff_user).patch(f"/api/citizens/letters/{letter.pk}/", payload, format="json")
    assert response.status_code == 400
    assert Letter.objects.get(pk=letter.pk).subject == letter.subject


def test_an_empty_update_body_answers_400(staff_user, make_letter):
    letter = make_letter()
    assert api_for(staff_user).patch(f"/api/citizens/letters/{letter.pk}/", {}, format="json").status_code == 400


def test_a_stale_version_answers_409_through_api_and_page(staff_user, staff_client, make_letter):
    letter = make_letter()
    stale = letter.version
    ok = api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {"subject": "Lần một", "version": stale}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == stale + 1
    again = api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {"subject": "Lần hai", "version": stale}, format="json"
    )
    assert again.status_code == 409
    page = staff_client.post(
        reverse("citizens:letter_edit", args=[letter.pk]), letter_edit_data(letter, subject="Lần ba", _version=stale)
    )
    assert page.status_code == 200
    assert Letter.objects.get(pk=letter.pk).subject == "Lần một"


def test_an_action_without_a_version_answers_400(staff_user, make_letter, agency):
    letter = make_letter()
    response = api_for(staff_user).post(
        f"/api/citizens/letters/{letter.pk}/decide/",
        {"decision": "forward", "decided_on": "2025-03-05", "forwarded_to": agency.pk},
        format="json",
    )
    assert response.status_code == 400
    assert Letter.objects.get(pk=letter.pk).decision == ""


def test_a_records_council_cannot_change(staff_user, make_letter, other_council):
    letter = make_letter()
    response = api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {"council": other_council.pk, "version": letter.version}, format="json"
    )
    assert response.status_code in (400, 403)
    assert Letter.objects.get(pk=letter.pk).council_id == letter.council_id


def test_a_relation_into_another_council_is_refused(staff_user, council, other_council, reception_day, make_letter):
    foreign_case = Case.objects.create(council=other_council, code="VV-1", title="Vụ việc khác", opened_on=date(2025, 1, 1))
    letter = make_letter()
    response = api_for(staff_user).patch(
        f"/api/citizens/letters/{letter.pk}/", {"case": foreign_case.pk, "version": letter.version}, format="json"
    )
    assert response.status_code in (400, 403)
    assert Letter.objects.get(pk=letter.pk).case_id is None
    created = api_for(staff_user).post(
        "/api/citizens/visits/",
        {
            "day": reception_day.pk,
            "kind": "complaint",
            "content": "x",
            "outcome": "guided",
            "case": foreign_case.pk,
            "citizens": [{"full_name": "A"}],
        },
        format="json",
    )
    assert created.status_code in (400, 403)
    assert not Visit.objects.exists()


def test_creating_under_another_councils_day_is_refused(staff_user, other_council):
    from citizens.models import ReceptionDay

    day = ReceptionDay.objects.create(council=other_council, date=date(2025, 3, 20), location="Vinh")
    response = api_for(staff_user).post(
        "/api/citizens/visits/",
        {"day": day.pk, "kind": "complaint", "content": "x", "outcome": "guided", "citizens": [{"full_name": "A"}]},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Visit.objects.exists()


def test_the_protection_constraint_reads_in_vietnamese(denunciation):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Letter.objects.filter(pk=denunciation.pk).update(identity_protected=False)
    with translation.override("vi"):
        message, _field = constraint_info(caught.value)
    assert "tố cáo" in message.lower() and "violated" not in message


# --- The same attacks through the pages -------------------------------------------------------


def test_page_edit_without_or_with_a_malformed_version_saves_nothing(staff_client, make_letter):
    letter = make_letter()
    url = reverse("citizens:letter_edit", args=[letter.pk])
    for version in ("", "abc"):
        response = staff_client.post(url, letter_edit_data(letter, subject="Đổi", _version=version))
        assert response.status_code == 200
    data = letter_edit_data(letter, subject="Đổi")
    del data["_version"]
    assert staff_client.post(url, data).status_code == 200
    assert Letter.objects.get(pk=letter.pk).subject == letter.subject


def test_page_relation_into_another_council_is_refused(staff_client, make_letter, other_council):
    foreign_case = Case.objects.create(council=other_council, code="VV-9", title="Khác", opened_on=date(2025, 1, 1))
    letter = make_letter()
    response = staff_client.post(
        reverse("citizens:letter_edit", args=[letter.pk]), letter_edit_data(letter, case=foreign_case.pk)
    )
    assert response.status_code == 200 and response.context["form"].errors.get("case")
    assert Letter.objects.get(pk=letter.pk).case_id is None


def test_page_actions_need_the_version(staff_client, make_letter, agency):
    letter = make_letter()
    url = reverse("citizens:letter_decide", args=[letter.pk])
    data = {"decision": "forward", "decided_on": "05/03/2025", "forwarded_to": agency.pk}
    assert staff_client.post(url, data).status_code == 200
    assert staff_client.post(url, {**data, "_version": letter.version + 3}).status_code == 200
    assert Letter.objects.get(pk=letter.pk).decision == ""
    assert staff_client.post(url, {**data, "_version": letter.version}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).version == letter.version + 1


def test_page_split_of_a_protected_letter_gives_protected_parts(staff_client, denunciation):
    response = staff_client.post(
        reverse("citizens:letter_split", args=[denunciation.pk]),
        {
            "_version": denunciation.version,
            "complaint_subject": "Phần khiếu nại",
            "recommendation_subject": "Phần kiến nghị",
        },
    )
    assert response.status_code == 302
    parts = Letter.objects.filter(split_from=denunciation)
    assert parts.count() == 2 and all(p.identity_protected for p in parts)
    assert all(secrets_in(p.search_text) == [] for p in parts)


def test_other_councils_staff_get_404_on_protection_actions(other_staff_client, denunciation):
    for name in ("citizens:letter_lift_protection", "citizens:letter_protect"):
        assert other_staff_client.get(reverse(name, args=[denunciation.pk])).status_code == 404
    assert Letter.objects.get(pk=denunciation.pk).identity_protected
