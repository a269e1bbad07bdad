from django import forms
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.forms_base import DateInput
from hdnd_portal.core.models import Council

from .models import Report


class ReportRequestForm(forms.Form):
    """Pick a council (only those the user may report on), a kind and a period."""

    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    include_below = forms.BooleanField(
        label=_("Include the councils below (totals and a table per commune)"), required=False, initial=True
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty for the usual recipients."),
    )

    def __init__(self, *args, council_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Council.objects.filter(is_active=True).order_by("level", "name")
        self.fields["council"].queryset = qs if council_ids is None else qs.filter(id__in=council_ids)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-control")
            else:
                field.widget.attrs.setdefault("class", "form-check-input")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data


class NarrativeForm(forms.Form):
    """One text box per narrative block, plus the signer and the recipients."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = list(report.narrative or [])
        for index, block in enumerate(self.blocks):
            self.fields[f"text_{index}"] = forms.CharField(
                label=block.get("heading") or _("Introduction"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6 if block.get("key") != "intro" else 3}),
                initial=block.get("text", ""),
            )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")

    def cleaned_blocks(self) -> list[dict]:
        return [
            {"key": b.get("key"), "heading": b.get("heading", ""), "text": self.cleaned_data.get(f"text_{i}", "")}
            for i, b in enumerate(self.blocks)
        ]
