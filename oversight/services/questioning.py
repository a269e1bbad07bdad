"""Questioning and explanation sessions, and the reports respondents owe before a session."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core import deadlines
from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Agency, Deputy
from hdnd_portal.core.rules import RuleMissing, date_before, due_date, rule_for
from hdnd_portal.core.scoping import council_and_below, get_access

from ..models import (
    QUESTIONABLE_POSTS,
    Commitment,
    ExplanationSession,
    IssueGroup,
    Post,
    Question,
    QuestioningSession,
    Respondent,
    RespondentReport,
)
from .common import DOCUMENTS, check_constraints, checked_file, require_permission, require_text, same_council

WRITTEN_ANSWER = "question.written_answer"
EXPLANATION_NOTICE = "explanation.notice"
REPORT_BEFORE_SESSION = "question.report_before_session"


def questioning_session_save(*, questioning_session: QuestioningSession) -> QuestioningSession:
    qs = questioning_session
    require_text(qs.title, "title", _("Give the session a title."))
    same_council(qs.council_session, qs.council_id, "council_session")
    if qs.venue == QuestioningSession.Venue.COUNCIL_SESSION and not qs.council_session_id:
        raise DomainError(_("Choose the council session where the questioning takes place."), field="council_session")
    if qs.venue == QuestioningSession.Venue.STANDING_MEETING and qs.council_session_id:
        raise DomainError(
            _("A standing-committee meeting is not a council session: leave it empty."), field="council_session"
        )
    if qs.status == QuestioningSession.Status.CONCLUDED and not (qs.conclusion_kind and qs.conclusion_date):
        raise DomainError(
            _("Enter the questioning resolution or conclusion notice and its date."), field="conclusion_date"
        )
    if qs.conclusion_date and qs.conclusion_date < qs.held_on:
        raise DomainError(_("The conclusion cannot be dated before the session."), field="conclusion_date")
    check_constraints(qs)
    qs.save()
    return qs


def issue_group_add(
    *, questioning_session: QuestioningSession, title: str, field=None, order: int | None = None
) -> IssueGroup:
    title = require_text(title, "title", _("Name the issue group."))
    if order is None:
        order = questioning_session.groups.count() + 1
    return IssueGroup.objects.create(
        council_id=questioning_session.council_id,
        questioning_session=questioning_session,
        title=title,
        field=field,
        order=order,
    )


def questionable_rule_citation(council, on: date) -> str:
    try:
        return rule_for("question.questionable_posts", council, on).citation
    except RuleMissing:
        return "Luật Tổ chức chính quyền địa phương 2015, Điều 96"


def respondent_agency_check(*, questioning_session: QuestioningSession, agency: Agency | None, user=None) -> None:
    """The respondent's agency belongs to the questioning council or to a council below it (a
    commune chairman answers at a district session: the seeds report it), and, for a user, to a
    council that user can see — a user never points at another council's records by id."""
    if agency is None:
        raise DomainError(_("Choose the agency."), field="agency")
    if agency.council_id != questioning_session.council_id:
        if agency.council_id not in council_and_below(questioning_session.council):
            raise DomainError(
                _("The respondent's agency must belong to this council or to a council below it."), field="agency"
            )
    if user is not None and not user.is_superuser:
        visible = get_access(user).visible_council_ids()
        if visible is not None and agency.council_id not in visible:
            raise DomainError(_("The respondent's agency must belong to this council or to a council below it."),
                              field="agency")


def respondent_add(
    *,
    questioning_session: QuestioningSession,
    official_name: str,
    post: str,
    agency: Agency,
    official_title: str = "",
    user=None,
) -> Respondent:
    """Add a person to be questioned. Only the posts the law allows may be questioned; others
    are refused citing the rule (question.questionable_posts). The person may hold a post at a
    lower level (respondent_agency_check). A user needs can_change_oversight on the council."""
    require_permission(user, questioning_session.council_id, "can_change_oversight")
    official_name = require_text(official_name, "official_name", _("Name the person questioned."))
    if post not in Post.values:
        raise DomainError(_("Choose the post."), field="post")
    if post not in QUESTIONABLE_POSTS:
        allowed = ", ".join(str(Post(p).label) for p in QUESTIONABLE_POSTS)
        raise DomainError(
            _("A %(post)s may not be questioned. Under %(citation)s deputies question only: %(allowed)s.")
            % {
                "post": Post(post).label,
                "citation": questionable_rule_citation(questioning_session.council, questioning_session.held_on),
                "allowed": allowed,
            },
            field="post",
        )
    respondent_agency_check(questioning_session=questioning_session, agency=agency, user=user)
    return Respondent.objects.create(
        council_id=questioning_session.council_id,
        questioning_session=questioning_session,
        official_name=official_name,
        post=post,
        official_title=(official_title or "").strip(),
        agency=agency,
    )


