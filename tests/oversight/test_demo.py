from datetime import date

import pytest
import time_machine

from hdnd_portal.core.demo import seed_core
from hdnd_portal.core.models import Deadline
from oversight import demo
from oversight.models import Commitment, OversightActivity, QuestioningSession, Recommendation


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 24))
def test_the_demo_has_a_yearly_oversight_of_the_expected_size():
    ctx = seed_core(scale=False)
    demo.populate(ctx)
    province = ctx.province.council
    years = len([y for y in ctx.years if y <= 2026])
    activities = OversightActivity.objects.filter(
        council=province, kind__in=["thematic", "survey", "regular", "unannounced"]
    )
    assert activities.count() == 37 * years
    assert Recommendation.objects.filter(council=province).count() == 100 * years
    assert QuestioningSession.objects.filter(council=province).count() == 2 * years - 1  # the term opened mid-2021
    assert 25 * years <= Commitment.objects.filter(council=province).count() <= 30 * years
    commune = ctx.communes[0].council
    assert Recommendation.objects.filter(council=commune).count() == 10 * years
    assert Deadline.objects.filter(kind="recommendation.deadline").count() == Recommendation.objects.count()
    assert Recommendation.objects.exclude(search_text="").count() == Recommendation.objects.count()


@pytest.mark.django_db
def test_the_report_section_counts_in_a_few_queries(council, make_recommendation, django_assert_max_num_queries):
    from oversight.reports import section

    make_recommendation(deadline=date(2025, 6, 30))
    make_recommendation(deadline=date(2026, 6, 30))
    with django_assert_max_num_queries(12):
        figures = section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    assert figures["recommendations"]["made"] == 2
    assert figures["activities"]["total"] == 2
