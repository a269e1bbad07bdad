"""Forms of the voters pages. Writes go through voters.services (the views call them)."""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hdnd_portal.core.concurrency import version_field
from hdnd_portal.core.forms import ExcelImportForm as ImportForm  # noqa: F401 (the petitions import page)
from hdnd_portal.core.forms_base import CheckedFileField, DateInput, PortalModelForm
from hdnd_portal.core.models import Agency, Body, Council, Deputy
from hdnd_portal.core.widgets import SearchableSelectMultiple, agency_label

from .models import MINUTES_UPLOADS, RESPONSE_UPLOADS, TEXT_MAX, Petition, VoterMeeting
from .services import default_level


class CapitalisedLabels:
    """Plain forms take their labels from lower-case model wording; show them capitalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)


class MeetingForm(PortalModelForm):
    minutes = CheckedFileField(label=_("minutes"), required=False, allowed=MINUTES_UPLOADS)

    class Meta:
        model = VoterMeeting
        fields = [
            "kind",
            "title",
            "session",
            "field",
            "date",
            "group",
            "deputies",
            "commune",
            "place",
            "voter_count",
            "minutes",
            "notes",
            "outside_constituency",
            "outside_requested_on",
            "outside_approved_on",
            "outside_notice_on",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "deputies": SearchableSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["group"].queryset = Body.objects.filter(council=self.council, kind=Body.Kind.GROUP)
            self.fields["commune"].queryset = Council.objects.filter(
                Q(pk=self.council.pk) | Q(parent=self.council)
            ).order_by("level", "name")
            self.fields["deputies"].queryset = Deputy.objects.filter(council=self.council).order_by("sort_key", "pk")
        self.fields["session"].required = False


class PetitionForm(PortalModelForm):
    meetings = forms.ModelMultipleChoiceField(
        label=capfirst(_("source meetings")), queryset=VoterMeeting.objects.none(), required=False
    )

    class Meta:
        model = Petition
        fields = [
            "content",
            "kind",
            "field",
            "locality",
            "level",
            "committee",
            "meetings",
            "deputies",
            "received_on",
            "is_urgent",
            "is_public",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4, "class": "form-control js-similar"}),
            "deputies": SearchableSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["committee"].queryset = Body.objects.filter(council=self.council, kind=Body.Kind.COMMITTEE)
            self.fields["meetings"].queryset = VoterMeeting.objects.filter(council=self.council).order_by("-date")
            self.fields["deputies"].queryset = Deputy.objects.filter(council=self.council).order_by("sort_key", "pk")
        if self.instance.pk:
            self.initial["meetings"] = list(self.instance.meetings.values_list("pk", flat=True))
        self.fields["received_on"].required = False


class IntakeForm(CapitalisedLabels, forms.Form):
    """One petition typed from a meeting's minutes (the fast intake page)."""

    content = forms.CharField(label=_("content"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("kind"), choices=Petition.Kind.choices, initial=Petition.Kind.PETITION)
    field = forms.ModelChoiceField(label=_("field"), queryset=None, required=False)
    locality = forms.CharField(label=_("locality"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("competence level"), choices=Petition.Level.choices)
    is_urgent = forms.BooleanField(label=pgettext_lazy("petition", "urgent"), required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=_("deputies who took it"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        from hdnd_portal.core.models import Field

        self.fields["field"].queryset = Field.objects.filter(is_active=True)
        # The deputies present and the delegate group's members come first to hand; others only if none.
        nearby = Q(voter_meetings=meeting)
        if meeting.group_id:
            nearby |= Q(memberships__body_id=meeting.group_id)
        deputies = Deputy.objects.filter(council=meeting.council)
        if deputies.filter(nearby).exists():
            deputies = deputies.filter(nearby).distinct()
        self.fields["deputies"].queryset = deputies.order_by("sort_key", "pk")
        self.fields["level"].initial = default_level(meeting.council)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else (
                    "form-select" if isinstance(field.widget, (forms.Select, forms.SelectMultiple)) else "form-control"
                )
            )
            field.widget.attrs.setdefault("class", css)


class PetitionActionForm(CapitalisedLabels, forms.Form):
    """A form acting on one petition: carries the version it was opened on (stale → refused)."""

    _version = version_field()


class MergeForm(PetitionActionForm):
    """Merge a petition with the similar ones ticked on its merge page: this one into the ticked
    one, or the ticked ones into this one (the button pressed says which). The view sets the
    choices (the council's petitions the user may see, not merged, not this one)."""

    THIS_INTO = "this_into"
    INTO_THIS = "into_this"

    others = forms.ModelMultipleChoiceField(
        label=_("similar petitions"),
        queryset=Petition.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the petition(s) to merge with this one.")},
    )
    direction = forms.ChoiceField(
        choices=[(THIS_INTO, THIS_INTO), (INTO_THIS, INTO_THIS)], required=False, widget=forms.HiddenInput
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["direction"] = cleaned.get("direction") or self.THIS_INTO
        others = cleaned.get("others")
        if others is not None and cleaned["direction"] == self.THIS_INTO and len(others) != 1:
            self.add_error(
                "others",
                _("Tick exactly one petition to merge this one into (several can be merged into this one)."),
            )
        return cleaned


class ForwardForm(CapitalisedLabels, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("agency"), queryset=Agency.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    on = forms.DateField(label=_("forwarding date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    signer_name = forms.CharField(
        label=_("signed by"), required=False, max_length=120, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(council=council, is_active=True).order_by("name")
        self.fields["agency"].label_from_instance = agency_label


ANSWER_CHOICES = [(s.value, s.label) for s in Petition.Status if s in Petition.ANSWERED]


class AnswerForm(PetitionActionForm):
    status = forms.ChoiceField(
        label=_("result"), choices=ANSWER_CHOICES, widget=forms.Select(attrs={"class": "form-select"})
    )
    response_text = forms.CharField(
        label=_("response"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"})
    )
    response_date = forms.DateField(
        label=_("response date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    response_number = forms.CharField(
        label=_("response document number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    response_by = forms.CharField(
        label=_("answered by"), required=False, max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    document = CheckedFileField(
        label=_("response document"), required=False, allowed=RESPONSE_UPLOADS, widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
    roadmap = forms.CharField(
        label=_("roadmap"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("For a petition being resolved"),
    )
    target_date = forms.DateField(
        label=_("target date"), required=False, widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


class EvaluateForm(PetitionActionForm):
    evaluation = forms.ChoiceField(
        label=_("evaluation"),
        choices=Petition.Evaluation.choices[1:],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    needs_follow_up = forms.BooleanField(
        label=_("needs follow-up oversight"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    body = forms.ModelChoiceField(
        label=_("evaluated by"),
        queryset=Body.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("evaluation note"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    on = forms.DateField(
        label=_("evaluated on"), required=False, widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(
            council=council, kind__in=[Body.Kind.COMMITTEE, Body.Kind.GROUP, Body.Kind.STANDING]
        ).order_by("kind", "sort_key")
