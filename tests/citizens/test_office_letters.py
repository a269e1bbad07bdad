"""Letters at a council office (issue #12): the office receives, classifies and forwards, guides or
files a letter — it does not accept (thụ lý) complaints outside its competence — and then monitors
and urges (theo dõi, đôn đốc) the competent agency's settlement. Each rule with its citation and
dates; the office's deadlines; denunciation extensions by complexity at their limits; the
second-round complaint window; the page, the API and the hostile cases."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from citizens import deadlines as dl
from citizens import services
from citizens.deadlines import deadlines_of
from citizens.models import Letter
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import CouncilRole, Deadline, Rule
from hdnd_portal.core.rules import RuleMissing, rule_for
from hdnd_portal.notifications.kinds import kind_label

pytestmark = pytest.mark.django_db

LKN, LTC = "Luật Khiếu nại 2011", "Luật Tố cáo 2018"


def deadline(letter, kind) -> Deadline:
    return next(d for d in deadlines_of(letter) if d.kind == kind)


def error_beside(html: str, field: str, message: str) -> bool:
    start = html.find(f'id="id_{field}"')
    end = html.find("<label", start)
    return start >= 0 and message in html[start : end if end > 0 else None]


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The rules, each with its citation and the dates it covers -----------------------------------


@pytest.mark.parametrize(
    ("code", "on", "value", "unit", "citation", "status", "effective_from", "effective_to"),
    [
        ("letter.office_handle_wd", date(2021, 11, 15), 10, "working_days", "Thông tư 07/2014/TT-TTCP",
         "unconfirmed", date(2014, 12, 1), date(2021, 11, 15)),
        ("letter.office_handle_wd", date(2021, 11, 16), 10, "working_days", "Thông tư 05/2021/TT-TTCP",
         "unconfirmed", date(2021, 11, 16), None),
        ("complaint.accept_days", date(2025, 3, 5), 10, "calendar_days", f"{LKN}, Điều 27", "law",
         date(2012, 7, 1), None),
        ("complaint.round1_days", date(2025, 3, 5), 30, "calendar_days", f"{LKN}, Điều 28", "law",
         date(2012, 7, 1), None),
        ("complaint.round1_complex_days", date(2025, 3, 5), 45, "calendar_days", f"{LKN}, Điều 28", "law",
         date(2012, 7, 1), None),
        ("complaint.round1_remote_days", date(2025, 3, 5), 45, "calendar_days", f"{LKN}, Điều 28", "law",
         date(2012, 7, 1), None),
        ("complaint.round1_remote_complex_days", date(2025, 3, 5), 60, "calendar_days", f"{LKN}, Điều 28", "law",
         date(2012, 7, 1), None),
        ("complaint.round2_window_days", date(2025, 3, 5), 30, "calendar_days", f"{LKN}, Điều 33", "law",
         date(2012, 7, 1), None),
        ("complaint.round2_window_remote_days", date(2025, 3, 5), 45, "calendar_days", f"{LKN}, Điều 33", "law",
         date(2012, 7, 1), None),
        ("denunciation.initial_wd", date(2025, 3, 5), 7, "working_days", f"{LTC}, Điều 24", "law",
         date(2019, 1, 1), None),
        ("denunciation.resolve_days", date(2025, 3, 5), 30, "calendar_days", f"{LTC}, Điều 30", "law",
         date(2019, 1, 1), None),
        ("denunciation.extension_days", date(2025, 3, 5), 30, "calendar_days", f"{LTC}, Điều 30", "law",
         date(2019, 1, 1), None),
        ("denunciation.extensions_complex", date(2025, 3, 5), 1, "count", f"{LTC}, Điều 30", "law",
         date(2019, 1, 1), None),
        ("denunciation.max_extensions", date(2025, 3, 5), 2, "count", f"{LTC}, Điều 30", "law",
         date(2019, 1, 1), None),
        ("letter.recommendation_resolve_days", date(2025, 3, 5), 30, "calendar_days", "Luật Tiếp công dân 2013",
         "unconfirmed", date(2014, 7, 1), None),
    ],
)
def test_each_rule_has_its_citation_and_dates(council, code, on, value, unit, citation, status, effective_from,
                                               effective_to):
    rule = rule_for(code, council, on)
    assert (rule.value, rule.unit, rule.status) == (Decimal(value), unit, status)
    assert citation in rule.citation
    assert (rule.effective_from, rule.effective_to) == (effective_from, effective_to)


def test_no_office_handling_rule_before_the_2014_circular(council):
    with pytest.raises(RuleMissing):
        rule_for("letter.office_handle_wd", council, date(2014, 11, 30))
    assert Rule.objects.filter(code="letter.office_handle_wd", council=None).count() == 2


def test_the_new_deadline_kinds_have_vietnamese_labels():
    with translation.override("vi"):
        assert kind_label(dl.SETTLEMENT_MONITOR) == "Theo dõi, đôn đốc giải quyết"
        assert kind_label(dl.OFFICE_HANDLE) == "Văn phòng phân loại, xử lý đơn"
        assert kind_label(dl.DENUNCIATION_RESOLVE) == "Giải quyết tố cáo"


# --- The office's handling deadline -----------------------------------------------------------------


def test_registering_a_letter_starts_the_office_handling_deadline(make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 3, 3))
    office = deadline(letter, dl.OFFICE_HANDLE)
    # Monday 03/03/2025 + 10 working days = Monday 17/03.
    assert (office.due_date, office.rule.code, office.responsible_agency) == (date(2025, 3, 17), "letter.office_handle_wd",
                                                                               None)
    services.letter_decide(letter=letter, decision="guide", decided_on=date(2025, 3, 5))
    assert deadline(letter, dl.OFFICE_HANDLE).state == Deadline.State.DONE
    assert dl.SETTLEMENT_MONITOR not in [d.kind for d in deadlines_of(letter)]


def test_registering_an_eligible_complaint_starts_only_the_office_handling_deadline(make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 3, 3), decision_known_on=date(2025, 2, 20))
    assert letter.is_eligible
    # The office receives and classifies; it does not accept (thụ lý) a complaint outside its competence.
    assert [(d.kind, d.state) for d in deadlines_of(letter)] == [(dl.OFFICE_HANDLE, Deadline.State.OPEN)]
    agency = make_agency()
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=agency)
    rows = {d.kind: d for d in deadlines_of(letter)}
    assert set(rows) == {dl.OFFICE_HANDLE, dl.COMPLAINT_ACCEPT, dl.SETTLEMENT_MONITOR}
    assert rows[dl.OFFICE_HANDLE].state == Deadline.State.DONE
    accept, monitor = rows[dl.COMPLAINT_ACCEPT], rows[dl.SETTLEMENT_MONITOR]
    # The agency's acceptance runs from the forwarding: 05/03 + 10 days = Saturday 15/03 → Monday 17/03.
    assert (accept.state, accept.start_date, accept.due_date, accept.original_due_date, accept.responsible_agency) == (
        Deadline.State.OPEN, date(2025, 3, 5), date(2025, 3, 17), date(2025, 3, 17), agency)
    assert (monitor.state, monitor.responsible_agency, monitor.due_date) == (Deadline.State.OPEN, None,
                                                                              date(2025, 4, 16))


def test_the_deadlines_pages_name_the_acceptance_as_the_competent_agencys():
    with translation.override("vi"):
        assert kind_label(dl.COMPLAINT_ACCEPT) == "Cơ quan có thẩm quyền thụ lý khiếu nại"


def _acceptance_at_registration(letter) -> Deadline:
    """The deadline registration started before this change (rule complaint.accept_days from receipt)."""
    return dl.register(subject=letter, kind=dl.COMPLAINT_ACCEPT, code="complaint.accept_days",
                       start=letter.received_on)


def test_the_migration_cancels_the_acceptance_deadlines_started_at_registration(make_letter, make_agency):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("citizens.migrations.0009_close_registration_acceptance_deadlines")
    waiting = make_letter(received_on=date(2025, 3, 3), subject="Chưa xử lý")
    guided = make_letter(received_on=date(2025, 3, 3), subject="Đã hướng dẫn", content="Nội dung khác hẳn")
    forwarded = make_letter(received_on=date(2025, 3, 3), subject="Đã chuyển", content="Một nội dung thứ ba")
    stale = _acceptance_at_registration(waiting)
    services.letter_decide(letter=guided, decision="guide", decided_on=date(2025, 3, 4))
    guided_stale = _acceptance_at_registration(guided)  # as if left open by an older version
    services.letter_decide(letter=forwarded, decision="forward", decided_on=date(2025, 3, 5),
                           forwarded_to=make_agency())
    agencys = deadline(forwarded, dl.COMPLAINT_ACCEPT)

    migration.close(apps, None)

    for row in (stale, guided_stale):
        row.refresh_from_db()
        assert row.state == Deadline.State.CANCELLED and "không thụ lý" in row.closed_reason
        assert row.completed_at is not None
        assert row.history.first().history_change_reason.startswith("Hủy thời hạn thụ lý")
    agencys.refresh_from_db()
    assert (agencys.state, agencys.closed_reason) == (Deadline.State.OPEN, "")  # the agency's stays

    # Forwarded later, the letter's acceptance deadline is the agency's, with nothing of the old row.
    agency = make_agency()
    services.letter_decide(letter=waiting, decision="forward", decided_on=date(2025, 3, 10), forwarded_to=agency)
    reopened = deadline(waiting, dl.COMPLAINT_ACCEPT)
    assert reopened.pk == stale.pk
    assert (reopened.state, reopened.closed_reason, reopened.responsible_agency) == (Deadline.State.OPEN, "", agency)
    # 10/03 + 10 days = Thursday 20/03/2025.
    assert (reopened.start_date, reopened.due_date, reopened.original_due_date) == (
        date(2025, 3, 10), date(2025, 3, 20), date(2025, 3, 20))


def test_a_denunciation_keeps_its_own_stricter_office_deadlines(denunciation):
    kinds = {d.kind for d in deadlines_of(denunciation)}
    assert dl.OFFICE_HANDLE not in kinds
    assert {dl.DENUNCIATION_INITIAL, dl.DENUNCIATION_FORWARD} <= kinds


# --- Monitoring the agency's settlement after forwarding ------------------------------------------


def test_forwarding_a_complaint_starts_the_monitoring_and_the_result_closes_it(make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 3, 3))
    agency = make_agency()
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=agency)
    assert deadline(letter, dl.OFFICE_HANDLE).state == Deadline.State.DONE
    monitor = deadline(letter, dl.SETTLEMENT_MONITOR)
    # 05/03 + 10 days to accept = Saturday 15/03 → Monday 17/03; + 30 days to settle = Wednesday 16/04/2025.
    assert (monitor.start_date, monitor.due_date, monitor.rule.code) == (
        date(2025, 3, 5), date(2025, 4, 16), "complaint.round1_days")
    # The office is responsible (the reminder scan tells its staff), not the agency.
    assert (monitor.responsible_agency, monitor.responsible_user, monitor.state) == (None, None, Deadline.State.OPEN)
    services.letter_accept(letter=letter, accepted_on=date(2025, 3, 10))
    # Accepted Monday 10/03 + 30 days = Wednesday 09/04: the monitoring follows the acceptance.
    assert deadline(letter, dl.SETTLEMENT_MONITOR).due_date == date(2025, 4, 9)
    services.letter_record_result(letter=letter, result_kind="rejected", result_date=date(2025, 4, 8))
    assert deadline(letter, dl.SETTLEMENT_MONITOR).state == Deadline.State.DONE


@pytest.mark.parametrize(
    ("complexity", "remote", "expected", "code"),
    [
        ("normal", False, date(2025, 4, 16), "complaint.round1_days"),
        ("complex", False, date(2025, 5, 2), "complaint.round1_complex_days"),
        ("normal", True, date(2025, 5, 2), "complaint.round1_remote_days"),
        ("very_complex", True, date(2025, 5, 16), "complaint.round1_remote_complex_days"),
    ],
)
def test_the_monitored_period_follows_complexity_and_area(make_letter, make_agency, complexity, remote, expected,
                                                          code):
    letter = make_letter(received_on=date(2025, 3, 3))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency(),
                           complexity=complexity, remote_area=remote)
    monitor = deadline(letter, dl.SETTLEMENT_MONITOR)
    assert (monitor.due_date, monitor.rule.code) == (expected, code)
    letter.refresh_from_db()
    assert (letter.complexity, letter.remote_area) == (complexity, remote)


def test_forwarding_a_denunciation_and_a_recommendation(denunciation, make_letter, make_agency):
    services.letter_decide(letter=denunciation, decision="forward", decided_on=date(2025, 3, 5),
                           forwarded_to=make_agency())
    # 7 working days to accept (Friday 14/03) + 30 days = Sunday 13/04/2025 → Monday 14/04.
    monitor = deadline(denunciation, dl.SETTLEMENT_MONITOR)
    assert (monitor.due_date, monitor.rule.code) == (date(2025, 4, 14), "denunciation.resolve_days")
    petition = make_letter(kind="recommendation", subject="Kiến nghị sửa đường", content="Đường hỏng")
    services.letter_decide(letter=petition, decision="forward", decided_on=date(2025, 3, 5),
                           forwarded_to=make_agency())
    monitor = deadline(petition, dl.SETTLEMENT_MONITOR)
    assert (monitor.due_date, monitor.rule.code) == (date(2025, 4, 4), "letter.recommendation_resolve_days")


# --- Denunciation extensions by complexity, at the limits ----------------------------------------------


@pytest.mark.parametrize(
    ("complexity", "allowed", "dues"),
    [
        ("normal", 0, []),
        ("complex", 1, [date(2025, 5, 9)]),
        # 09/05 + 30 days = Sunday 08/06/2025 → Monday 09/06.
        ("very_complex", 2, [date(2025, 5, 9), date(2025, 6, 9)]),
    ],
)
def test_extensions_allowed_by_complexity(denunciation, make_agency, complexity, allowed, dues):
    services.letter_decide(letter=denunciation, decision="forward", decided_on=date(2025, 3, 5),
                           forwarded_to=make_agency(), complexity=complexity)
    services.letter_accept(letter=denunciation, accepted_on=date(2025, 3, 10))
    assert services.extensions_allowed(denunciation, date(2025, 3, 10)) == allowed
    for due in dues:
        services.letter_extend(letter=denunciation, kind=dl.SETTLEMENT_MONITOR, legal_basis=f"{LTC}, Điều 30",
                               decision_number="05/QĐ-UBND")
        # The agency's deadline and the office's monitoring move together.
        assert deadline(denunciation, dl.DENUNCIATION_RESOLVE).due_date == due
        assert deadline(denunciation, dl.SETTLEMENT_MONITOR).due_date == due
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        services.letter_extend(letter=denunciation, legal_basis=f"{LTC}, Điều 30")
    assert refused.value.field == "kind"
    assert ("không được gia hạn" in refused.value.message) if allowed == 0 else (
        f"tối đa {allowed} lần" in refused.value.message)
    assert deadline(denunciation, dl.SETTLEMENT_MONITOR).due_date == (dues[-1] if dues else date(2025, 4, 9))
    assert deadline(denunciation, dl.DENUNCIATION_RESOLVE).extensions.count() == allowed


def test_the_extension_page_refuses_beside_the_field(staff_client, denunciation, make_agency):
    services.letter_decide(letter=denunciation, decision="forward", decided_on=date(2025, 3, 5),
                           forwarded_to=make_agency(), complexity="complex")
    url = reverse("citizens:letter_extend", args=[denunciation.pk])
    data = {"kind": dl.SETTLEMENT_MONITOR, "legal_basis": f"{LTC}, Điều 30"}
    assert staff_client.post(url, data | {"_version": denunciation.version}).status_code == 302
    denunciation.refresh_from_db()
    response = staff_client.post(url, data | {"_version": denunciation.version})
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "kind", "tối đa 1 lần")
    assert deadline(denunciation, dl.SETTLEMENT_MONITOR).extensions.count() == 1


# --- The second-round complaint window -------------------------------------------------------------------


@pytest.mark.parametrize(("remote", "until"), [(False, date(2025, 7, 2)), (True, date(2025, 7, 17))])
def test_the_second_round_window_runs_from_the_first_round_decision(make_letter, make_agency, remote, until):
    letter = make_letter(received_on=date(2025, 3, 3))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency(),
                           remote_area=remote)
    assert services.second_round_window(letter) is None
    services.letter_record_result(letter=letter, result_kind="rejected", result_date=date(2025, 6, 2))
    # Monday 02/06/2025 + 30 days = Wednesday 02/07; + 45 days (remote areas) = Thursday 17/07.
    day, rule = services.second_round_window(letter)
    assert (day, rule.code) == (until, "complaint.round2_window_remote_days" if remote else "complaint.round2_window_days")


# --- The letter page, the API and the hostile cases -------------------------------------------------------


def test_the_letter_page_shows_the_monitoring_and_the_window(staff_client, make_letter, make_agency,
                                                          django_assert_max_num_queries):
    letter = make_letter(received_on=date(2025, 3, 3))
    agency = make_agency("Ủy ban nhân dân quận Đống Đa")
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=agency)
    url = reverse("citizens:letter_detail", args=[letter.pk])
    with django_assert_max_num_queries(40):
        html = staff_client.get(url).content.decode()
    block = html[html.index('id="monitoring"'):]
    assert "Đang theo dõi, đôn đốc" in block and "Ủy ban nhân dân quận Đống Đa" in block and "16/04/2025" in block
    assert reverse("citizens:letter_result", args=[letter.pk]) in block
    assert "Ghi nhận cơ quan có thẩm quyền thụ lý" in html and "Ghi thụ lý" not in html
    result = reverse("citizens:letter_result", args=[letter.pk])
    response = staff_client.post(result, {"result_kind": "rejected", "result_date": "02/06/2025",
                                          "_version": Letter.objects.get(pk=letter.pk).version})
    assert response.status_code == 302
    html = staff_client.get(url).content.decode()
    assert "Đã kết thúc theo dõi" in html
    window = html[html.index('id="second-round-window"'):]
    assert "02/07/2025" in window and "Điều 33" in window


def test_the_office_is_not_offered_to_accept_an_unforwarded_complaint(staff_client, make_letter):
    letter = make_letter()
    html = staff_client.get(reverse("citizens:letter_detail", args=[letter.pk])).content.decode()
    assert reverse("citizens:letter_accept", args=[letter.pk]) not in html
    with translation.override("vi"):
        assert Letter.Decision.FORWARD.label == "Chuyển đơn đến cơ quan có thẩm quyền"
        assert str(Letter.Status.ACCEPTED.label) == "Cơ quan có thẩm quyền đã thụ lý"


def test_the_api_reports_the_monitoring_and_records_the_result(staff_user, make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 3, 3))
    agency = make_agency()
    client = api_for(staff_user)
    response = client.post(f"/api/citizens/letters/{letter.pk}/decide/", {
        "decision": "forward", "decided_on": "2025-03-05", "forwarded_to": agency.pk, "complexity": "complex",
        "version": letter.version}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["monitoring"]["due_date"] == "2025-05-02" and body["monitoring"]["agency"] == agency.pk
    assert body["monitoring"]["state"] == "open" and body["second_round_until"] is None
    # A result without the version is refused and nothing is saved.
    url = f"/api/citizens/letters/{letter.pk}/result/"
    assert client.post(url, {"result_kind": "rejected", "result_date": "2025-06-02"}, format="json").status_code == 400
    assert deadline(letter, dl.SETTLEMENT_MONITOR).state == Deadline.State.OPEN
    response = client.post(url, {"result_kind": "rejected", "result_date": "2025-06-02", "version": body["version"]},
                           format="json")
    assert response.status_code == 200
    assert response.json()["monitoring"]["state"] == "done"
    assert response.json()["second_round_until"] == "2025-07-02"
    assert Letter.history.filter(id=letter.pk, status=Letter.Status.RESOLVED).exists()


def test_another_councils_staff_cannot_record_the_result(make_user, other_council, make_letter, make_agency,
                                                         other_staff_client):
    letter = make_letter(received_on=date(2025, 3, 3))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency())
    letter.refresh_from_db()
    stranger = make_user("khac2", other_council, CouncilRole.Role.STAFF)
    response = api_for(stranger).post(f"/api/citizens/letters/{letter.pk}/result/", {
        "result_kind": "rejected", "result_date": "2025-06-02", "version": letter.version}, format="json")
    assert response.status_code == 404
    page = other_staff_client.post(reverse("citizens:letter_result", args=[letter.pk]), {
        "result_kind": "rejected", "result_date": "02/06/2025", "_version": letter.version})
    assert page.status_code in (403, 404)
    assert deadline(letter, dl.SETTLEMENT_MONITOR).state == Deadline.State.OPEN
    assert Letter.objects.get(pk=letter.pk).result_date is None


def test_a_page_action_without_the_version_saves_nothing(staff_client, make_letter, make_agency):
    letter = make_letter(received_on=date(2025, 3, 3))
    services.letter_decide(letter=letter, decision="forward", decided_on=date(2025, 3, 5), forwarded_to=make_agency())
    response = staff_client.post(reverse("citizens:letter_result", args=[letter.pk]),
                                 {"result_kind": "rejected", "result_date": "02/06/2025"})
    assert response.status_code == 200
    assert deadline(letter, dl.SETTLEMENT_MONITOR).state == Deadline.State.OPEN
