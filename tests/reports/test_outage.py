"""Requesting a report while Redis is unreachable: the report is saved, the user is told in
Vietnamese that it will be generated when the connection is back, and the drain sends it then."""

import pytest
from django.urls import reverse

from hdnd_portal.notifications import outbox
from hdnd_portal.notifications.models import OutboxJob
from hdnd_portal.reports.models import Report
from tests.brokers import take_from_queue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_report_requested_while_redis_is_down_is_generated_when_it_is_back(dataset, staff_client, redis_down):
    response = staff_client.post(
        reverse("reports:report_request"),
        {"council": dataset.province.id, "kind": "annual", "period_start": "01/01/2025",
         "period_end": "31/12/2025", "include_below": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "báo cáo sẽ được tạo khi kết nối lại" in response.content.decode()
    report = Report.objects.get()
    assert report.status == "queued"
    job = OutboxJob.objects.get()
    assert job.status == "pending" and job.args == [report.pk, report.generation, True]
    assert staff_client.get(report.get_absolute_url()).status_code == 200  # pages keep working

    redis_down()  # Redis is back
    assert outbox.drain()["sent"] == 1
    assert take_from_queue("hdnd_portal.reports.tasks.generate_report") == [[report.pk, report.generation, True]]
