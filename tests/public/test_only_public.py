"""Only the public: for every public page and feed, what is unpublished, draft, closed or personal
never appears. Each test publishes a visible twin next to the hidden record, so an empty page
cannot pass by accident."""

from datetime import date

import pytest

from public import services
from public.models import Publication

from .conftest import get_all, slug

pytestmark = pytest.mark.django_db


def _resolution_urls(council, pk=None):
    s = slug(council)
    urls = [f"/cong-khai/{s}/", f"/cong-khai/{s}/nghi-quyet/", f"/cong-khai/{s}/nghi-quyet/?q=hoc+phi",
            f"/cong-khai/{s}/nghi-quyet.json", f"/cong-khai/{s}/nghi-quyet.csv", f"/cong-khai/{s}/nghi-quyet.atom"]
    return urls


def test_unpublished_resolution_appears_on_no_page_list_search_or_feed(client, council, make_resolution, publish):
    shown = make_resolution(title="Nghị quyết về học phí công khai", number="01/NQ-HĐND")
    hidden = make_resolution(title="Nghị quyết về học phí chưa công khai", number="02/NQ-HĐND")
    publish("resolution", shown)
    body = get_all(client, _resolution_urls(council))
    assert "học phí công khai" in body and "01/NQ-HĐND" in body
    assert "chưa công khai" not in body and "02/NQ-HĐND" not in body
    assert client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{hidden.pk}/").status_code == 404
    assert client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{shown.pk}/").status_code == 200


def test_withdrawn_resolution_disappears_at_once_despite_the_page_cache(client, council, make_resolution, publish,
                                                                        publisher):
    resolution = make_resolution(title="Nghị quyết về phí gửi xe")
    publish("resolution", resolution)
    url = f"/cong-khai/{slug(council)}/nghi-quyet/"
    assert "phí gửi xe" in client.get(url).content.decode()
    assert client.get(url)["X-Public-Cache"] == "hit"
    services.publication_withdraw(user=publisher, kind="resolution", object_id=resolution.pk)
    assert "phí gửi xe" not in client.get(url).content.decode()
    assert client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{resolution.pk}/").status_code == 404


def test_signed_file_is_served_only_for_a_published_resolution_and_as_an_attachment(
    client, council, make_resolution, publish, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    published = make_resolution(title="Nghị quyết có bản ký")
    published.signed_file.save("nq.pdf", ContentFile(b"%PDF-1.4 signed"))
    unpublished = make_resolution(title="Nghị quyết chưa công khai có bản ký")
    unpublished.signed_file.save("nq2.pdf", ContentFile(b"%PDF-1.4 secret"))
    publish("resolution", published)
    response = client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{published.pk}/tep/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{unpublished.pk}/tep/").status_code == 404
    # Never through /media/ (files leave the portal only through views that check).
    assert client.get(f"/media/{unpublished.signed_file.name}").status_code == 404


def test_unpublished_session_is_absent_from_calendar_ics_json_and_csv(client, council, make_session, publish):
    shown = make_session(title="Kỳ họp thường lệ cuối năm", venue="Hội trường A")
    make_session(title="Kỳ họp chuyên đề chưa công bố", venue="Hội trường B")
    publish("session", shown)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/ky-hop/", f"/cong-khai/{s}/ky-hop.ics", f"/cong-khai/{s}/ky-hop.json",
                            f"/cong-khai/{s}/ky-hop.csv", f"/cong-khai/{s}/"])
    assert "cuối năm" in body
    assert "chưa công bố" not in body and "Hội trường B" not in body


def test_closed_session_is_on_the_calendar_but_its_agenda_never_is(client, council, make_session, publish):
    from sessions.models import AgendaItem

    closed = make_session(title="Kỳ họp bất thường", is_public=False)
    AgendaItem.objects.create(council=council, session=closed, position=1, title="Xem xét kỷ luật cán bộ X")
    open_session = make_session(title="Kỳ họp thường lệ")
    AgendaItem.objects.create(council=council, session=open_session, position=1, title="Báo cáo kinh tế - xã hội")
    publish("session", closed)
    publish("session", open_session)
    s = slug(council)
    closed_page = client.get(f"/cong-khai/{s}/ky-hop/{closed.pk}/").content.decode()
    assert "Kỳ họp bất thường" in closed_page
    assert "kỷ luật cán bộ X" not in closed_page
    assert "Báo cáo kinh tế - xã hội" in client.get(f"/cong-khai/{s}/ky-hop/{open_session.pk}/").content.decode()
    assert "kỷ luật" not in get_all(client, [f"/cong-khai/{s}/ky-hop.json", f"/cong-khai/{s}/ky-hop.csv",
                                             f"/cong-khai/{s}/ky-hop.ics", f"/cong-khai/{s}/ky-hop/"])