def _register_written_answer(question: Question) -> None:
    if question.answer_mode == Question.AnswerMode.WRITTEN:
        due, rule = due_date("question.written_answer_days", question.council, question.asked_on)
        question.written_due = due
        question.save(update_fields=["written_due", "updated_at"])
        deadlines.deadline_set(
            subject=question,
            council=question.council,
            kind=WRITTEN_ANSWER,
            title=_("Written answer to %(deputy)s: %(text)s")
            % {"deputy": question.deputy, "text": question.text[:150]},
            start_date=question.asked_on,
            due_date=due,
            rule=rule,
            responsible_agency=question.respondent.agency,
        )
        if question.answered_on:
            deadlines.deadline_complete(subject=question, kind=WRITTEN_ANSWER)
    else:
        if question.written_due:
            question.written_due = None
            question.save(update_fields=["written_due", "updated_at"])
        deadlines.deadline_complete(subject=question, kind=WRITTEN_ANSWER, cancelled=True)


def question_ask(
    *,
    questioning_session: QuestioningSession,
    deputy: Deputy,
    respondent: Respondent,
    text: str,
    issue_group: IssueGroup | None = None,
    form: str = Question.Form.ORAL,
    answer_mode: str = Question.AnswerMode.IN_SESSION,
    asked_on: date | None = None,
    requestion_of: Question | None = None,
) -> Question:
    """A deputy's question to a respondent. Written answers are due within the rule
    question.written_answer_days (20 days) of the questioning, tracked in core.deadlines."""
    text = require_text(text, "text", _("Write the question."))
    council_id = questioning_session.council_id
    same_council(deputy, council_id, "deputy")
    if respondent.questioning_session_id != questioning_session.pk:
        raise DomainError(_("The respondent is not questioned in this session."), field="respondent")
    if issue_group is not None and issue_group.questioning_session_id != questioning_session.pk:
        raise DomainError(_("The issue group belongs to another questioning session."), field="issue_group")
    asked_on = asked_on or questioning_session.held_on
    if requestion_of is not None:
        same_council(requestion_of, council_id, "requestion_of")
        if requestion_of.asked_on > asked_on:
            raise DomainError(_("Re-questioning follows an earlier question."), field="requestion_of")
    question = Question(
        council_id=council_id,
        questioning_session=questioning_session,
        deputy=deputy,
        respondent=respondent,
        text=text,
        issue_group=issue_group,
        form=form,
        answer_mode=answer_mode,
        asked_on=asked_on,
        requestion_of=requestion_of,
    )
    with transaction.atomic():
        question.save()
        _register_written_answer(question)
    return question


def question_answer(
    *,
    question: Question,
    answer_text: str,
    answered_on: date | None = None,
    answer_mode: str | None = None,
    answer_file=None,
    user=None,
    expected_version: int | None = None,
) -> Question:
    """Record the answer to a question. A user needs can_change_oversight on the council and
    names the version of the question the answer was written on."""
    require_permission(user, question.council_id, "can_change_oversight")
    answer_text = require_text(answer_text, "answer_text", _("Write the answer."))
    if answer_mode and answer_mode not in Question.AnswerMode.values:
        raise DomainError(_("Choose how the question is answered."), field="answer_mode")
    answered_on = answered_on or timezone.localdate()
    if answered_on < question.asked_on:
        raise DomainError(_("The answer cannot be dated before the question."), field="answered_on")
    with transaction.atomic():
        if answer_mode:
            question.answer_mode = answer_mode
        question.answer_text = answer_text
        question.answered_on = answered_on
        if answer_file:
            question.answer_file = checked_file(answer_file, DOCUMENTS, "answer_file")
        if user is not None or expected_version is not None:
            check_and_bump(question, expected_version)
        else:
            question.version += 1
        question.save()
        _register_written_answer(question)
    return question


