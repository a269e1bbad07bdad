from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.forms_base import DateInput
from hdnd_portal.core.models import User


class ExtensionForm(forms.Form):
    new_due_date = forms.DateField(label=_("New due date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The article of law or regulation that allows the extension, e.g. Luật Tố cáo 2018, Điều 30"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    decision_number = forms.CharField(
        label=_("Decision document"),
        max_length=60,
        required=False,
        help_text=_("Number of the written decision, e.g. 15/QĐ-UBND"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    is_pause = forms.BooleanField(
        label=_("Pause (suspension) rather than extension"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, deadline=None, **kwargs):
        self.deadline = deadline
        super().__init__(*args, **kwargs)


class EmailModeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_mode", "email"]
        widgets = {
            "email_mode": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "email": forms.EmailInput(attrs={"class": "form-control"}),
        }


class CloseOldForm(forms.Form):
    older_than = forms.IntegerField(label=_("Overdue for more than (days)"), min_value=1, max_value=3650)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("e.g. settled outside the portal; entered after the fact"))
    confirm = forms.BooleanField(label=_("I confirm closing these deadlines"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-check-input" if name == "confirm" else "form-control")


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Responsible staff member"), queryset=None, required=False,
                                  empty_label=_("— nobody —"))

    def __init__(self, *args, council_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (User.objects.filter(council_roles__council_id=council_id, is_active=True)
                                        .distinct().order_by("sort_key", "username"))
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.username
        self.fields["user"].widget.attrs["class"] = "form-select"
