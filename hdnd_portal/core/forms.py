from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .forms_base import CheckedFileField, PortalModelForm
from .models import Agency, Body, CalendarException, Council, CouncilRole, Deputy, Field, Membership, Rule, Term, User


class CouncilForm(PortalModelForm):
    """Create (with the parent) or edit a council; the parent is fixed once created."""

    class Meta:
        model = Council
        fields = ["name", "level", "unit_kind", "code", "parent", "place_name", "established_on", "dissolved_on",
                  "predecessors", "is_active"]
        widgets = {"predecessors": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["parent"]
        elif parents is not None:
            self.fields["parent"].queryset = parents
        candidates = Council.objects.order_by("level", "name")
        if self.instance.pk:
            candidates = candidates.exclude(pk=self.instance.pk)
        if parents is not None:
            ids = list(parents.values_list("id", flat=True))
            from django.db.models import Q

            candidates = candidates.filter(Q(id__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids))
        self.fields["predecessors"].queryset = candidates
        self.fields["predecessors"].required = False


class ExcelImportForm(forms.Form):
    """The upload of an Excel import (petitions, councils): an .xlsx checked by the one validator."""

    file = CheckedFileField(
        label=_("Excel file"),
        allowed=(".xlsx",),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )


class TermForm(PortalModelForm):
    class Meta:
        model = Term
        fields = ["numeral", "start_year", "end_year", "start_date", "end_date", "is_current"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_current") and self.council is not None:
            others = Term.objects.filter(council=self.council, is_current=True).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("is_current", _("Another term of this council is marked current; unmark it first."))
        return cleaned


class BodyForm(PortalModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "abbreviation", "term", "area", "fields", "is_active"]
        widgets = {"fields": forms.SelectMultiple(attrs={"size": 6})}


class DeputyForm(PortalModelForm):
    class Meta:
        model = Deputy
        fields = ["full_name", "term", "gender", "birth_date", "constituency", "occupation", "is_full_time",
                  "email", "phone", "start_date", "end_date", "end_reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class MembershipForm(PortalModelForm):
    class Meta:
        model = Membership
        fields = ["deputy", "body", "role", "start_date", "end_date"]


class AgencyForm(PortalModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "parent", "lower_council", "head_name", "email", "phone", "address",
                  "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council is not None:
            self.fields["lower_council"].queryset = Council.objects.filter(parent=self.council)


class FieldForm(PortalModelForm):
    class Meta:
        model = Field
        fields = ["name", "code", "is_active"]


class RuleForm(PortalModelForm):
    class Meta:
        model = Rule
        fields = ["code", "name", "value", "unit", "citation", "status", "effective_from", "note"]


class CalendarExceptionForm(PortalModelForm):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name"]


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone"]

    def __init__(self, *args, council=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class RoleForm(PortalModelForm):
    class Meta:
        model = CouncilRole
        fields = ["user", "role", "deputy", "agency", "extra_permissions"]

    extra_permissions = forms.CharField(
        label=_("extra permissions"), required=False,
        help_text=_("Comma-separated, e.g. can_view_denouncer_identity"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["extra_permissions"] = ", ".join(self.instance.extra_permissions or [])
        if self.council is not None:
            from django.db.models import Q

            from .models import User as UserModel

            councils = [self.council.id, *([self.council.parent_id] if self.council.parent_id else [])]
            self.fields["user"].queryset = UserModel.objects.filter(
                Q(council_roles__council__in=councils) | Q(council_roles__isnull=True)
            ).distinct().order_by("username")

    def clean_extra_permissions(self):
        value = [p.strip() for p in (self.cleaned_data.get("extra_permissions") or "").split(",") if p.strip()]
        bad = [p for p in value if not p.startswith("can_")]
        if bad:
            raise forms.ValidationError(_("Unknown permission: %(p)s") % {"p": ", ".join(bad)})
        return value