def test_draft_session_documents_never_appear(client, council, make_session, make_resolution, publish):
    from sessions.models import SessionDocument

    session = make_session(title="Kỳ họp thứ 21")
    SessionDocument.objects.create(council=council, session=session, kind=SessionDocument.Kind.DRAFT_RESOLUTION,
                                   title="Dự thảo nghị quyết về giá đất điều chỉnh", doc_date=date(2025, 12, 1))
    resolution = make_resolution(title="Nghị quyết về giá đất", session=session)
    publish("session", session)
    publish("resolution", resolution)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/ky-hop/{session.pk}/", f"/cong-khai/{s}/nghi-quyet/{resolution.pk}/",
                            f"/cong-khai/{s}/ky-hop.json", f"/cong-khai/{s}/nghi-quyet.json", f"/cong-khai/{s}/"])
    assert "Nghị quyết về giá đất" in body
    assert "Dự thảo" not in body and "giá đất điều chỉnh" not in body


def test_oversight_unconcluded_cancelled_or_unpublished_never_appears(client, council, make_activity, publish,
                                                                      publisher):
    from hdnd_portal.core.exceptions import DomainError
    from oversight.models import OversightActivity

    shown = make_activity(topic="Giám sát trường học công khai")
    unpublished = make_activity(topic="Giám sát bệnh viện chưa công khai")
    cancelled = make_activity(topic="Giám sát đã hủy", status=OversightActivity.Status.CANCELLED)
    planned = make_activity(topic="Giám sát dự kiến", status=OversightActivity.Status.PLANNED)
    publish("oversight", shown)
    for activity in (cancelled, planned):
        with pytest.raises(DomainError):
            services.publication_publish(user=publisher, kind="oversight", object_id=activity.pk)
    # A published activity set back to "in progress" leaves the site without anyone withdrawing it.
    later = make_activity(topic="Giám sát mở lại")
    publish("oversight", later)
    OversightActivity.objects.filter(pk=later.pk).update(status=OversightActivity.Status.IN_PROGRESS)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/giam-sat/", f"/cong-khai/{s}/giam-sat.json",
                            f"/cong-khai/{s}/giam-sat.csv", f"/cong-khai/{s}/giam-sat/?q=giam+sat"])
    assert "trường học công khai" in body
    for text in ("bệnh viện", "đã hủy", "dự kiến", "mở lại"):
        assert text not in body
    assert client.get(f"/cong-khai/{s}/giam-sat/{unpublished.pk}/").status_code == 404


def test_petition_not_marked_public_never_appears_even_if_it_was_published(client, council, make_petition, publish,
                                                                           publisher):
    from hdnd_portal.core.exceptions import DomainError
    from voters.models import Petition

    shown = make_petition(content="Đề nghị lắp đèn chiếu sáng ngõ 12")
    private = make_petition(content="Đề nghị riêng về tranh chấp đất của hộ ông A", is_public=False)
    with pytest.raises(DomainError):
        services.publication_publish(user=publisher, kind="petition", object_id=private.pk)
    turned_private = make_petition(content="Đề nghị sau này không còn công khai")
    publish("petition", shown)
    publish("petition", turned_private)
    Petition.objects.filter(pk=turned_private.pk).update(is_public=False)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/kien-nghi/", f"/cong-khai/{s}/kien-nghi.json",
                            f"/cong-khai/{s}/kien-nghi.csv", f"/cong-khai/{s}/kien-nghi.atom", f"/cong-khai/{s}/"])
    assert "đèn chiếu sáng" in body
    assert "tranh chấp đất" not in body and "không còn công khai" not in body
    assert client.get(f"/cong-khai/{s}/kien-nghi/{turned_private.pk}/").status_code == 404


