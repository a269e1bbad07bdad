"""Programmes, oversight activities, recommendations and their progress reports."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core import deadlines
from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Body, User
from hdnd_portal.core.rules import RuleMissing, date_before, due_date

from ..access import sees_item
from ..models import (
    ActivityKind,
    ConductingLevel,
    Evidence,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Recommendation,
    RecommendationReport,
)
from .common import EVIDENCE, check_constraints, checked_file, require_permission, require_text, same_council

CHANGE, REPORT_PERM, EVALUATE = "can_change_oversight", "can_report_oversight", "can_evaluate_recommendation"

PLAN_NOTICE, PROGRAMME_NOTICE, REPORT = "oversight.plan_notice", "oversight.programme_notice", "oversight.report"
RECOMMENDATION_DEADLINE = "recommendation.deadline"

_LEVEL_BODY_KIND = {
    ConductingLevel.STANDING: Body.Kind.STANDING,
    ConductingLevel.COMMITTEE: Body.Kind.COMMITTEE,
    ConductingLevel.GROUP: Body.Kind.GROUP,
}


def programme_save(*, programme: OversightProgramme) -> OversightProgramme:
    """Save a programme. Its adopting resolution is either a resolution recorded in the portal
    (same council; its number and date are copied) or, for one not in the portal, a number and date."""
    require_text(programme.title, "title", _("Give the programme a title."))
    if programme.resolution_id:
        resolution = programme.resolution
        same_council(resolution, programme.council_id, "resolution")
        programme.resolution_number = resolution.number
        programme.resolution_date = resolution.adopted_on
    if (
        OversightProgramme.objects.filter(council_id=programme.council_id, year=programme.year)
        .exclude(pk=programme.pk)
        .exists()
    ):
        raise DomainError(
            _("This council already has an oversight programme for %(year)s.") % {"year": programme.year}, field="year"
        )
    if programme.resolution_date and programme.resolution_date.year not in (programme.year, programme.year - 1):
        raise DomainError(
            _("The resolution should be adopted in the programme's year or the year before."),
            field="resolution" if programme.resolution_id else "resolution_date",
        )
    check_constraints(programme)
    programme.save()
    return programme


def _check_conductor(obj, council_id: int) -> None:
    level = obj.conducting_level
    body = obj.body
    same_council(body, council_id, "body")
    wanted = _LEVEL_BODY_KIND.get(level)
    if wanted is not None:
        if body is None:
            raise DomainError(_("Choose the body that conducts it."), field="body")
        if body.kind != wanted:
            raise DomainError(
                _("“%(body)s” is not a %(kind)s.") % {"body": body, "kind": Body.Kind(wanted).label}, field="body"
            )
    elif level == ConductingLevel.COUNCIL and body is not None:
        raise DomainError(_("Leave the body empty when the council itself conducts it."), field="body")


def topic_save(*, topic: PlannedTopic) -> PlannedTopic:
    require_text(topic.topic, "topic", _("State the topic."))
    topic.council_id = topic.programme.council_id
    check_constraints(topic)
    _check_conductor(topic, topic.council_id)
    if topic.period_start.year != topic.programme.year:
        raise DomainError(
            _("The planned period must start in the programme's year (%(year)s).") % {"year": topic.programme.year},
            field="period_start",
        )
    topic.save()
    return topic


def _register_activity_deadlines(activity: OversightActivity) -> None:
    council = activity.council
    announced = activity.kind != ActivityKind.UNANNOUNCED and activity.status != OversightActivity.Status.CANCELLED
    for kind, code, sent in (
        (PLAN_NOTICE, "oversight.plan_notice_days", activity.plan_sent_on),
        (PROGRAMME_NOTICE, "oversight.programme_notice_days", activity.programme_sent_on),
    ):
        if not announced:
            deadlines.deadline_complete(subject=activity, kind=kind, cancelled=True)
            continue
        try:
            due, rule = date_before(code, council, activity.start_date)
        except RuleMissing:
            continue
        label = _("Send the plan: %(topic)s") if kind == PLAN_NOTICE else _("Send the programme: %(topic)s")
        deadlines.deadline_set(
            subject=activity,
            council=council,
            kind=kind,
            title=label % {"topic": activity.topic},
            start_date=min(due, activity.start_date),
            due_date=due,
            rule=rule,
        )
        if sent:
            deadlines.deadline_complete(subject=activity, kind=kind)
    report_code = {
        ConductingLevel.STANDING: "oversight.report_days_standing",
        ConductingLevel.COUNCIL: "oversight.report_days_standing",
        ConductingLevel.COMMITTEE: "oversight.report_days_committee",
    }.get(activity.conducting_level)
    if report_code and activity.status != OversightActivity.Status.CANCELLED:
        try:
            due, rule = due_date(report_code, council, activity.end_date)
        except RuleMissing:
            return
        deadlines.deadline_set(
            subject=activity,
            council=council,
            kind=REPORT,
            title=_("Report on the oversight: %(topic)s") % {"topic": activity.topic},
            start_date=activity.end_date,
            due_date=due,
            rule=rule,
        )
        if activity.report_date:
            deadlines.deadline_complete(subject=activity, kind=REPORT)
    else:
        deadlines.deadline_complete(subject=activity, kind=REPORT, cancelled=True)


def activity_save(
    *, activity: OversightActivity, agencies=None, team_deputies=None, team_staff=None, user: User | None = None
) -> OversightActivity:
    """Create or update an activity with its supervised agencies and team; registers the plan
    and programme notice deadlines (rules oversight.plan_notice_days / programme_notice_days,
    counted back from the start) and the report deadline."""
    council_id = activity.council_id
    require_text(activity.topic, "topic", _("State the topic."))
    check_constraints(activity)
    _check_conductor(activity, council_id)
    same_council(activity.programme, council_id, "programme")
    same_council(activity.lead_deputy, council_id, "lead_deputy")
    if activity.conducting_level == ConductingLevel.DEPUTY and not activity.lead_deputy_id:
        raise DomainError(_("Choose the deputy who conducts it."), field="lead_deputy")
    if activity.planned_topic_id:
        same_council(activity.planned_topic, council_id, "planned_topic")
        if activity.programme_id is None:
            activity.programme_id = activity.planned_topic.programme_id
    if activity.kind == ActivityKind.FOLLOW_UP:
        if not activity.follows_id:
            raise DomainError(_("A follow-up oversight must name the earlier activity it follows."), field="follows")
        same_council(activity.follows, council_id, "follows")
        if activity.follows_id == activity.pk or activity.follows.start_date > activity.start_date:
            raise DomainError(_("The followed activity must be an earlier one."), field="follows")
    elif activity.follows_id:
        raise DomainError(_("Only a follow-up oversight follows an earlier activity."), field="follows")
    if activity.status == OversightActivity.Status.CONCLUDED and not activity.conclusion_date:
        raise DomainError(
            _("Enter the conclusion notice date to mark the activity concluded."), field="conclusion_date"
        )
    if activity.status == OversightActivity.Status.REPORTED and not activity.report_date:
        raise DomainError(_("Enter the report date to mark the activity reported."), field="report_date")
    for name, related in (("agencies", agencies), ("team_deputies", team_deputies), ("team_staff", team_staff)):
        if name == "team_staff":
            for member in related or ():
                if not member.council_roles.filter(council_id=council_id).exists():
                    raise DomainError(_("%(user)s has no role in this council.") % {"user": member}, field=name)
            continue
        for obj in related or ():
            same_council(obj, council_id, name)
    if activity.supervised_units is None and agencies:
        # The figure the reports count: by default one unit per supervised agency chosen.
        activity.supervised_units = len(list(agencies))
    if activity.supervised_units is not None and (
        isinstance(activity.supervised_units, bool) or not isinstance(activity.supervised_units, int)
        or not 1 <= activity.supervised_units <= 100_000
    ):
        raise DomainError(_("The number of supervised units must be a whole number from 1."), field="supervised_units")
    with transaction.atomic():
        activity.save()
        if agencies is not None:
            activity.agencies.set(agencies)
        if team_deputies is not None:
            activity.team_deputies.set(team_deputies)
        if team_staff is not None:
            activity.team_staff.set(team_staff)
        _register_activity_deadlines(activity)
    return activity


# --- Recommendations ------------------------------------------------------------------------


def recommendation_deadline(*, council, issued_on: date, is_complex: bool) -> date:
    code = "recommendation.followup_days_complex" if is_complex else "recommendation.followup_days"
    try:
        return due_date(code, council, issued_on)[0]
    except RuleMissing:
        raise DomainError(
            _("No follow-up rule is in force on %(date)s: set the deadline.")
            % {"date": issued_on.strftime("%d/%m/%Y")},
            field="deadline",
        ) from None


def _register_recommendation_deadline(rec: Recommendation) -> None:
    deadlines.deadline_set(
        subject=rec,
        council=rec.council,
        kind=RECOMMENDATION_DEADLINE,
        title=_("Recommendation to %(agency)s: %(text)s") % {"agency": rec.agency, "text": rec.text[:150]},
        start_date=rec.issued_on,
        due_date=rec.deadline,
        responsible_agency=rec.agency,
    )
    if rec.status == Recommendation.Status.DONE or rec.is_closed:
        deadlines.deadline_complete(subject=rec, kind=RECOMMENDATION_DEADLINE)


def _check_recommendation(rec: Recommendation) -> None:
    rec.text = require_text(rec.text, "text", _("State the recommendation."))
    same_council(rec.agency, rec.council_id, "agency")
    same_council(rec.activity, rec.council_id, "activity")
    if rec.deadline is None:
        rec.deadline = recommendation_deadline(council=rec.council, issued_on=rec.issued_on, is_complex=rec.is_complex)
    if rec.deadline < rec.issued_on:
        raise DomainError(
            _("The deadline cannot be before the recommendation was issued (%(date)s).")
            % {"date": rec.issued_on.strftime("%d/%m/%Y")},
            field="deadline",
        )
    check_constraints(rec)


def recommendation_create(
    *,
    activity: OversightActivity,
    agency: Agency,
    text: str,
    deadline: date | None = None,
    issued_on: date | None = None,
    is_complex: bool = False,
    field=None,
    needs_follow_up: bool = False,
) -> Recommendation:
    """A recommendation of `activity` addressed to one agency. Without a deadline, the deadline
    comes from rule recommendation.followup_days (…_complex when complex) from the issue date."""
    issued_on = issued_on or activity.conclusion_date or activity.end_date
    rec = Recommendation(
        council_id=activity.council_id,
        activity=activity,
        agency=agency,
        text=text,
        deadline=deadline,
        issued_on=issued_on,
        is_complex=is_complex,
        field=field or activity.field,
        needs_follow_up=needs_follow_up,
    )
    _check_recommendation(rec)
    with transaction.atomic():
        rec.save()
        _register_recommendation_deadline(rec)
    return rec


def recommendation_update(*, recommendation: Recommendation) -> Recommendation:
    _check_recommendation(recommendation)
    with transaction.atomic():
        recommendation.save()
        _register_recommendation_deadline(recommendation)
    return recommendation


def recommendation_report(
    *,
    recommendation: Recommendation,
    status: str,
    text: str,
    user: User | None,
    reported_on: date | None = None,
    on_behalf: bool = False,
    document_number: str = "",
    files=(),
) -> RecommendationReport:
    """Post a progress report (the agency, or staff from the agency's written report). The
    recommendation takes the reported status. Refused once the office has closed it.
    `user` needs can_report_oversight on the council and, unless they read all the council's
    oversight, to answer for the recommendation's agency; only staff who may change oversight
    enter a report on the agency's behalf. Every file passes the one upload check."""
    if user is not None:
        from hdnd_portal.core.scoping import get_access
        from hdnd_portal.core.writes import WriteDenied

        access = get_access(user)
        if not sees_item(access, recommendation.council_id, recommendation.agency_id):
            raise WriteDenied(_("This recommendation is addressed to another agency."), field="status")
        require_permission(user, recommendation.council_id, REPORT_PERM)
        on_behalf = bool(on_behalf) and access.has(recommendation.council_id, CHANGE)
    for uploaded in files:
        checked_file(uploaded, EVIDENCE, "evidence")
    reported_on = reported_on or timezone.localdate()
    text = require_text(text, "text", _("Describe what has been done."))
    if status not in Recommendation.Status.values or status == Recommendation.Status.NOT_STARTED:
        raise DomainError(_("Choose the status reached."), field="status")
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().select_related("council", "agency").get(pk=recommendation.pk)
        if rec.is_closed:
            raise DomainError(
                _("This recommendation was accepted as done on %(date)s and is closed; no further report is taken.")
                % {"date": rec.evaluated_on.strftime("%d/%m/%Y") if rec.evaluated_on else "—"},
                field="status",
            )
        if reported_on < rec.issued_on:
            raise DomainError(_("The report cannot be dated before the recommendation."), field="reported_on")
        report = RecommendationReport.objects.create(
            council_id=rec.council_id,
            recommendation=rec,
            reported_on=reported_on,
            status=status,
            text=text,
            document_number=document_number,
            on_behalf=on_behalf,
            posted_by=user,
        )
        for uploaded in files:
            if uploaded:
                Evidence.objects.create(
                    council_id=rec.council_id, report=report, file=uploaded, name=getattr(uploaded, "name", "tep")[:255]
                )
        rec.status = status
        rec.done_on = reported_on if status == Recommendation.Status.DONE else None
        if rec.evaluation == Recommendation.Evaluation.NOT_ACCEPTED:
            rec.evaluation = Recommendation.Evaluation.PENDING
        rec.save()
        _register_recommendation_deadline(rec)
    recommendation.refresh_from_db()
    return report


def recommendation_evaluate(
    *,
    recommendation: Recommendation,
    accepted: bool,
    note: str = "",
    user: User | None = None,
    needs_follow_up: bool | None = None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Recommendation:
    """The office's evaluation. Accepting closes the recommendation as done; not accepting sends
    a recommendation reported done back to "in progress" and reopens its deadline. A user's
    evaluation needs can_evaluate_recommendation and names the version it was made on."""
    require_permission(user, recommendation.council_id, EVALUATE)
    on = on or timezone.localdate()
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().select_related("council", "agency").get(pk=recommendation.pk)
        if user is not None or expected_version is not None:
            check_and_bump(rec, expected_version)
        if rec.is_closed:
            raise DomainError(_("This recommendation is already accepted and closed."), field="accepted")
        if accepted:
            if not rec.reports.exists():
                raise DomainError(_("No progress report has been received yet."), field="accepted")
            rec.evaluation = Recommendation.Evaluation.ACCEPTED
            rec.status = Recommendation.Status.DONE
            rec.done_on = rec.done_on or on
        else:
            note = require_text(note, "note", _("Say why the report is not accepted."))
            rec.evaluation = Recommendation.Evaluation.NOT_ACCEPTED
            if rec.status == Recommendation.Status.DONE:
                rec.status = Recommendation.Status.IN_PROGRESS
                rec.done_on = None
        rec.evaluation_note = note
        rec.evaluated_on = on
        rec.evaluated_by = user
        if needs_follow_up is not None:
            rec.needs_follow_up = needs_follow_up
        rec.save()
        _register_recommendation_deadline(rec)
    recommendation.refresh_from_db()
    return recommendation
