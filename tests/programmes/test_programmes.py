"""Programmes, briefings and their follow-up: progress derived from linked records, briefing
figures equal to the report's, briefing tasks as the assignees' deadlines, documents."""

from datetime import date

import pytest
import time_machine

from hdnd_portal.core.models import Deadline
from hdnd_portal.reports import sections
from oversight.models import ActivityKind, OversightActivity
from programmes import services
from programmes.models import BriefingTask, ProgrammeTask
from programmes.progress import annotate_done, overdue_q, task_progress

pytestmark = pytest.mark.django_db


def _activity(council, status, kind=ActivityKind.THEMATIC, start=date(2026, 2, 10), **kwargs):
    return OversightActivity.objects.create(council=council, topic="Giám sát quản lý đất đai", kind=kind,
                                            start_date=start, end_date=start.replace(day=25), status=status, **kwargs)


@time_machine.travel(date(2026, 8, 1))
def test_progress_follows_the_linked_oversight_activity_and_the_hand_entry_otherwise(council, make_programme, make_task):
    programme = make_programme()
    held = _activity(council, OversightActivity.Status.CONCLUDED, report_date=date(2026, 3, 5))
    planned = _activity(council, OversightActivity.Status.PLANNED)
    done_task = make_task(programme, links={"activities": [held]}, due_date=date(2026, 3, 31))
    late_task = make_task(programme, links={"activities": [planned]}, due_date=date(2026, 6, 30))
    by_hand = make_task(programme, due_date=date(2026, 5, 31), status=ProgrammeTask.Status.DONE,
                        completed_on=date(2026, 6, 10))
    open_task = make_task(programme, due_date=date(2026, 12, 31))

    assert (task_progress(done_task).state, task_progress(done_task).completed_on) == ("done_on_time", date(2026, 3, 5))
    assert task_progress(late_task).state == "overdue"
    assert task_progress(by_hand).state == "done_late"
    assert task_progress(open_task).state == "not_started"
    # The activity is held: the task follows, with no hand entry.
    OversightActivity.objects.filter(pk=planned.pk).update(status=OversightActivity.Status.REPORTED,
                                                           report_date=date(2026, 7, 20))
    late_task = ProgrammeTask.objects.get(pk=late_task.pk)
    assert (task_progress(late_task).state, task_progress(late_task).completed_on) == ("done_late", date(2026, 7, 20))
    # The SQL form of the rule agrees.
    rows = dict(annotate_done(ProgrammeTask.objects.all()).values_list("pk", "derived_done"))
    assert rows == {done_task.pk: True, late_task.pk: True, by_hand.pk: True, open_task.pk: False}
    assert not annotate_done(ProgrammeTask.objects.all()).filter(overdue_q()).exists()


def test_briefing_figures_equal_the_reports_for_the_same_councils_and_period(council, communes, make_briefing):
    _activity(council, OversightActivity.Status.CONCLUDED)
    _activity(communes[0], OversightActivity.Status.PLANNED, kind=ActivityKind.UNANNOUNCED)
    _activity(communes[0], OversightActivity.Status.CONCLUDED, kind=ActivityKind.REGULAR)
    _activity(communes[1], OversightActivity.Status.CONCLUDED, start=date(2026, 5, 2))  # next quarter
    briefing = make_briefing(communes[:2])
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    ids = [council.id, communes[0].id, communes[1].id]
    expected = sections.plain(sections.by_council(ids, start, end))
    figures = briefing.figures
    assert [c["key"] for c in figures["columns"]] == [c["key"] for c in expected["columns"]]
    rows = {r["council_id"]: r for r in figures["rows"]}
    for row in expected["rows"]:
        assert {k: rows[row["council_id"]][k] for k in row} == row
    assert figures["totals"] == expected["totals"]
    assert rows[communes[0].id]["oversight_activities"] == 2 and rows[communes[1].id]["oversight_activities"] == 0
    # Per level, the same as the report's own section computed over the councils below.
    oversight = sections.section_functions()["oversight"]
    below = oversight([communes[0].id, communes[1].id], start, end)["activities"]
    assert figures["levels"][1]["oversight_activities"] == below["total"] == 2
    assert figures["oversight_by_kind"][1]["total"] == below["total"]
    # And the report of the city with all its communes carries the same row per commune.
    report = sections.assemble(council, "quarterly", start, end, include_below=True)
    report_rows = {r["council_id"]: r for r in report["by_council"]["rows"]}
    assert report_rows[communes[0].id]["oversight_activities"] == rows[communes[0].id]["oversight_activities"]
    assert "programmes" in report["sections"]


def test_a_briefing_task_becomes_the_assignees_deadline_and_reaches_them(
    council, communes, commune_staff, make_briefing, client_for
):
    from hdnd_portal.notifications.models import Notification
    from hdnd_portal.notifications.services.scan import reminder_scan
    from tests.notifications.conftest import ensure_rules

    ensure_rules()
    briefing = make_briefing(communes[:2])
    task = services.briefing_task_save(task=BriefingTask(
        briefing=briefing, council=council, assignee_council=communes[0], assignee_user=commune_staff,
        title="Báo cáo kết quả giám sát kiến nghị cử tri", due_date=date(2026, 5, 20)))
    deadline = Deadline.objects.get(kind="briefing.task", object_id=task.pk)
    assert (deadline.council_id, deadline.responsible_user_id, deadline.due_date) == (
        communes[0].id, commune_staff.pk, date(2026, 5, 20))
    client = client_for(commune_staff)
    page = client.get("/notifications/deadlines/")
    assert page.status_code == 200 and "Báo cáo kết quả giám sát kiến nghị cử tri" in page.content.decode()
    reminder_scan(date(2026, 5, 18))
    assert Notification.objects.filter(deadline=deadline, user=commune_staff).exists()
    # The commune reports it done: the deadline is met.
    response = client.post(f"/programmes/assigned/{task.pk}/done/",
                           {"version": task.version, "completed_on": "19/05/2026", "result": "Đã gửi báo cáo"})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.DONE
    assert BriefingTask.objects.get(pk=task.pk).completed_on == date(2026, 5, 19)


def test_a_task_cannot_go_to_a_council_that_is_not_taking_part(council, communes, make_briefing, make_council):
    from hdnd_portal.core.exceptions import DomainError

    briefing = make_briefing(communes[:1])
    with pytest.raises(DomainError):
        services.briefing_task_save(task=BriefingTask(briefing=briefing, council=council, assignee_council=communes[2],
                                                      title="X", due_date=date(2026, 5, 1)))
    with pytest.raises(DomainError):
        make_briefing([make_council("Tỉnh khác")])


def test_report_section_counts_done_late_and_overdue(council, make_programme, make_task):
    from programmes.reports import section

    programme = make_programme()
    make_task(programme, due_date=date(2026, 2, 1), status="done", completed_on=date(2026, 1, 20))
    make_task(programme, due_date=date(2026, 2, 1), status="done", completed_on=date(2026, 2, 20))
    make_task(programme, due_date=date(2026, 3, 1))
    with time_machine.travel(date(2026, 4, 2)):
        data = section([council.id], date(2026, 1, 1), date(2026, 3, 31))
    assert (data["tasks_due"], data["tasks_done"], data["tasks_done_late"], data["tasks_overdue"]) == (3, 2, 1, 1)


def test_programme_pdf_and_word(council, make_programme, make_task, staff_client):
    programme = make_programme()
    make_task(programme, group="Công tác kỳ họp", lead_person="Thường trực HĐND")
    pdf = staff_client.get(f"/programmes/{programme.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    docx = staff_client.get(f"/programmes/{programme.pk}/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