def test_petition_internal_notes_and_people_never_appear(client, council, answered, make_deputy, publish):
    from voters.models import Petition

    deputy = make_deputy(council, "Hoàng Văn Đạibiểu")
    answered.deputies.add(deputy)
    Petition.objects.filter(pk=answered.pk).update(
        evaluation_note="Ghi chú nội bộ: trả lời chưa thỏa đáng", response_by="Giám đốc Nguyễn Văn Ký",
        roadmap="Lộ trình nội bộ",
    )
    publish("petition", answered)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/kien-nghi/", f"/cong-khai/{s}/kien-nghi/{answered.pk}/",
                            f"/cong-khai/{s}/kien-nghi.json", f"/cong-khai/{s}/kien-nghi.csv",
                            f"/cong-khai/{s}/kien-nghi.atom"])
    assert "bố trí vốn sửa chữa đường" in body  # the agency's answer is public
    for secret in ("Ghi chú nội bộ", "Nguyễn Văn Ký", "Đạibiểu", "Lộ trình nội bộ"):
        assert secret not in body


def test_unpublished_reception_schedule_and_internal_note_never_appear(client, council, make_schedule, publish):
    shown = make_schedule(title="Lịch tiếp của Thường trực", note="Ghi chú: bố trí công an bảo vệ")
    make_schedule(title="Lịch tiếp nội bộ chưa công bố", location="Phòng họp số 9")
    publish("reception", shown)
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/tiep-cong-dan/", f"/cong-khai/{s}/tiep-cong-dan.json",
                            f"/cong-khai/{s}/tiep-cong-dan.csv", f"/cong-khai/{s}/tiep-cong-dan.ics",
                            f"/cong-khai/{s}/"])
    assert "Lịch tiếp của Thường trực" in body and "Ngô Quyền" in body
    assert "chưa công bố" not in body and "Phòng họp số 9" not in body and "công an bảo vệ" not in body


def test_deputies_private_contacts_and_birth_dates_never_appear(client, council, make_deputy):
    make_deputy(council, "Phạm Thị Đạibiểu", email="rieng@example.vn", phone="0987654321",
                birth_date=date(1975, 4, 30), constituency="Đơn vị bầu cử số 1")
    s = slug(council)
    body = get_all(client, [f"/cong-khai/{s}/dai-bieu/", f"/cong-khai/{s}/dai-bieu.json",
                            f"/cong-khai/{s}/dai-bieu.csv"])
    assert "Phạm Thị Đạibiểu" in body and "Đơn vị bầu cử số 1" in body
    for secret in ("rieng@example.vn", "0987654321", "1975"):
        assert secret not in body


def test_letter_tracking_shows_status_and_dates_only_never_the_sender_or_content(client, council, publisher):
    from citizens.services import letter_register

    letter = letter_register(
        council=council, received_on=date(2025, 3, 3), channel="post", kind="denunciation",
        subject="Tố cáo cán bộ địa chính nhận tiền", content="Cán bộ địa chính phường nhận tiền",
        senders=[{"full_name": "Lê Thị Tốcáo", "address": "Số 5 ngõ 12", "phone": "0912345678",
                  "id_number": "001190012345"}],
    )
    code = services.tracking_code_issue(user=publisher, kind="letter", object_id=letter.pk)
    response = client.get(f"/cong-khai/tra-cuu/?ma={code.code}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "03/03/2025" in body and "Đơn thư" in body
    for secret in ("Tốcáo", "0912345678", "001190012345", "địa chính", "Số 5 ngõ 12", letter.register_number):
        assert secret not in body


def test_another_councils_published_record_is_not_shown_under_this_council(client, council, commune, make_resolution,
                                                                           publish):
    resolution = make_resolution(council=commune, title="Nghị quyết của phường")
    publish("resolution", resolution)
    assert client.get(f"/cong-khai/{slug(commune)}/nghi-quyet/{resolution.pk}/").status_code == 200
    assert client.get(f"/cong-khai/{slug(council)}/nghi-quyet/{resolution.pk}/").status_code == 404
    assert "Nghị quyết của phường" not in client.get(f"/cong-khai/{slug(council)}/nghi-quyet/").content.decode()


def test_digest_mails_never_include_unpublished_records(council, make_resolution, publish, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from public.digests import send_due_digests
    from public.models import Subscription

    sub = services.subscription_request(email="dan@example.vn", council=council, kind="council")
    services.subscription_confirm(token=sub.token)
    Subscription.objects.filter(pk=sub.pk).update(last_digest_at=timezone.now() - timedelta(minutes=5))
    publish("resolution", make_resolution(title="Nghị quyết về phí vệ sinh"))
    make_resolution(title="Nghị quyết nội bộ chưa công khai")
    mailoutbox.clear()
    assert send_due_digests() == 1
    assert "phí vệ sinh" in mailoutbox[0].body
    assert "chưa công khai" not in mailoutbox[0].body
    assert Publication.objects.count() == 1

