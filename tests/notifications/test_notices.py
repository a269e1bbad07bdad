"""Events reach people's bell at once: documents sent to the deputies of a session."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hdnd_portal.core.models import CouncilRole
from hdnd_portal.notifications.models import Notification
from hdnd_portal.notifications.services.notices import notice_send
from sessions.models import CouncilSession, SessionDocument
from sessions.services.sessions import session_send_documents

pytestmark = pytest.mark.django_db


def test_a_notice_reaches_each_user_once_and_not_the_actor(make_user, council):
    a, b = make_user("a", council, CouncilRole.Role.STAFF), make_user("b", council, CouncilRole.Role.STAFF)
    assert notice_send(users=[a, b, a.pk], council=council, title="Tin", exclude=b) == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["a"]


def test_sending_session_documents_reaches_the_sitting_deputies_bell(make_user, make_deputy, council, term):
    deputy = make_deputy(council, "Trần Văn Bình", start_date=date(2021, 6, 25))
    former = make_deputy(council, "Lê Văn Cũ", start_date=date(2021, 6, 25), end_date=date(2023, 1, 1))
    sitting_user = make_user("daibieu", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    make_user("daibieucu", council, CouncilRole.Role.DEPUTY, deputy=former)
    start = timezone.localdate() + timedelta(days=20)
    session = CouncilSession.objects.create(council=council, term=term, number=12, kind="regular",
                                            planned_start=start, planned_end=start + timedelta(days=2))
    SessionDocument.objects.create(council=council, session=session, kind="report", title="Báo cáo kinh tế - xã hội",
                                   doc_date=timezone.localdate())
    assert session_send_documents(session=session) == 1
    notices = Notification.objects.all()
    assert [n.user_id for n in notices] == [sitting_user.pk]
    assert "1" in notices[0].title


def test_forwarding_petitions_reaches_the_agencys_responders_and_an_answer_the_deputies(
        make_user, make_deputy, council, agency):
    from voters.models import Petition
    from voters.notify import notify_answered
    from voters.services import petition_forward

    deputy = make_deputy(council, "Trần Văn Bình")
    deputy_user = make_user("daibieu", council, CouncilRole.Role.DEPUTY, deputy=deputy)
    responder = make_user("traloi", council, CouncilRole.Role.RESPONDER, agency=agency)
    petition = Petition.objects.create(council=council, content="Đề nghị sửa đường liên xã",
                                       received_on=timezone.localdate() - timedelta(days=3))
    petition.deputies.add(deputy)
    petition_forward(council=council, petitions=[petition], agency=agency)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [responder.pk]
    notify_answered(petition_id=petition.pk)
    assert Notification.objects.filter(user=deputy_user).count() == 1
