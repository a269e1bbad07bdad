"""Bounded SQL: every list (page, export, API) needs the same number of queries at 10 and 60 rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from citizens import services
from citizens.models import ReceptionDay, ReceptionSchedule

pytestmark = pytest.mark.django_db

BOUND = 22


def populate(council, agency, make_deputy, n):
    deputy = make_deputy(council, f"Đại biểu {n}")
    for i in range(n):
        schedule = services.schedule_save(
            schedule=ReceptionSchedule(
                council=council,
                title=f"Lịch {i}",
                receiver_kind="deputies",
                location="Lê Lai",
                valid_from=date(2025, 1, 1) + timedelta(days=i),
            ),
            receivers=[deputy],
        )
        day = ReceptionDay.objects.create(
            council=council, schedule=schedule, date=date(2025, 1, 2) + timedelta(days=i), location="Trụ sở"
        )
        day.receivers.add(deputy)
        kind = ("complaint", "denunciation", "recommendation")[i % 3]
        visit = services.visit_create(
            day=day,
            kind=kind,
            citizens=[{"full_name": f"Công dân {i}", "address": "HN"}, {"full_name": f"Người {i}"}],
            content=f"Nội dung số {i}",
            outcome="letter",
            new_case_title=f"Vụ việc {i}",
        )
        letter = services.letter_register(
            council=council,
            received_on=date(2025, 1, 2) + timedelta(days=i),
            channel="post",
            kind=kind,
            subject=f"Đơn số {i} về việc riêng {i}",
            content=f"nội dung {i} khác biệt {i * 7}",
            senders=[{"full_name": f"Người gửi {i}"}, {"full_name": f"Người ký {i}"}],
            case=visit.case,
            visit=visit,
            letter_date=date(2025, 1, 1),
            respondent_agency=agency,
        )
        if i % 2:
            services.letter_decide(
                letter=letter, decision="forward", decided_on=letter.received_on, forwarded_to=agency
            )


LISTS = ["schedule_list", "day_list", "visit_list", "case_list", "letter_list", "identity_log"]


def measure(client, api, django_assert_max_num_queries):
    for name in LISTS:
        url = reverse(f"citizens:{name}")
        for params in ("", "?export=xlsx", "?q=noi+dung&sort=-received_on" if name == "letter_list" else "?page=1"):
            with django_assert_max_num_queries(BOUND):
                assert client.get(url + params).status_code == 200
    for path in ("schedules", "days", "visits", "cases", "letters"):
        with django_assert_max_num_queries(BOUND):
            assert api.get(f"/api/citizens/{path}/").status_code == 200
    with django_assert_max_num_queries(BOUND):
        client.get(reverse("citizens:statistics"))


@pytest.mark.parametrize("rows", [10, 60])
def test_lists_need_a_bounded_number_of_queries(
    rows, council, agency, make_deputy, make_user, client_for, django_assert_max_num_queries
):
    from hdnd_portal.core.models import CouncilRole

    populate(council, agency, make_deputy, rows)
    user = make_user("quantri2", council, CouncilRole.Role.ADMIN)
    api = APIClient()
    api.force_authenticate(user)
    measure(client_for(user), api, django_assert_max_num_queries)


def test_the_visit_list_reads_no_deadlines(council, agency, make_deputy, make_user, client_for):
    """The reception log shows a visit's answer and its due date from the visit's own columns. It
    once carried an unused "answer open" EXISTS over core.Deadline, which PostgreSQL ran as one hashed
    subplan over every open visit deadline of the listed councils (3.8 of the page's 25 ms with
    the city's councils below): its queries read no deadline, page and API."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hdnd_portal.core.models import CouncilRole

    populate(council, agency, make_deputy, 2)
    user = make_user("quantri3", council, CouncilRole.Role.ADMIN)
    api = APIClient()
    api.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        page = client_for(user).get(reverse("citizens:visit_list"))
    assert "Nội dung số 1" in page.content.decode()
    assert not [q["sql"] for q in queries if "core_deadline" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        listed = api.get("/api/citizens/visits/")
    assert listed.data["count"] == 2
    assert not [q["sql"] for q in queries if "core_deadline" in q["sql"]]