def questioning_conclude(
    *, questioning_session: QuestioningSession, kind: str, number: str, on: date, text: str
) -> QuestioningSession:
    questioning_session.conclusion_kind = kind
    questioning_session.conclusion_number = number
    questioning_session.conclusion_date = on
    questioning_session.conclusion_text = require_text(text, "conclusion_text", _("Write the conclusion."))
    questioning_session.status = QuestioningSession.Status.CONCLUDED
    return questioning_session_save(questioning_session=questioning_session)


def explanation_save(*, explanation: ExplanationSession) -> ExplanationSession:
    """Save an explanation session and its notice deadline (rule explanation.notice_days before)."""
    require_text(explanation.topic, "topic", _("State the topic."))
    require_text(explanation.officials, "officials", _("Name the explaining officials."))
    same_council(explanation.agency, explanation.council_id, "agency")
    same_council(explanation.body, explanation.council_id, "body")
    if explanation.conclusion_date and explanation.conclusion_date < explanation.held_on:
        raise DomainError(_("The conclusion cannot be dated before the session."), field="conclusion_date")
    check_constraints(explanation)
    with transaction.atomic():
        explanation.save()
        try:
            due, rule = date_before("explanation.notice_days", explanation.council, explanation.held_on)
        except RuleMissing:
            return explanation
        deadlines.deadline_set(
            subject=explanation,
            council=explanation.council,
            kind=EXPLANATION_NOTICE,
            title=_("Notice of the explanation session: %(topic)s") % {"topic": explanation.topic},
            start_date=min(due, explanation.held_on),
            due_date=due,
            rule=rule,
            responsible_agency=explanation.agency,
        )
        if explanation.notice_sent_on:
            deadlines.deadline_complete(subject=explanation, kind=EXPLANATION_NOTICE)
    return explanation


def respondent_reports_schedule(*, council, council_session, commitments=None) -> list[RespondentReport]:
    """For each agency with commitments due for re-questioning before `council_session`, record
    the report it owes at the latest `question.report_before_session_days` (10 days) before the
    session opens, as a deadline. Idempotent: one report per agency and session."""
    same_council(council_session, council.id, "council_session")
    due, rule = date_before("question.report_before_session_days", council, council_session.start)
    if commitments is None:
        from ..queries import commitments_due_for_requestioning

        commitments = commitments_due_for_requestioning(council, before=council_session.start)
    by_agency: dict[int, Commitment] = {}
    for commitment in commitments:
        by_agency.setdefault(commitment.agency_id, commitment)
    reports = []
    with transaction.atomic():
        for agency_id, commitment in by_agency.items():
            report, _created = RespondentReport.objects.get_or_create(
                council_session=council_session,
                agency_id=agency_id,
                defaults=dict(council=council, official_name=commitment.official_name, due_date=due),
            )
            if report.received_on is None:
                deadlines.deadline_set(
                    subject=report,
                    council=council,
                    kind=REPORT_BEFORE_SESSION,
                    title=_("Report on commitments before %(session)s: %(agency)s")
                    % {"session": council_session, "agency": commitment.agency},
                    start_date=min(timezone.localdate(), due),
                    due_date=due,
                    rule=rule,
                    responsible_agency=commitment.agency,
                )
            reports.append(report)
    return reports


def respondent_report_receive(
    *, report: RespondentReport, received_on: date, file=None, user=None
) -> RespondentReport:
    """Record that the agency's report arrived (staff who may change oversight)."""
    require_permission(user, report.council_id, "can_change_oversight")
    with transaction.atomic():
        report = RespondentReport.objects.select_for_update().get(pk=report.pk)
        report.received_on = received_on
        if file:
            report.file = checked_file(file, DOCUMENTS, "file")
        report.save()
        deadlines.deadline_complete(subject=report, kind=REPORT_BEFORE_SESSION)
    return report
