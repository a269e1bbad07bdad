"""Base form classes shared by every app: dd/mm/yyyy dates, choices limited to the current
council, the stale-edit version, and checked uploads."""

import os

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .concurrency import VersionedFormMixin
from .widgets import use_searchable


class DateInput(forms.DateInput):
    """A text date field in dd/mm/yyyy, the way council offices write dates (with a picker
    from portal.js); independent of the browser's locale."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "class": "form-control js-date", "autocomplete": "off",
                "inputmode": "numeric"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy hh:mm", "class": "form-control"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y %H:%M")


def portal_formfield(db_field: models.Field, **kwargs):
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("widget", DateTimeInput)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("widget", DateInput)
    return db_field.formfield(**kwargs)


class PortalModelForm(VersionedFormMixin, forms.ModelForm):
    """ModelForm for portal records. Pass council=… to limit every council-owned choice to
    that council; carries the record's version to refuse stale saves."""

    formfield_callback = portal_formfield

    def __init__(self, *args, council=None, user=None, **kwargs) -> None:
        self.council = council
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
                model = field.queryset.model
                if council is not None and _has_field(model, "council"):
                    field.queryset = field.queryset.filter(council=council)
                # Long lists (deputies, agencies) get the type-to-filter widget; agencies show
                # their full names, not abbreviations.
                use_searchable(field)
            # Model forms built by subclasses do not inherit a formfield_callback, so the date
            # widgets are set here for every form of the portal.
            if isinstance(field, forms.DateTimeField) and not isinstance(field.widget, DateTimeInput):
                field.widget = DateTimeInput()
            elif isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
                field.widget = DateInput()
            if isinstance(field.widget, forms.FileInput) and not isinstance(field.widget, PortalFileInput):
                field.widget = PortalFileInput(attrs={k: v for k, v in field.widget.attrs.items() if k != "class"})
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, PortalFileInput):
                pass
            else:
                widget.attrs.setdefault("class", "form-control")


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
        return True
    except Exception:
        return False


ALLOWED_UPLOADS = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}


def validate_upload(uploaded, allowed: tuple[str, ...] = (".pdf", ".docx", ".xlsx")) -> None:
    """Check an upload's extension, its first bytes and its size; raise ValidationError."""
    if not uploaded:
        return
    ext = os.path.splitext(uploaded.name)[1].lower()
    if ext not in allowed:
        raise forms.ValidationError(
            _("File type %(ext)s is not accepted. Accepted: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(allowed)}
        )
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if uploaded.size > limit:
        raise forms.ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)s MB.")
            % {"size": uploaded.size / 1024 / 1024, "limit": settings.UPLOAD_MAX_MB}
        )
    head = uploaded.read(8)
    uploaded.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_UPLOADS.get(ext, (b"",))):
        raise forms.ValidationError(_("The file content does not match its %(ext)s extension.") % {"ext": ext})


class PortalFileInput(forms.ClearableFileInput):
    """A file picker labelled in the interface's language (the browser's own button speaks the
    browser's language), showing the current file by name only — never a link to its path."""

    template_name = "core/widgets/file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        current = getattr(value, "name", "") or ""
        context["widget"]["current_name"] = os.path.basename(current)
        return context


class CheckedFileField(forms.FileField):
    default_error_messages = {"invalid": gettext_lazy("Upload a valid file.")}
    widget = PortalFileInput

    def __init__(self, *args, allowed: tuple[str, ...] = (".pdf", ".docx", ".xlsx"), **kwargs) -> None:
        self.allowed = allowed
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if data and hasattr(data, "read"):
            validate_upload(data, self.allowed)
        return value
