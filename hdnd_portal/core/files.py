"""Files leave the portal only through here: after the calling view has checked permission,
as an attachment with a safe content type taken from the checked extension (never sniffed,
never text/html), so an uploaded file can never run as a page of the portal's origin.
Uploads come in through one validator (core.forms_base.validate_upload), on pages
(CheckedFileField), in the API (CheckedUploadField) and in importers alike."""

import os

from django.http import FileResponse, Http404
from rest_framework import serializers

from .forms_base import ALLOWED_UPLOADS, validate_upload

SAFE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def safe_content_type(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lower()
    return SAFE_TYPES.get(ext, "application/octet-stream")


def attachment_response(field_file, filename: str | None = None, inline: bool = False) -> FileResponse:
    """Serve a stored file; the caller has already checked that the user may see its record.
    `inline` only for PDF and images (shown in the browser's own viewer, still sandboxed)."""
    if not field_file:
        raise Http404
    name = filename or os.path.basename(field_file.name)
    content_type = safe_content_type(field_file.name)
    as_attachment = not (inline and content_type in ("application/pdf", "image/jpeg", "image/png"))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


class CheckedUploadField(serializers.FileField):
    """The API's upload field: the same extension, signature and size checks as the pages."""

    def __init__(self, *args, allowed: tuple[str, ...] = (".pdf", ".docx", ".xlsx"), **kwargs) -> None:
        self.allowed = allowed
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        from django import forms

        value = super().to_internal_value(data)
        try:
            validate_upload(value, self.allowed)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value


__all__ = ["ALLOWED_UPLOADS", "CheckedUploadField", "attachment_response", "safe_content_type"]
