"""The number of SQL queries of every list does not grow with the rows (10 rows and 60 rows
run under the same bound)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from oversight import services
from oversight.models import ConfidenceVote, ExplanationSession, OversightProgramme, Post, QuestioningSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def fill(council, agency, make_activity, make_recommendation, make_deputy, make_council_session, term):
    deputy = make_deputy(council, "Đỗ Văn Long")
    session = make_council_session(start=date(2026, 12, 8))

    def make(n: int):
        for i in range(n):
            start = date(2025, 1, 1) + timedelta(days=i)
            activity = make_activity(
                start_date=start, end_date=start + timedelta(days=3), agencies=[agency], topic=f"Giám sát số {i}"
            )
            activity.team_deputies.add(deputy)
            make_recommendation(
                activity=activity, issued_on=start + timedelta(days=5), deadline=start + timedelta(days=30)
            )
            services.commitment_create(
                council=council,
                agency=agency,
                official_name="Lê Văn Cường",
                official_title="Giám đốc",
                text=f"Cam kết {i}",
                made_on=start,
                deadline=start + timedelta(days=60),
                deputies=[deputy],
            )
            qs = services.questioning_session_save(
                questioning_session=QuestioningSession(
                    council=council, venue="standing_meeting", title=f"Phiên {i}", held_on=start
                )
            )
            respondent = services.respondent_add(
                questioning_session=qs, official_name="Lê Văn Cường", post=Post.DEPARTMENT_HEAD, agency=agency
            )
            services.question_ask(questioning_session=qs, deputy=deputy, respondent=respondent, text="Hỏi")
            services.explanation_save(
                explanation=ExplanationSession(
                    council=council, topic=f"Giải trình {i}", agency=agency, officials="A", held_on=start
                )
            )
            services.programme_save(programme=OversightProgramme(council=council, year=1990 + i, title=f"CT {i}"))
            # Rows only (the law allows one vote a term; the bound is about rows in the list).
            ConfidenceVote.objects.create(
                council=council, title=f"Phiếu {i}", held_on=start, total_deputies=30, ballots_issued=30,
                ballots_returned=29,
            )
        return session

    return make


PAGES = [
    "programme_list",
    "activity_list",
    "recommendation_list",
    "questioning_list",
    "explanation_list",
    "commitment_list",
    "requestioning",
    "confidence_list",
    "deputy_list",
]
ENDPOINTS = [
    "programmes",
    "activities",
    "recommendations",
    "questioning-sessions",
    "explanation-sessions",
    "commitments",
    "confidence-votes",
    "questions",
    "respondents",
]


def _counts(client, api, django_assert_max_num_queries, bound: int):
    for name in PAGES:
        with django_assert_max_num_queries(bound, info=name):
            assert client.get(reverse(f"oversight:{name}")).status_code == 200
    for endpoint in ENDPOINTS:
        with django_assert_max_num_queries(bound, info=endpoint):
            assert api.get(f"/api/oversight/{endpoint}/").status_code == 200


@pytest.mark.parametrize("rows", [10, 60])
def test_list_queries_do_not_grow_with_rows(rows, fill, staff_client, staff_user, django_assert_max_num_queries):
    fill(rows)
    api = APIClient()
    api.force_authenticate(staff_user)
    _counts(staff_client, api, django_assert_max_num_queries, bound=22)


@pytest.mark.parametrize("rows", [10, 60])
def test_responder_lists_do_not_grow_with_rows(rows, fill, responder_client, django_assert_max_num_queries):
    fill(rows)
    for name in ["recommendation_list", "commitment_list", "requestioning"]:
        with django_assert_max_num_queries(22, info=name):
            response = responder_client.get(reverse(f"oversight:{name}"))
            assert response.status_code == 200
            assert len(response.context["object_list"]) == min(rows, 50) or name == "requestioning"
