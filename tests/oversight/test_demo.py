from datetime import date

import pytest
import time_machine

from hdnd_portal.core.demo import seed_core
from hdnd_portal.core.models import Deadline
from oversight import demo, services
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


@pytest.mark.django_db
def test_the_report_counts_activities_by_conducting_body_and_questioning_by_venue(
    council, make_activity, make_questioning, django_assert_max_num_queries
):
    """The seeds' "Thường trực HĐND tổ chức 04 cuộc khảo sát chuyên đề; các Ban 03 cuộc giám sát",
    with the units supervised, and questioning at sessions / at standing-committee meetings."""
    from oversight.models import ActivityKind, ConductingLevel
    from oversight.reports import section

    for _i in range(4):
        make_activity(kind=ActivityKind.SURVEY, supervised_units=2)  # the standing committee's surveys
    for _i in range(3):
        make_activity(body=None, conducting_level=ConductingLevel.COUNCIL, supervised_units=5)
    make_activity(body=None, conducting_level=ConductingLevel.COUNCIL, start_date=date(2024, 5, 5))  # last year
    make_questioning(held_on=date(2025, 7, 10))
    services.questioning_session_save(questioning_session=QuestioningSession(
        council=council, title="Chất vấn tại phiên họp Thường trực", held_on=date(2025, 9, 10),
        venue=QuestioningSession.Venue.STANDING_MEETING,
    ))
    with django_assert_max_num_queries(12):
        figures = section([council.id], date(2025, 1, 1), date(2025, 12, 31))
    by_body = {r["key"]: r for r in figures["activities"]["by_body"]}
    assert (by_body["standing"]["count"], by_body["standing"]["surveys"], by_body["standing"]["oversight"]) == (4, 4, 0)
    assert (by_body["council"]["count"], by_body["council"]["supervised_units"]) == (3, 15)
    assert by_body["standing"]["label"] == "Thường trực HĐND"
    assert figures["activities"]["supervised_units"] == 4 * 2 + 3 * 5
    q = figures["questioning"]
    assert (q["sessions"], q["at_council_session"], q["at_standing_meeting"]) == (2, 1, 1)
