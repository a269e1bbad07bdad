"""Following by e-mail: double opt-in, digests of what is new, one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from public import services
from public.digests import send_due_digests
from public.models import Subscription
from public.tasks import send_public_digests

from .conftest import slug

pytestmark = pytest.mark.django_db


def _rewind(subscription, minutes=10):
    Subscription.objects.filter(pk=subscription.pk).update(last_digest_at=timezone.now() - timedelta(minutes=minutes))


def test_subscribing_needs_the_confirmation_link_before_any_digest(client, council, make_resolution, publish,
                                                                    mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation is mailed after commit
        response = client.post("/cong-khai/theo-doi/", {"email": "Dan@Example.vn", "hoi_dong": slug(council),
                                                          "loai": "council"})
    assert response.status_code == 200 and "Sắp xong" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["dan@example.vn"]
    link = re.search(r"https?://\S+/cong-khai/theo-doi/xac-nhan/\S+/", mailoutbox[0].body).group(0)
    subscription = Subscription.objects.get()
    assert not subscription.is_active
    publish("resolution", make_resolution(title="Nghị quyết về phí vệ sinh"))
    assert send_due_digests() == 0  # unconfirmed: nothing is sent
    assert client.get(link.split("8000", 1)[-1]).status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active


def test_a_digest_lists_what_was_published_once_and_unsubscribing_takes_one_click(client, council, make_resolution,
                                                                                  publish, mailoutbox):
    subscription = services.subscription_request(email="dan@example.vn", council=council, kind="council")
    services.subscription_confirm(token=subscription.token)
    _rewind(subscription)
    publish("resolution", make_resolution(title="Nghị quyết về phí vệ sinh"))
    mailoutbox.clear()
    assert send_public_digests.delay().get() == 1
    mail = mailoutbox[0]
    assert "phí vệ sinh" in mail.body and "/nghi-quyet/" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send_due_digests() == 0  # nothing new: no second mail
    unsubscribe = mail.extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[-1]
    assert client.post(unsubscribe).status_code == 200  # RFC 8058 one-click (no CSRF token, no login)
    publish("resolution", make_resolution(title="Nghị quyết về phí nước"))
    _rewind(subscription)
    assert send_due_digests() == 0


def test_a_search_term_subscription_gets_only_matching_records(council, make_resolution, publish, mailoutbox):
    subscription = services.subscription_request(email="a@example.vn", council=council, kind="search",
                                                 query="hoc phi")
    services.subscription_confirm(token=subscription.token)
    _rewind(subscription)
    publish("resolution", make_resolution(title="Nghị quyết về học phí"))
    publish("resolution", make_resolution(title="Nghị quyết về đầu tư công"))
    mailoutbox.clear()
    assert send_due_digests() == 1
    assert "học phí" in mailoutbox[0].body and "đầu tư công" not in mailoutbox[0].body


def test_following_one_petition_sends_its_answer(client, council, make_petition, publish, agency, mailoutbox):
    from voters.models import Petition

    petition = make_petition(content="Đề nghị xây cầu qua kênh")
    publish("petition", petition)
    response = client.post("/cong-khai/theo-doi/", {"email": "b@example.vn", "hoi_dong": slug(council),
                                                      "loai": "petition", "kien_nghi": petition.pk})
    assert response.status_code == 200
    subscription = Subscription.objects.get(kind="petition")
    services.subscription_confirm(token=subscription.token)
    _rewind(subscription)
    mailoutbox.clear()
    assert send_due_digests() == 0  # no answer yet
    _rewind(subscription)
    petition.status, petition.agency, petition.forwarded_on = Petition.Status.RESOLVED, agency, petition.received_on
    petition.response_date, petition.response_text = timezone.localdate(), "Đã khởi công xây cầu."
    petition.save()
    assert send_due_digests() == 1
    assert "xây cầu" in mailoutbox[0].body and f"/kien-nghi/{petition.pk}/" in mailoutbox[0].body


def test_a_petition_that_is_not_public_cannot_be_followed(client, council, make_petition):
    private = make_petition(is_public=False)
    response = client.post("/cong-khai/theo-doi/", {"email": "c@example.vn", "hoi_dong": slug(council),
                                                      "loai": "petition", "kien_nghi": private.pk})
    assert "không được công khai" in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscriptions_are_rate_limited(client, council, settings):
    settings.PUBLIC_RATE_LIMIT_SENSITIVE = 2
    data = {"email": "d@example.vn", "hoi_dong": slug(council), "loai": "council"}
    assert [client.post("/cong-khai/theo-doi/", data).status_code for _ in range(3)] == [200, 200, 429]
    assert Subscription.objects.count() == 2
