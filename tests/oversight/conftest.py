"""Factories for oversight tests."""

from datetime import date

import pytest

from hdnd_portal.core.models import Body
from oversight import services
from oversight.models import ConductingLevel, OversightActivity, QuestioningSession


@pytest.fixture(autouse=True)
def _rules_present(django_db_blocker):
    """Transactional tests (the browser test) flush the tables, rules included: put the shipped
    rules back (idempotent) so that every test sees the rules table the migrations create."""
    import importlib

    from hdnd_portal.core.models import Rule
    from hdnd_portal.core.rules_loader import load_default_rules

    with django_db_blocker.unblock():
        if not Rule.objects.filter(code="question.questionable_posts").exists():
            load_default_rules()
            migration = importlib.import_module("oversight.migrations.0003_questionable_posts_rule")
            from django.apps import apps

            migration.add_rule(apps, None)


@pytest.fixture
def standing(council, term):
    return Body.objects.create(council=council, term=term, kind=Body.Kind.STANDING, name="Thường trực HĐND")


@pytest.fixture
def make_activity(standing):
    def make(council=None, **kwargs):
        council = council or standing.council
        body = kwargs.pop("body", standing if council == standing.council else None)
        defaults = dict(
            council=council,
            topic="Giám sát công tác quản lý đất đai",
            start_date=date(2025, 5, 5),
            end_date=date(2025, 5, 30),
            conducting_level=ConductingLevel.STANDING if body else ConductingLevel.COUNCIL,
            body=body,
        )
        defaults.update(kwargs)
        agencies = defaults.pop("agencies", None)
        return services.activity_save(activity=OversightActivity(**defaults), agencies=agencies)

    return make


@pytest.fixture
def make_recommendation(make_activity, agency):
    def make(activity=None, **kwargs):
        activity = activity or make_activity()
        defaults = dict(
            activity=activity,
            agency=kwargs.pop("agency", agency),
            text="Hoàn thiện hồ sơ địa chính",
            issued_on=date(2025, 6, 5),
            deadline=date(2025, 9, 30),
        )
        defaults.update(kwargs)
        return services.recommendation_create(**defaults)

    return make


@pytest.fixture
def make_council_session(term):
    from sessions.models import CouncilSession

    counter = {"n": 20}

    def make(council=None, start=date(2025, 12, 8), **kwargs):
        council = council or term.council
        counter["n"] += 1
        return CouncilSession.objects.create(
            council=council,
            term=term if council == term.council else council.terms.first(),
            number=counter["n"],
            planned_start=start,
            planned_end=kwargs.pop("end", start),
            **kwargs,
        )

    return make


@pytest.fixture
def make_questioning(make_council_session):
    def make(council=None, held_on=date(2025, 7, 10), **kwargs):
        session = kwargs.pop("council_session", None) or make_council_session(council=council, start=held_on)
        qs = QuestioningSession(
            council=session.council, council_session=session, title="Phiên chất vấn kỳ họp", held_on=held_on, **kwargs
        )
        return services.questioning_session_save(questioning_session=qs)

    return make
