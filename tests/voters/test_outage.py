"""Answering a petition while Redis is unreachable saves the answer; the deputies' notification
waits in the outbox and is sent when Redis is back."""

import pytest
from django.urls import reverse

from hdnd_portal.notifications import outbox
from hdnd_portal.notifications.models import OutboxJob
from tests.brokers import take_from_queue
from voters import services
from voters.models import Petition

pytestmark = pytest.mark.django_db(transaction=True)


def test_answering_a_petition_while_redis_is_down(council, agency, make_meeting, make_petition, responder_client,
                                                 redis_down):
    from datetime import date

    petition = make_petition(council, meetings=[make_meeting(council)])
    services.petition_forward(council=council, petitions=[petition], agency=agency, on=date(2026, 3, 2))
    petition.refresh_from_db()
    response = responder_client.post(
        reverse("voters:petition_answer", args=[petition.pk]),
        {"status": "resolved", "response_text": "Đã sửa xong", "response_date": "05/03/2026",
         "response_by": "Sở Xây dựng", "_version": petition.version},
    )
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == "resolved"
    job = OutboxJob.objects.get(task="voters.tasks.petition_notify_answered")
    assert job.status == "pending" and job.args == [petition.pk]

    redis_down()  # Redis is back
    outbox.drain()
    assert take_from_queue("voters.tasks.petition_notify_answered") == [[petition.pk]]
