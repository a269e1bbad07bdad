from datetime import date
from decimal import Decimal

import pytest

from hdnd_portal.core.models import Rule
from hdnd_portal.core.rules import RuleMissing, due_date, rule_for, rule_value


def test_default_rules_are_loaded_with_citations(db):
    rule = rule_for("complaint.limitation_days", None, date(2024, 5, 1))
    assert rule.value == 90 and "Luật Khiếu nại" in rule.citation
    assert Rule.objects.filter(citation="").count() == 0


def test_rule_in_force_on_the_records_own_date(db):
    Rule.objects.create(code="x.days", name="x", value=10, unit="calendar_days", citation="Luật cũ",
                        effective_from=date(2016, 1, 1))
    Rule.objects.create(code="x.days", name="x", value=15, unit="calendar_days", citation="Luật mới 2026",
                        effective_from=date(2026, 3, 1))
    assert rule_value("x.days", None, date(2026, 2, 28)) == 10
    assert rule_value("x.days", None, date(2026, 3, 1)) == 15
    with pytest.raises(RuleMissing):
        rule_value("x.days", None, date(2015, 12, 31))


def test_council_override_beats_national_rule_and_reaches_the_councils_below(council, commune, other_council):
    Rule.objects.create(code="petition.response_wd", name="override", value=20, unit="working_days",
                        citation="Quy chế HĐND Thành phố", effective_from=date(2022, 1, 1), council=council)
    on = date(2024, 6, 3)
    assert rule_value("petition.response_wd", council, on) == 20
    assert rule_value("petition.response_wd", commune, on) == 20
    assert rule_value("petition.response_wd", other_council, on) == Decimal(30)


def test_due_date_in_working_days_uses_the_holiday_calendar(db):
    due, rule = due_date("reception.answer_wd", None, date(2026, 2, 13))
    assert rule.unit == Rule.Unit.WORKING_DAYS
    assert due == date(2026, 3, 6)


def test_rules_for_days_is_rule_for_on_each_day_in_one_query(council, commune, django_assert_num_queries):
    from hdnd_portal.core.rules import rules_for_days

    Rule.objects.create(code="x.frac", name="x", value=Decimal("0.5"), unit="fraction", citation="Luật cũ",
                        effective_from=date(2016, 1, 1), effective_to=date(2026, 12, 9))
    Rule.objects.create(code="x.frac", name="x", value=Decimal("0.6667"), unit="fraction", citation="Luật mới",
                        effective_from=date(2026, 12, 10))
    Rule.objects.create(code="x.frac", name="x", value=Decimal("0.75"), unit="fraction", citation="Quy chế",
                        effective_from=date(2026, 12, 11), council=council)
    days = [date(2015, 12, 31), date(2026, 12, 9), date(2026, 12, 10), date(2026, 12, 11)]
    commune = type(commune).objects.select_related("parent").get(pk=commune.pk)
    with django_assert_num_queries(1):
        found = rules_for_days("x.frac", commune, days)
    assert date(2015, 12, 31) not in found  # no rule then: left out, as rule_for raises RuleMissing
    assert {day: rule.value for day, rule in found.items()} == {
        day: rule_for("x.frac", commune, day).value for day in days[1:]}
    assert [found[day].value for day in days[1:]] == [Decimal("0.5"), Decimal("0.6667"), Decimal("0.75")]
