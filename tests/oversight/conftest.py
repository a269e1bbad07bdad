"""Factories for oversight tests."""

from datetime import date

import pytest

from hdnd_portal.core.models import Agency, Body
from oversight import services
from oversight.models import (
    ConductingLevel,
    ConfidenceSubject,
    ConfidenceVote,
    ExplanationSession,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Post,
    QuestioningSession,
)


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


def seat_deputies(council, total: int, on=date(2021, 6, 25)) -> None:
    """Make `total` deputies of the council's first term sit from `on` (the confidence vote counts them)."""
    from hdnd_portal.core.models import Deputy, Term

    term = Term.objects.filter(council=council).first() or Term.objects.create(
        council=council, numeral="XVI", start_year=2021, end_year=2026, is_current=True
    )
    sitting = Deputy.objects.filter(council=council).count()
    Deputy.objects.bulk_create(
        Deputy(council=council, term=term, full_name=f"Đại biểu {i}", start_date=on) for i in range(sitting, total)
    )


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


@pytest.fixture
def world(council, agency, make_activity, make_recommendation, make_questioning, make_deputy, standing):
    programme = services.programme_save(
        programme=OversightProgramme(council=council, year=2025, title="Chương trình giám sát năm 2025")
    )
    topic = services.topic_save(
        topic=PlannedTopic(
            programme=programme,
            topic="Quản lý đất đai",
            body=standing,
            period_start=date(2025, 5, 1),
            period_end=date(2025, 6, 30),
        )
    )
    activity = make_activity(planned_topic=topic, agencies=[agency])
    rec = make_recommendation(activity=activity)
    other_agency = Agency.objects.create(council=council, name="Sở Y tế", short_name="SYT")
    other_rec = make_recommendation(activity=activity, agency=other_agency, text="Kiến nghị cho Sở Y tế")
    qs = make_questioning()
    respondent = services.respondent_add(
        questioning_session=qs, official_name="Lê Văn Cường", post=Post.DEPARTMENT_HEAD, agency=agency
    )
    deputy = make_deputy(council, "Phạm Văn Dũng")
    question = services.question_ask(questioning_session=qs, deputy=deputy, respondent=respondent, text="Vì sao chậm?")
    explanation = services.explanation_save(
        explanation=ExplanationSession(
            council=council,
            topic="Giải trình về rác thải",
            agency=agency,
            officials="Lê Văn Cường — Giám đốc",
            held_on=date(2025, 8, 1),
        )
    )
    commitment = services.commitment_create(
        council=council,
        agency=agency,
        official_name="Lê Văn Cường",
        official_title="Giám đốc",
        text="Hoàn thành trong quý IV",
        made_on=date(2025, 7, 10),
        deadline=date(2025, 12, 31),
        source=question,
        deputies=[deputy],
    )
    milestone = services.commitment_milestone_add(
        commitment=commitment, title="Phê duyệt dự án", due_date=date(2025, 9, 30)
    )
    other_commitment = services.commitment_create(
        council=council,
        agency=other_agency,
        official_name="Trần Thị Hoa",
        official_title="Giám đốc",
        text="Cam kết của Sở Y tế",
        made_on=date(2025, 7, 10),
        deadline=None,
    )
    seat_deputies(council, 30)
    vote = services.confidence_vote_save(
        vote=ConfidenceVote(
            council=council,
            title="Lấy phiếu tín nhiệm 2023",
            held_on=date(2023, 12, 8),
            ballots_issued=30,
            ballots_returned=30,
        )
    )
    subject = services.confidence_subject_save(
        subject=ConfidenceSubject(
            vote=vote, full_name="Nguyễn Văn Hùng", post="Chủ tịch UBND", valid_ballots=30, high=20, confidence=8, low=2
        )
    )
    return dict(
        programme=programme,
        topic=topic,
        activity=activity,
        rec=rec,
        other_rec=other_rec,
        qs=qs,
        question=question,
        explanation=explanation,
        commitment=commitment,
        other_commitment=other_commitment,
        milestone=milestone,
        vote=vote,
        subject=subject,
        deputy=deputy,
    )
