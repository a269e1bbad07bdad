"""Pages and API: the permission matrix (404 another council, 403 missing permission), the
request form's refusals, progress, downloads that re-check permission, bounded list queries."""

from datetime import date

import pytest
from django.urls import reverse

from hdnd_portal.core.models import CouncilRole
from hdnd_portal.reports import services
from hdnd_portal.reports.models import Report

from .conftest import YEAR_END, YEAR_START

pytestmark = pytest.mark.django_db


def make_report(council, user=None, status="done", **kwargs):
    seq = Report.objects.count() + 1
    defaults = dict(
        council=council,
        kind="annual",
        period_start=YEAR_START,
        period_end=date(2025, 12, 31 - seq % 28),
        include_below=False,
        number=f"{seq:02d}/BC-HĐND",
        number_seq=seq,
        issued_on=date(2026, 1, 5),
        title=f"Báo cáo {seq}",
        status=status,
        requested_by=user,
    )
    defaults.update(kwargs)
    return Report.objects.create(**defaults)


@pytest.fixture
def done_report(dataset, staff_user, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=staff_user,
            council=dataset.province,
            kind="citizens",
            period_start=YEAR_START,
            period_end=YEAR_END,
            include_below=True,
        )
    report.refresh_from_db()
    assert report.status == "done"
    return report


