from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.forms_base import CheckedFileField, DateInput, PortalModelForm
from hdnd_portal.core.models import Agency, Deputy
from hdnd_portal.core.widgets import agency_label

from . import deadlines as dl
from .models import Case, Letter, ReceptionDay, ReceptionSchedule, Visit
from .models.choices import Kind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=DATE_FORMATS, **kwargs)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


# --- Reception --------------------------------------------------------------------------------


class ScheduleForm(PortalModelForm):
    class Meta:
        model = ReceptionSchedule
        fields = [
            "title",
            "receiver_kind",
            "body",
            "receivers",
            "location",
            "sessions_per_month",
            "weekday",
            "weeks",
            "start_time",
            "end_time",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "start_time": forms.TimeInput(format="%H:%M"),
            "end_time": forms.TimeInput(format="%H:%M"),
            "receivers": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions_per_month"].required = False
        self.fields["receivers"].queryset = self.fields["receivers"].queryset.filter(end_date__isnull=True)


class GenerateDaysForm(StyledForm):
    start = date_field(_("From"))
    end = date_field(_("To"))


class DayForm(PortalModelForm):
    class Meta:
        model = ReceptionDay
        fields = ["date", "start_time", "location", "receivers", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "start_time": forms.TimeInput(format="%H:%M"),
            "receivers": forms.SelectMultiple(attrs={"size": 8}),
        }


class CancelDayForm(StyledForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class SubstituteForm(StyledForm):
    absent = forms.ModelChoiceField(label=_("Absent deputy"), queryset=Deputy.objects.none())
    substitute = forms.ModelChoiceField(label=_("Substitute"), queryset=Deputy.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, day: ReceptionDay, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = day.receivers.all()
        self.fields["substitute"].queryset = Deputy.objects.filter(council=day.council, end_date__isnull=True)


class PersonForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_representative = forms.BooleanField(label=_("Representative"), required=False)


PersonFormSet = formset_factory(PersonForm, extra=3, max_num=60)


def person_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("full_name")]


class VisitForm(PortalModelForm):
    new_case_title = forms.CharField(
        label=_("…or open a new case"),
        max_length=300,
        required=False,
        help_text=_("Leave empty when the visit belongs to an existing case"),
    )

    class Meta:
        model = Visit
        fields = [
            "kind",
            "citizen_count",
            "field",
            "case",
            "new_case_title",
            "content",
            "requests",
            "handling",
            "outcome",
            "refusal_reason",
            "forwarded_to",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "requests": forms.Textarea(attrs={"rows": 2}),
            "handling": forms.Textarea(attrs={"rows": 2}),
        }


class VisitEditForm(VisitForm):
    class Meta(VisitForm.Meta):
        fields = [f for f in VisitForm.Meta.fields if f != "new_case_title"]


class VisitAnswerForm(StyledForm):
    answer = forms.ChoiceField(label=_("Answer to the visitor"), choices=Visit.Answer.choices)
    answered_on = date_field(_("Answered on"), initial=timezone.localdate)


class CaseForm(PortalModelForm):
    class Meta:
        model = Case
        fields = ["title", "kind", "field", "opened_on", "status", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


# --- Letters ----------------------------------------------------------------------------------


class LetterForm(PortalModelForm):
    class Meta:
        model = Letter
        fields = [
            "received_on",
            "letter_date",
            "channel",
            "forwarded_by_deputy",
            "forwarded_by_agency",
            "kind",
            "field",
            "subject",
            "content",
            "respondent_agency",
            "respondent_person",
            "signer_count",
            "is_anonymous",
            "is_signed",
            "has_address",
            "decision_known_on",
            "has_clear_evidence",
            "case",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = True
        self.fields["signer_count"].required = False
        # Only open cases are offered (a closed case keeps the letters it has).
        cases = self.fields["case"].queryset
        current = self.instance.case_id
        self.fields["case"].queryset = cases.filter(Q(status=Case.Status.OPEN) | Q(pk=current)).order_by("-opened_on")


class DecideForm(StyledForm):
    decision = forms.ChoiceField(label=_("Handling decision"), choices=Letter.Decision.choices)
    decided_on = date_field(_("Decided on"), initial=timezone.localdate)
    forwarded_to = forms.ModelChoiceField(label=_("Competent agency"), queryset=Agency.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    complexity = forms.ChoiceField(
        label=_("Complexity"),
        choices=Letter.Complexity.choices,
        required=False,
        help_text=_("Sets the settlement period the office monitors and, for a denunciation, the extensions allowed "
                    "(none, one if complex, two if especially complex)."),
    )
    remote_area = forms.BooleanField(label=_("Remote area"), required=False)

    def __init__(self, *args, letter: Letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarded_to"].queryset = Agency.objects.filter(council=letter.council, is_active=True)
        self.fields["forwarded_to"].label_from_instance = agency_label  # full name, not the abbreviation
        self.fields["complexity"].initial = letter.complexity
        self.fields["remote_area"].initial = letter.remote_area

    def clean_complexity(self):
        return self.cleaned_data.get("complexity") or None  # left out: the letter's stays


class AcceptForm(StyledForm):
    accepted_on = date_field(_("Date the competent authority accepted it"), initial=timezone.localdate)
    complexity = forms.ChoiceField(label=_("Complexity"), choices=Letter.Complexity.choices)
    remote_area = forms.BooleanField(label=_("Remote area"), required=False)
    round = forms.TypedChoiceField(label=_("Complaint round"), coerce=int, choices=[(1, _("First")), (2, _("Second"))])

    def __init__(self, *args, letter: Letter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if letter is not None:
            for name in ("complexity", "remote_area", "round"):
                self.fields[name].initial = getattr(letter, name)


class ExtendForm(StyledForm):
    kind = forms.ChoiceField(label=_("Deadline"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    decision_number = forms.CharField(label=_("Decision document"), max_length=60, required=False)
    is_pause = forms.BooleanField(label=_("Pause (with a new date) rather than a legal extension"), required=False)
    new_due_date = date_field(_("New due date (pauses only)"), required=False)

    def __init__(self, *args, open_kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, dl.LABELS[k]) for k in open_kinds if k in dl.LABELS]


class ResultForm(StyledForm):
    result_kind = forms.ChoiceField(label=_("Result"), choices=Letter.ResultKind.choices)
    result_date = date_field(_("Resolved on"))
    summary = forms.CharField(
        label=_("Result summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    reported_on = date_field(_("Result reported on"), required=False)


class ReportForm(StyledForm):
    reported_on = date_field(_("Result reported on"), initial=timezone.localdate)


class NotifyForm(StyledForm):
    notified_on = date_field(_("Citizen informed on"), initial=timezone.localdate)


class SplitForm(StyledForm):
    """One subject (and content) per kind found in the mixed letter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Kind.choices:
            self.fields[f"{value}_subject"] = forms.CharField(label=label, max_length=300, required=False)
            self.fields[f"{value}_content"] = forms.CharField(
                label=_("%(kind)s — content") % {"kind": label},
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def parts(self) -> list[dict]:
        return [
            {
                "kind": value,
                "subject": self.cleaned_data.get(f"{value}_subject", ""),
                "content": self.cleaned_data.get(f"{value}_content", ""),
            }
            for value in Kind.values
        ]


class DuplicateForm(StyledForm):
    original = forms.CharField(
        label=_("Register number of the original letter"), max_length=30, help_text=_("e.g. 12/2025")
    )


class ScanForm(StyledForm):
    file = CheckedFileField(label=_("Scan"), allowed=(".pdf", ".jpg", ".jpeg", ".png"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class LiftProtectionForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for lifting the protection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the denouncer disclosed their identity in writing on …"),
    )


class ConfirmForm(StyledForm):
    """An action with nothing to fill in (the hidden version is added by the view)."""
