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
