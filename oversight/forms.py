"""Staff and responder forms. Choices are limited to the record's council (PortalModelForm)."""

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.concurrency import version_field
from hdnd_portal.core.forms_base import CheckedFileField, DateInput, PortalModelForm
from hdnd_portal.core.models import Agency, User

from .models import (
    Commitment,
    CommitmentMilestone,
    CommitmentUpdate,
    ConfidenceSubject,
    ConfidenceVote,
    ExplanationSession,
    IssueGroup,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Question,
    QuestioningSession,
    Recommendation,
    Respondent,
)
from .services.common import DOCUMENTS, EVIDENCE

LONG_TEXT = 10_000


class ServiceCheckedForm(PortalModelForm):
    """The services check every rule the database constraints enforce, with a message beside
    the field; skip the model's generic "constraint violated" check here so that the user sees
    the service's message instead (the constraints still guard the database)."""

    def _post_clean(self):
        self.instance.validate_constraints = lambda exclude=None: None
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints


def _checked_files(form, *names: str) -> None:
    for name in names:
        if name in form.fields:
            old = form.fields[name]
            form.fields[name] = CheckedFileField(label=old.label, required=False, allowed=DOCUMENTS)


class ProgrammeForm(ServiceCheckedForm):
    class Meta:
        model = OversightProgramme
        fields = ["year", "title", "resolution", "resolution_number", "resolution_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = self.fields["resolution"].queryset.order_by("-adopted_on", "-pk")


class TopicForm(ServiceCheckedForm):
    class Meta:
        model = PlannedTopic
        fields = ["topic", "conducting_level", "body", "kind", "field", "period_start", "period_end"]


class ActivityForm(ServiceCheckedForm):
    class Meta:
        model = OversightActivity
        fields = [
            "topic",
            "kind",
            "follows",
            "conducting_level",
            "body",
            "lead_deputy",
            "field",
            "programme",
            "planned_topic",
            "start_date",
            "end_date",
            "agencies",
            "supervised_units",
            "team_deputies",
            "team_staff",
            "status",
            "plan_number",
            "plan_sent_on",
            "plan_file",
            "programme_number",
            "programme_sent_on",
            "programme_file",
            "report_number",
            "report_date",
            "report_file",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
            "conclusion_file",
        ]
        widgets = {"conclusion_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checked_files(self, "plan_file", "programme_file", "report_file", "conclusion_file")
        if self.council is not None:
            self.fields["team_staff"].queryset = User.objects.filter(
                council_roles__council=self.council, council_roles__role__in=["staff", "admin"]
            ).distinct().order_by("sort_key", "username")
            self.fields["planned_topic"].queryset = PlannedTopic.objects.filter(council=self.council).select_related(
                "programme"
            )
            self.fields["follows"].queryset = (
                OversightActivity.objects.filter(council=self.council)
                .exclude(pk=self.instance.pk)
                .order_by("-start_date")
            )
        for name in ("agencies", "team_deputies", "team_staff"):
            self.fields[name].widget.attrs["size"] = 6


class RecommendationForm(ServiceCheckedForm):
    deadline = forms.DateField(
        label=_("deadline"), required=False, widget=DateInput, help_text=_("Leave empty to take it from the rule")
    )

    class Meta:
        model = Recommendation
        fields = ["activity", "agency", "field", "text", "issued_on", "is_complex", "deadline", "needs_follow_up"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activity is not None:
            del self.fields["activity"]
            self.fields["issued_on"].initial = activity.conclusion_date or activity.end_date
        self.fields["issued_on"].required = False


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status reached"),
        choices=[c for c in Recommendation.Status.choices if c[0] != Recommendation.Status.NOT_STARTED],
    )
    reported_on = forms.DateField(label=_("reported on"), widget=DateInput, required=False)
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT)
    document_number = forms.CharField(label=_("agency's document number"), max_length=60, required=False)
    evidence = CheckedFileField(label=_("evidence file"), required=False, allowed=EVIDENCE)
    on_behalf = forms.BooleanField(label=_("entered by staff from a written report"), required=False)

    def __init__(self, *args, council=None, user=None, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["on_behalf"]
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)


class EvaluationForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("evaluation"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Accepted as done")), ("no", _("Not accepted"))],
    )
    note = forms.CharField(
        label=_("evaluation note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=LONG_TEXT
    )
    needs_follow_up = forms.BooleanField(label=_("for follow-up oversight"), required=False)
    _version = version_field()

    def __init__(self, *args, council=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted"].widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs["class"] = "form-control"
        self.fields["needs_follow_up"].widget.attrs["class"] = "form-check-input"


class QuestioningSessionForm(ServiceCheckedForm):
    class Meta:
        model = QuestioningSession
        fields = [
            "title",
            "venue",
            "council_session",
            "held_on",
            "status",
            "conclusion_kind",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
        ]
        widgets = {"conclusion_text": forms.Textarea(attrs={"rows": 4})}


class IssueGroupForm(ServiceCheckedForm):
    class Meta:
        model = IssueGroup
        fields = ["title", "field", "order"]


class RespondentForm(ServiceCheckedForm):
    class Meta:
        model = Respondent
        fields = ["official_name", "post", "official_title", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            # The council's own agencies and those of the councils below it that the user can see
            # (a commune chairman answering at a district session); the service checks it again.
            from hdnd_portal.core.scoping import council_and_below, get_access, narrowed

            ids = council_and_below(self.council)
            visible = get_access(self.user).visible_council_ids() if self.user is not None else [self.council.id]
            ids = narrowed(ids, visible)
            self.fields["agency"].queryset = (
                Agency.objects.filter(council_id__in=ids, is_active=True)
                .select_related("council")
                .order_by(Case(When(council_id=self.council.id, then=0), default=1), "council__name", "name")
            )
            own = self.council.id
            self.fields["agency"].label_from_instance = (
                lambda a: a.name if a.council_id == own else f"{a.name} — {a.council.name}"
            )
            self.fields["agency"].help_text = _(
                "An agency of this council or of a council below it (e.g. a commune People's Committee)."
            )


class QuestionForm(ServiceCheckedForm):
    class Meta:
        model = Question
        fields = ["deputy", "respondent", "issue_group", "form", "text", "asked_on", "answer_mode", "requestion_of"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, questioning_session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_on"].required = False
        if questioning_session is not None:
            self.fields["respondent"].queryset = questioning_session.respondents.select_related("agency")
            self.fields["issue_group"].queryset = questioning_session.groups.all()
            self.fields["requestion_of"].queryset = Question.objects.filter(
                council_id=questioning_session.council_id, asked_on__lte=questioning_session.held_on
            ).order_by("-asked_on", "-pk")


class AnswerForm(ServiceCheckedForm):
    class Meta:
        model = Question
        fields = ["answer_mode", "answer_text", "answered_on", "answer_file"]
        widgets = {"answer_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checked_files(self, "answer_file")
        self.fields["answer_text"].required = True
        self.fields["answered_on"].required = False


class ExplanationForm(ServiceCheckedForm):
    class Meta:
        model = ExplanationSession
        fields = [
            "topic",
            "body",
            "field",
            "agency",
            "officials",
            "held_on",
            "notice_sent_on",
            "conclusion_number",
            "conclusion_date",
            "conclusion_text",
        ]
        widgets = {"officials": forms.Textarea(attrs={"rows": 3}), "conclusion_text": forms.Textarea(attrs={"rows": 4})}


class CommitmentForm(ServiceCheckedForm):
    class Meta:
        model = Commitment
        fields = [
            "agency",
            "official_name",
            "official_title",
            "text",
            "made_on",
            "deadline",
            "field",
            "deputies",
            "note",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].widget.attrs["size"] = 6


class MilestoneForm(ServiceCheckedForm):
    class Meta:
        model = CommitmentMilestone
        fields = ["title", "due_date", "done_on"]


class CommitmentUpdateForm(ServiceCheckedForm):
    class Meta:
        model = CommitmentUpdate
        fields = ["reported_on", "percent", "status", "text", "document"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checked_files(self, "document")
        self.fields["reported_on"].required = False


class ConfidenceVoteForm(ServiceCheckedForm):
    class Meta:
        model = ConfidenceVote
        fields = [
            "title",
            "council_session",
            "held_on",
            "ballots_issued",
            "ballots_returned",
            "resolution_number",
        ]


class ConfidenceSubjectForm(ServiceCheckedForm):
    class Meta:
        model = ConfidenceSubject
        fields = [
            "order",
            "full_name",
            "post",
            "deputy",
            "appointed_on",
            "valid_ballots",
            "high",
            "confidence",
            "low",
            "resigned",
            "formal_result",
        ]


class ReceiveReportForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=DateInput)
    file = CheckedFileField(label=_("report"), required=False, allowed=DOCUMENTS)

    def __init__(self, *args, council=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
