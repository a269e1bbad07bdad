from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Deadline
from oversight.models import Commitment
from oversight.services import commitment_create, commitment_progress_report


def _create(council, agency, **kwargs):
    defaults = dict(
        council=council,
        agency=agency,
        official_name="Lê Văn Cường",
        official_title="Giám đốc Sở Xây dựng",
        text="Hoàn thành cải tạo chung cư cũ",
        made_on=date(2025, 12, 5),
        deadline=date(2026, 6, 30),
    )
    defaults.update(kwargs)
    return commitment_create(**defaults)


@pytest.mark.django_db
def test_creating_a_commitment_registers_its_deadline(council, agency, make_deputy):
    deputy = make_deputy(council)
    commitment = _create(council, agency, deputies=[deputy])
    assert list(commitment.deputies.all()) == [deputy]
    deadline = Deadline.objects.get(object_id=commitment.pk, kind="commitment.deadline")
    assert deadline.due_date == date(2026, 6, 30)
    assert deadline.responsible_agency == agency
    assert deadline.content_type == ContentType.objects.get_for_model(Commitment)


@pytest.mark.django_db
def test_a_deadline_before_the_commitment_date_is_refused(council, agency):
    with pytest.raises(DomainError) as error:
        _create(council, agency, deadline=date(2025, 12, 1))
    assert error.value.field == "deadline"
    assert not Commitment.objects.exists()


@pytest.mark.django_db
def test_the_source_is_a_generic_reference(council, agency):
    source = Agency.objects.create(council=council, name="Nguồn thử")
    commitment = _create(council, agency, source=source)
    assert commitment.source == source


@pytest.mark.django_db
def test_a_fulfilled_report_closes_the_deadline(council, agency):
    commitment = _create(council, agency)
    commitment_progress_report(
        commitment=commitment, percent=100, status="fulfilled", text="Xong", reported_on=date(2026, 3, 1)
    )
    commitment.refresh_from_db()
    assert commitment.percent == 100 and commitment.status == "fulfilled"
    assert Deadline.objects.get(object_id=commitment.pk, kind="commitment.deadline").state == "done"