def test_request_page_generates_and_redirects_to_progress(
    dataset, staff_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    url = reverse("reports:report_request")
    assert staff_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "council": dataset.province.id,
                "kind": "annual",
                "period_start": "01/01/2025",
                "period_end": "31/12/2025",
                "include_below": "on",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = staff_client.get(report.get_absolute_url())
    assert page.status_code == 200 and report.number in page.content.decode()
    progress = staff_client.get(reverse("reports:report_progress", args=[report.pk])).json()
    assert (
        progress["status"] == "done"
        and progress["progress"] == 100
        and set(progress["downloads"]) == {"pdf", "xlsx", "docx"}
    )


def test_request_page_refuses_an_end_before_the_start_beside_the_field(dataset, staff_client):
    response = staff_client.post(
        reverse("reports:report_request"),
        {"council": dataset.province.id, "kind": "annual", "period_start": "31/12/2025", "period_end": "01/01/2025"},
    )
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_request_page_refuses_a_council_the_user_may_not_read(dataset, staff_client, other_council):
    response = staff_client.post(
        reverse("reports:report_request"),
        {"council": other_council.id, "kind": "annual", "period_start": "01/01/2025", "period_end": "31/12/2025"},
    )
    assert response.status_code == 200 and "council" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_a_second_request_on_the_page_shows_the_first(dataset, staff_client, django_capture_on_commit_callbacks):
    data = {
        "council": dataset.province.id,
        "kind": "annual",
        "period_start": "01/01/2025",
        "period_end": "31/12/2025",
        "include_below": "on",
    }
    with django_capture_on_commit_callbacks(execute=False):
        first = staff_client.post(reverse("reports:report_request"), data)
        second = staff_client.post(reverse("reports:report_request"), data)
    assert first["Location"] == second["Location"] and Report.objects.count() == 1


def test_permission_matrix(done_report, staff_client, viewer_client, deputy_client, other_staff_client, client):
    detail = reverse("reports:report_detail", args=[done_report.pk])
    download = reverse("reports:report_download", args=[done_report.pk, "pdf"])
    progress = reverse("reports:report_progress", args=[done_report.pk])
    narrative = reverse("reports:report_narrative", args=[done_report.pk])
    regenerate = reverse("reports:report_regenerate", args=[done_report.pk])
    for url in (detail, download, progress):
        assert staff_client.get(url).status_code == 200
        assert viewer_client.get(url).status_code == 200
        assert deputy_client.get(url).status_code == 403  # no can_view_report
        assert other_staff_client.get(url).status_code == 404  # another council's report
    assert client.get(detail).status_code == 302  # anonymous → login
    assert staff_client.get(narrative).status_code == 200
    assert viewer_client.get(narrative).status_code == 403
    assert viewer_client.post(regenerate).status_code == 403
    assert other_staff_client.post(regenerate).status_code == 404
    assert viewer_client.get(reverse("reports:report_request")).status_code == 403
    assert deputy_client.get(reverse("reports:dashboard")).status_code == 200
    assert staff_client.get(reverse("reports:report_list")).status_code == 200
    assert deputy_client.get(reverse("reports:report_list")).status_code == 403


def test_download_rechecks_permission_each_time(done_report, make_user, client_for):
    user = make_user("tamthoi", done_report.council, CouncilRole.Role.VIEWER)
    client = client_for(user)
    url = reverse("reports:report_download", args=[done_report.pk, "xlsx"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    CouncilRole.objects.filter(user=user).delete()
    assert client_for(user).get(url).status_code in (403, 404)  # no role left: refused either way


def test_a_commune_user_cannot_read_the_province_report(done_report, dataset, make_user, client_for):
    commune_staff = client_for(make_user("xa", dataset.commune_a, CouncilRole.Role.STAFF))
    assert commune_staff.get(reverse("reports:report_detail", args=[done_report.pk])).status_code == 404


def test_editing_the_narrative_renders_again(done_report, staff_client, django_capture_on_commit_callbacks):
    url = reverse("reports:report_narrative", args=[done_report.pk])
    form = staff_client.get(url).context["form"]
    data = {
        name: field.initial if field.initial is not None else form.initial.get(name, "")
        for name, field in form.fields.items()
    }
    data.update(version=done_report.version, signer_name="Nguyễn Văn A", text_1="Đoạn mới.")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302
    done_report.refresh_from_db()
    assert done_report.narrative[1]["text"] == "Đoạn mới." and done_report.status == "done"
    # A stale form (old version) is refused, nothing saved.
    data.update(text_1="Ghi đè")
    response = staff_client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    done_report.refresh_from_db()
    assert done_report.narrative[1]["text"] == "Đoạn mới."


@pytest.mark.parametrize("rows", [10, 60])
def test_list_queries_do_not_grow_with_rows(rows, council, staff_user, staff_client, django_assert_max_num_queries):
    for _ in range(rows):
        make_report(council, staff_user)
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("reports:report_list") + "?q=bao+cao&sort=-requested_at")
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert staff_client.get(reverse("reports:report_list") + "?export=xlsx").status_code == 200


def test_list_filters_and_search(council, staff_user, staff_client):
    make_report(council, staff_user, kind="citizens", title="Thống kê tiếp công dân")
    make_report(council, staff_user, kind="annual", title="Báo cáo năm")
    page = staff_client.get(reverse("reports:report_list") + "?kind=citizens")
    assert [r.kind for r in page.context["object_list"]] == ["citizens"]
    page = staff_client.get(reverse("reports:report_list") + "?q=thong+ke")
    assert [r.title for r in page.context["object_list"]] == ["Thống kê tiếp công dân"]


def test_dashboard_shows_the_councils_figures(dataset, staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = staff_client.get(reverse("reports:dashboard") + "?year=2025&below=1")
    assert response.status_code == 200
    data = response.context["data"]
    cards = dict(data["cards"])
    assert cards[next(k for k in cards if "kỳ họp" in str(k).lower() or "Sessions" in str(k))] == 4
    assert "<svg" in response.content.decode()


# --- API ----------------------------------------------------------------------------------


def test_api_request_progress_and_download(dataset, api_client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    payload = {
        "council": dataset.province.id,
        "kind": "quarterly",
        "period_start": "2025-10-01",
        "period_end": "2025-12-31",
        "include_below": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/reports/reports/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    progress = api_client.get(f"/api/reports/reports/{pk}/progress/").json()
    assert progress["status"] == "done" and progress["progress"] == 100
    detail = api_client.get(f"/api/reports/reports/{pk}/").json()
    assert set(detail["downloads"]) == {"pdf", "xlsx", "docx"}
    pdf = api_client.get(f"/api/reports/reports/{pk}/download/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    figures = api_client.get(f"/api/reports/reports/{pk}/figures/").json()
    assert figures["figures"]["own"]["sessions"]["sessions_held"] == 1


def test_api_second_request_while_running_returns_the_first(dataset, api_client):
    payload = {
        "council": dataset.province.id,
        "kind": "annual",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    first = api_client.post("/api/reports/reports/", payload, format="json")
    second = api_client.post("/api/reports/reports/", payload, format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and second.json()["created"] is False


def test_api_refusals(dataset, api_client, other_council, make_user):
    bad = api_client.post(
        "/api/reports/reports/",
        {"council": dataset.province.id, "kind": "annual", "period_start": "2025-12-31", "period_end": "2025-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "period_end" in bad.json()
    other = api_client.post(
        "/api/reports/reports/",
        {"council": other_council.id, "kind": "annual", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        format="json",
    )
    assert other.status_code == 400 and Report.objects.count() == 0


def test_api_permission_matrix(done_report, make_user, other_council):
    from rest_framework.test import APIClient

    def client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    viewer = client(make_user("v", done_report.council, CouncilRole.Role.VIEWER))
    other = client(make_user("o", other_council, CouncilRole.Role.STAFF))
    url = f"/api/reports/reports/{done_report.pk}/"
    assert viewer.get(url).status_code == 200
    assert viewer.get(url + "download/docx/").status_code == 200
    assert other.get(url).status_code == 404 and other.get(url + "download/pdf/").status_code == 404
    assert viewer.post(url + "regenerate/").status_code == 403
    assert (
        viewer.post(
            "/api/reports/reports/",
            {
                "council": done_report.council_id,
                "kind": "annual",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
            },
            format="json",
        ).status_code
        == 403
    )
    assert other.get("/api/reports/reports/").json()["count"] == 0
