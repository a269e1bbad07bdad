"""Forms of the sessions pages. Choices are limited to the record's council."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.concurrency import version_field
from hdnd_portal.core.forms_base import CheckedFileField, DateInput, PortalModelForm
from hdnd_portal.core.models import Agency, Body, Term

from .models import AgendaItem, CouncilSession, IssueGroup, Resolution, SessionDocument, Verification, Vote


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def agency_label(agency: Agency) -> str:
    """An agency by its full name, its abbreviation in parentheses when it has a different one."""
    short = (agency.short_name or "").strip()
    return f"{agency.name} ({short})" if short and short != agency.name else agency.name


def agency_choices(field, council, current_id: int | None = None) -> None:
    """The council's active agencies by full name, sorted by name (the one already chosen stays
    even if it has since been marked inactive)."""
    if council is None:
        field.queryset = Agency.objects.none()
        return
    active = Q(is_active=True) | Q(pk=current_id) if current_id else Q(is_active=True)
    field.queryset = Agency.objects.filter(active, council=council).order_by("name", "pk")
    field.label_from_instance = agency_label


class SessionForm(PortalModelForm):
    notice_file = CheckedFileField(label=_("Convening notice file"), required=False)

    class Meta:
        model = CouncilSession
        fields = [
            "term",
            "number",
            "kind",
            "title",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "venue",
            "is_public",
            "is_paperless",
            "notice_number",
            "notice_date",
            "notice_text",
            "notice_file",
        ]
        widgets = {"notice_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.council is not None:
            current = Term.objects.filter(council=self.council, is_current=True).first()
            if current:
                from .services import next_session_number

                self.initial.setdefault("term", current.pk)
                self.initial.setdefault("number", next_session_number(council_id=self.council.pk, term_id=current.pk))


class IssueGroupForm(PortalModelForm):
    class Meta:
        model = IssueGroup
        fields = ["title"]


class AgendaItemForm(PortalModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "group",
            "title",
            "description",
            "presenter_agency",
            "presenter_name",
            "expected_minutes",
            "proposes_resolution",
            "resolution_title",
            "resolution_kind",
            "field",
            "threshold",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution_title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        session = session or (self.instance.session if self.instance.session_id else None)
        self.fields["group"].queryset = (
            IssueGroup.objects.filter(session=session) if session else IssueGroup.objects.none()
        )
        agency_choices(
            self.fields["presenter_agency"],
            session.council if session else self.council,
            self.instance.presenter_agency_id,
        )
        if self.instance.pk and self.instance.proposes_resolution and not self.instance.resolution_title:
            # Prefilled with what the resolution would be called; the office corrects it if needed.
            from .services import resolution_title_for

            self.initial["resolution_title"] = resolution_title_for(self.instance)


class DocumentCreateForm(PortalModelForm):
    file = CheckedFileField(label=_("File (PDF, DOCX, XLSX)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    class Meta:
        model = SessionDocument
        fields = [
            "kind",
            "title",
            "issuer",
            "external_number",
            "external_date",
            "doc_date",
            "visibility",
            "agenda_item",
        ]

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session=session).order_by("position")
        self.fields["doc_date"].initial = timezone.localdate()


class DocumentEditForm(PortalModelForm):
    class Meta:
        model = SessionDocument
        fields = ["title", "external_number", "external_date", "visibility", "agenda_item"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session=self.instance.session_id)


class VersionForm(forms.Form):
    file = CheckedFileField(label=_("File (PDF, DOCX, XLSX)"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class VerificationAssignForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Body.objects.none())
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Body.objects.filter(
            council=council, kind=Body.Kind.COMMITTEE, is_active=True
        )
        _style(self)


class VerificationForm(PortalModelForm):
    class Meta:
        model = Verification
        fields = ["status", "report", "conclusion", "completed_on"]
        widgets = {"conclusion": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = SessionDocument.objects.filter(
            session=self.instance.session_id, kind=SessionDocument.Kind.VERIFICATION_REPORT
        )


class QuorumConfirmMixin(forms.Form):
    """The explicit confirmation a vote or an adoption needs when the day's attendance shows
    fewer than two thirds of the deputies present (sessions.services.quorum.check_quorum)."""

    confirm_without_quorum = forms.BooleanField(
        label=_("Record anyway"),
        required=False,
        help_text=_("Only when the attendance of the day shows fewer than two thirds of the deputies present."),
    )
    quorum_reason = forms.CharField(
        label=_("Reason for recording without the quorum"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolutionForm(QuorumConfirmMixin, PortalModelForm):
    signed_file = CheckedFileField(label=_("Signed file"), required=False)

    class Meta:
        model = Resolution
        fields = [
            "session",
            "kind",
            "title",
            "field",
            "adopted_on",
            "effective_on",
            "signed_file",
            "responsible_agency",
            "implementation_status",
            "implementation_note",
            "is_published",
        ]
        widgets = {"implementation_note": forms.Textarea(attrs={"rows": 3}), "title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency_choices(self.fields["responsible_agency"], self.council, self.instance.responsible_agency_id)


class VoteForm(QuorumConfirmMixin, PortalModelForm):
    class Meta:
        model = Vote
        fields = ["method", "voted_on", "participants", "yes", "no", "not_voting"]


class SessionHeldForm(forms.Form):
    """Record a session entered after the fact as held, with the dates it was actually held."""

    actual_start = forms.DateField(label=_("Actual opening date"), widget=DateInput())
    actual_end = forms.DateField(label=_("Actual closing date"), widget=DateInput())
    _version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SessionCloseForm(forms.Form):
    on = forms.DateField(label=_("Actual closing date"), required=False, widget=DateInput())


class PollOpenForm(forms.Form):
    """Open an electronic poll; the quorum confirmation is the vote form's, worded for opening
    (sessions.services.voting.poll_open runs the same check_quorum)."""

    method = forms.ChoiceField(label=_("Method"), choices=Vote.Method.choices)
    confirm_without_quorum = forms.BooleanField(
        label=_("Open anyway"),
        required=False,
        help_text=_("Only when the attendance of the day shows fewer than two thirds of the deputies present."),
    )
    quorum_reason = forms.CharField(
        label=_("Reason for opening without the quorum"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReorderForm(forms.Form):
    order = forms.CharField(widget=forms.HiddenInput)

    def item_ids(self) -> list[int]:
        try:
            return [int(x) for x in self.cleaned_data["order"].split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("Invalid order."))
