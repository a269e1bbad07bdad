"""The session page says what "Send documents to deputies" will do before it does it: how many
documents go to how many sitting deputies (the dialog of static/js/portal.js shows this text)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import override

from sessions.models import SessionDocument
from sessions.services import document_create, document_send

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def _documents(session, n):
    return [
        document_create(
            session=session,
            kind=SessionDocument.Kind.SUBMISSION,
            title=f"Tờ trình số {i}",
            doc_date=date(2026, 11, 20),
            file=pdf_file(f"to-trinh-{i}.pdf"),
        )
        for i in range(n)
    ]


def test_sending_the_documents_asks_with_the_numbers_of_documents_and_deputies(
    staff_client, council_session, seat_deputies
):
    seat_deputies(4)
    first, *_rest = _documents(council_session, 3)
    document_send(document=first)  # one already sent: two are waiting
    with override("vi"):
        html = staff_client.get(reverse("sessions:session_detail", args=[council_session.pk])).content.decode()
    assert 'value="send"' in html
    assert "Gửi 2 tài liệu cho 4 đại biểu?" in html
    assert "data-confirm=" in html


def test_sending_one_document_asks_with_its_title(staff_client, council_session, seat_deputies):
    seat_deputies(2)
    (document,) = _documents(council_session, 1)
    with override("vi"):
        html = staff_client.get(reverse("sessions:document_detail", args=[document.pk])).content.decode()
    assert "Gửi “Tờ trình số 0” cho 2 đại biểu?" in html
