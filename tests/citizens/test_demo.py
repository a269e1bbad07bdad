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
