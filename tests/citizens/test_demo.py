"""The demo data: realistic, consistent with the services' rules, and fast to build."""

import pytest
from django.urls import reverse

from citizens import demo
from citizens.models import Letter, LetterSender, Visit
from hdnd_portal.core.demo import seed_core
from hdnd_portal.core.models import Deadline, DocumentCounter

pytestmark = pytest.mark.django_db


def test_small_demo_populates_consistent_records(client_for):
    ctx = seed_core(scale=False, seed=5)
    demo.populate(ctx)
    province = ctx.province.council
    assert Letter.objects.filter(council=province).count() > 1000
    assert Visit.objects.filter(council=province).count() > 300
    for commune in ctx.communes:
        assert 300 < Letter.objects.filter(council=commune.council).count() < 700
    # no denouncer name in any denunciation's search text
    sample = Letter.objects.filter(kind="denunciation", is_anonymous=False).first()
    name = LetterSender.objects.filter(letter=sample).values_list("name_folded", flat=True).first()
    assert name and name not in sample.search_text
    assert Deadline.objects.filter(council=province, kind="citizens.denunciation_initial").exists()
    # the register continues after the demo numbers
    last = Letter.objects.filter(council=province, register_year=2025).order_by("-register_seq").first()
    counter = DocumentCounter.objects.get(council=province, issuer="SODON", year=2025)
    assert counter.last_number == last.register_seq
    client = client_for(ctx.users["canbo"])
    assert client.get(reverse("citizens:letter_list")).status_code == 200
    assert client.get(reverse("citizens:statistics")).status_code == 200


def test_the_demo_monitors_the_settlement_of_its_forwarded_letters_as_the_service_would(client_for):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils import timezone

    from citizens import deadlines as dl
    from citizens.services.settlement import settlement_due

    ctx = seed_core(scale=False, seed=5)
    demo.populate(ctx)
    province = ctx.province.council
    today = timezone.localdate()
    letters = ContentType.objects.get_for_model(Letter)
    monitors = Deadline.objects.filter(council=province, content_type=letters, kind=dl.SETTLEMENT_MONITOR)
    forwarded = Letter.objects.filter(council=province, decision="forward").values("pk")
    unforwarded = Letter.objects.filter(council=province).filter(~Q(decision="forward")).values("pk")
    # Open ones (a few overdue) and closed ones (the agency's result recorded), on forwarded letters only.
    assert monitors.filter(state=Deadline.State.OPEN, object_id__in=forwarded).exists()
    assert monitors.filter(state=Deadline.State.OPEN, due_date__lt=today).exists()
    assert monitors.filter(state=Deadline.State.DONE).exists()
    assert not monitors.filter(object_id__in=unforwarded).exists()
    # Every forwarded letter has exactly one, and it is closed exactly when a result is recorded.
    assert monitors.count() == Letter.objects.filter(council=province, decision="forward").count()
    resolved = Letter.objects.filter(council=province, decision="forward", status=Letter.Status.RESOLVED)
    assert monitors.filter(state=Deadline.State.DONE).count() == resolved.count()
    # The office accepts no complaint itself: acceptance deadlines only on forwarded letters.
    assert not Deadline.objects.filter(kind=dl.COMPLAINT_ACCEPT, object_id__in=unforwarded,
                                       content_type=letters).exists()
    # The due dates are the service's (from the rules table and the portal calendar).
    for kind in ("complaint", "denunciation", "recommendation"):
        letter = Letter.objects.filter(council=province, decision="forward", kind=kind, accepted_on__isnull=True).first()
        if letter is None:
            continue
        row = monitors.get(object_id=letter.pk)
        assert (row.start_date, row.due_date) == (letter.decided_on, settlement_due(letter, letter.decided_on)[0])
    accepted = Letter.objects.filter(council=province, decision="forward", accepted_on__isnull=False).first()
    row = monitors.get(object_id=accepted.pk)
    assert row.due_date == settlement_due(accepted, accepted.accepted_on, accepted=True)[0]
    assert row.original_due_date == settlement_due(accepted, accepted.decided_on)[0]
    # canbo (the province's office) sees them on the council's deadlines page.
    url = reverse("notifications:council_deadlines") + f"?kind={dl.SETTLEMENT_MONITOR}"
    page = client_for(ctx.users["canbo"]).get(url)
    assert page.status_code == 200 and "Theo dõi, đôn đốc giải quyết" in page.content.decode()
