"""The petition list writes each row from values computed once per row (views.petitions.list_cells):
the same labels, links and dates as the model's own displays."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db


def test_each_row_shows_its_labels_link_and_dates(staff_client, council, agency, make_petition,
                                                   django_capture_on_commit_callbacks):
    old = make_petition(council, content="Kiến nghị cũ", received_on=timezone.localdate() - timedelta(days=800),
                        is_urgent=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_forward(council=council, petitions=[old], agency=agency, on=date(2026, 3, 2))
    Petition.objects.filter(pk=old.pk).update(response_due=timezone.localdate() - timedelta(days=1))
    new = make_petition(council, content="Kiến nghị mới", received_on=date(2026, 1, 10))
    response = staff_client.get(reverse("voters:petition_list"))
    html = " ".join(response.content.decode().split())
    rows = {p.pk: p for p in response.context["object_list"]}
    for p in rows.values():
        stored = Petition.objects.get(pk=p.pk)
        assert (p.kind_label, p.level_label, p.status_label, p.evaluation_label) == (
            stored.get_kind_display(), stored.get_level_display(), stored.get_status_display(),
            stored.get_evaluation_display())
        assert p.detail_url == reverse("voters:petition_detail", args=[p.pk])
        assert f'href="{p.detail_url}">#{p.pk}</a>' in html
    late = rows[old.pk]
    assert late.age == ("danger", stored_age(old)) and late.due_late and late.pickable
    assert f'<span class="text-danger fw-semibold">{late.response_due:%d/%m/%Y}</span>' in html
    assert f'<tr class="table-danger" data-id="{old.pk}">' in html
    assert "Đã chuyển, chờ trả lời" in html and 'class="badge text-bg-danger">khẩn' in html
    assert rows[new.pk].received_text == "10/01/2026" and not rows[new.pk].due_late


def stored_age(petition) -> str:
    return Petition.objects.get(pk=petition.pk).age_label


def test_a_petitions_age_on_a_given_day(council, make_petition):
    """Petition.age_on(today): the list passes the day once; the properties read the clock."""
    petition = make_petition(council, content="Kiến nghị tồn đọng", received_on=date(2024, 1, 1))
    assert petition.age_on(date(2024, 3, 1)) == ("", "60 ngày")
    assert petition.age_on(date(2025, 3, 1)) == ("warning", "1 năm 2 tháng")
    assert petition.age_on(date(2026, 3, 1)) == ("danger", "2 năm 2 tháng")
    assert (petition.age_class, petition.age_label) == petition.age_on(timezone.localdate())
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.RESOLVED)
    assert Petition.objects.get(pk=petition.pk).age_on(date(2026, 3, 1)) == ("", "")
