from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.forms_base import CheckedFileField, DateInput, PortalModelForm
from hdnd_portal.core.models import Agency, Body, Council, CouncilRole, Deputy, User
from hdnd_portal.core.widgets import SearchableSelectMultiple

from .models import ISSUED_UPLOADS, Briefing, BriefingTask, IssuedDocument, Programme, ProgrammeTask


class ProgrammeForm(PortalModelForm):
    class Meta:
        model = Programme
        fields = ["kind", "year", "part", "body", "title", "summary", "partner_agencies", "status",
                  "document_number", "adopted_on", "signer_title", "signer_name", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["body"].queryset = Body.objects.filter(
                council=self.council, is_active=True, kind__in=[Body.Kind.STANDING, Body.Kind.COMMITTEE]
            ).order_by("kind", "sort_key")
            self.fields["partner_agencies"].queryset = Agency.objects.filter(
                council=self.council, is_active=True,
                kind__in=[Agency.Kind.PEOPLES_COMMITTEE, Agency.Kind.FATHERLAND_FRONT],
            ).order_by("name")
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)


class TaskForm(PortalModelForm):
    class Meta:
        model = ProgrammeTask
        fields = ["position", "group", "title", "description", "lead_body", "lead_agency", "lead_person", "partners",
                  "due_date", "sessions", "activities", "voter_meetings", "reports", "status", "completed_on", "result"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Links are offered from around the programme's period (a year either side), newest first.
        for name in ("sessions", "activities", "voter_meetings", "reports"):
            self.fields[name].widget.attrs["size"] = 5
        self.fields["sessions"].queryset = self.fields["sessions"].queryset.order_by("-planned_start")
        self.fields["activities"].queryset = self.fields["activities"].queryset.order_by("-start_date")
        self.fields["voter_meetings"].queryset = self.fields["voter_meetings"].queryset.order_by("-date")
        self.fields["reports"].queryset = self.fields["reports"].queryset.order_by("-issued_on")
        programme = self.instance.programme if self.instance.programme_id else None
        if programme is not None:
            lo, hi = programme.period_start.replace(year=programme.period_start.year - 1), programme.period_end
            hi = hi.replace(year=hi.year + 1, day=min(hi.day, 28))
            self.fields["sessions"].queryset = self.fields["sessions"].queryset.filter(planned_start__range=(lo, hi))
            self.fields["activities"].queryset = self.fields["activities"].queryset.filter(start_date__range=(lo, hi))
            self.fields["voter_meetings"].queryset = self.fields["voter_meetings"].queryset.filter(date__range=(lo, hi))
            self.fields["reports"].queryset = self.fields["reports"].queryset.filter(issued_on__range=(lo, hi))


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    published = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BriefingForm(PortalModelForm):
    class Meta:
        model = Briefing
        fields = ["scope", "title", "period_kind", "year", "part", "held_on", "place", "chaired_by", "participants",
                  "bodies", "attendees", "conclusions", "notice_number", "status"]
        widgets = {"attendees": forms.Textarea(attrs={"rows": 4}), "conclusions": forms.Textarea(attrs={"rows": 6}),
                   "participants": SearchableSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["participants"].queryset = Council.objects.filter(parent=self.council, is_active=True).order_by(
                "name")
            self.fields["bodies"].queryset = Body.objects.filter(
                council=self.council, is_active=True, kind=Body.Kind.COMMITTEE).order_by("sort_key")
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)


class BriefingTaskForm(PortalModelForm):
    class Meta:
        model = BriefingTask
        fields = ["title", "assignee_council", "assignee_user", "due_date", "status", "result"]
        widgets = {"result": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, briefing=None, **kwargs):
        super().__init__(*args, **kwargs)
        briefing = briefing or (self.instance.briefing if self.instance.briefing_id else None)
        if briefing is not None:
            ids = [briefing.council_id, *briefing.participants.values_list("id", flat=True)]
            self.fields["assignee_council"].queryset = Council.objects.filter(id__in=ids).order_by("level", "name")
            users = CouncilRole.objects.filter(council_id__in=ids).exclude(role=CouncilRole.Role.RESPONDER)
            self.fields["assignee_user"].queryset = User.objects.filter(
                id__in=users.values("user_id"), is_active=True).order_by("sort_key", "username")
            self.fields["assignee_user"].label_from_instance = _user_label(ids)


def _user_label(council_ids):
    names = {}
    for user_id, council_name in CouncilRole.objects.filter(council_id__in=council_ids).values_list(
            "user_id", "council__name"):
        names.setdefault(user_id, council_name)

    def label(user):
        return f"{user} — {names.get(user.pk, '')}"

    return label


class TaskDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, required=False,
                                   input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                             max_length=10000, required=False)


class IssuedDocumentForm(PortalModelForm):
    file = CheckedFileField(label=_("File (PDF, DOCX, DOC)"), required=False, allowed=ISSUED_UPLOADS)

    class Meta:
        model = IssuedDocument
        fields = ["body", "kind", "number", "issued_on", "summary", "signer_title", "signer_deputy", "signer_name",
                  "file"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["body"].queryset = Body.objects.filter(
                council=self.council, kind__in=[Body.Kind.STANDING, Body.Kind.COMMITTEE]
            ).order_by("kind", "sort_key")
            self.fields["signer_deputy"].queryset = Deputy.objects.filter(council=self.council).order_by("sort_key")
        if not self.instance.pk:
            self.initial.setdefault("issued_on", timezone.localdate())
