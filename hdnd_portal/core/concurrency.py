"""Stale edits: a change made on an outdated version of a record is refused, with what changed.

Every PortalModel has `version`. Forms carry the version they were opened on; saving checks it
under a row lock and bumps it. The same function serves pages (VersionedFormMixin) and the API
(VersionedSerializerMixin)."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import StaleEditError, VersionRequired


def describe_changes(instance, since_version: int) -> list[dict]:
    """Field changes made after `since_version`, from the history table (who, when, old → new)."""
    records = list(instance.history.filter(version__gte=since_version).order_by("history_date", "history_id"))
    base = next((r for r in records if r.version == since_version), None)
    changes = []
    previous = base
    for record in records:
        if record.version <= since_version or previous is None:
            previous = record
            continue
        delta = record.diff_against(previous, excluded_fields=["version", "updated_at", "search_text"])
        from .views.generic import history_value

        for change in delta.changes:
            field = instance._meta.get_field(change.field)
            changes.append({
                "field": str(getattr(field, "verbose_name", change.field)),
                "old": history_value(field, change.old),
                "new": history_value(field, change.new),
                "by": str(record.history_user) if record.history_user else "",
                "at": record.history_date,
            })
        previous = record
    return changes


def stale_message(changes: list[dict]) -> str:
    if not changes:
        return _("Someone else saved this record after you opened it. Reload the page to see the current version.")
    parts = [
        _("%(field)s from “%(old)s” to “%(new)s” (%(by)s)") % c for c in changes
    ]
    return _("Someone else saved this record after you opened it. Changed meanwhile: %(changes)s. "
             "Reload the page and make your change again.") % {"changes": "; ".join(parts)}


def parse_version(value) -> int:
    """The expected version sent with an update: a whole number, required. Missing or malformed
    answers a clear 400 (VersionRequired), never a 500."""
    if isinstance(value, bool) or value is None or value == "":
        raise VersionRequired()
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise VersionRequired(invalid=True)
    if number > 2_147_483_647:
        raise VersionRequired(invalid=True)
    return number


def check_and_bump(instance, expected_version: int | None) -> None:
    """Lock the row, refuse if it moved past `expected_version`, else bump the version.

    An update must say which version it was made on: `None` for an existing record is refused
    (VersionRequired). Must run inside a transaction; the caller saves `instance` afterwards
    (PortalModel.save writes it with a compare-and-set on the locked version)."""
    if instance.pk is None:
        return
    if expected_version is None:
        raise VersionRequired()
    current = type(instance)._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if current != expected_version:
        changes = describe_changes(instance, expected_version)
        raise StaleEditError(stale_message(changes), extra={"current_version": current, "changes": [
            {**c, "at": c["at"].isoformat()} for c in changes
        ]})
    instance.version = current + 1
    loaded = getattr(instance, "_loaded", None)
    if loaded is not None:
        loaded["version"] = current


def save_versioned(instance, expected_version: int | None, **save_kwargs) -> None:
    with transaction.atomic():
        check_and_bump(instance, expected_version)
        instance.save(**save_kwargs)


def version_field(required: bool = True) -> forms.IntegerField:
    """The hidden field carrying the version a form was opened on (missing or stale → refused)."""
    return forms.IntegerField(
        widget=forms.HiddenInput, required=required, min_value=1, max_value=2_147_483_647,
        error_messages={"required": gettext_lazy("This form has no record version; reload the page and make "
                                                 "your change again."),
                        "invalid": gettext_lazy("The record version is not valid; reload the page.")},
    )


class VersionedFormMixin(forms.BaseForm):
    """ModelForm mixin: carries the version the form was opened on and refuses stale saves."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None and not self.instance._state.adding
        self.fields["_version"] = version_field(required=editing)
        if editing and not self.is_bound:
            self.initial["_version"] = self.instance.version
        if not editing:
            # A one-time token: the same create form submitted twice saves once (see
            # core.views.generic.DomainErrorFormMixin and core.models.FormSubmission).
            import secrets

            self.fields["_once"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
            if not self.is_bound:
                self.initial["_once"] = secrets.token_urlsafe(24)

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("_version") if self.instance.pk else None

    def _post_clean(self):
        # The one-time token is the page's business, not the record's: keep it out of
        # cleaned_data so that views passing cleaned_data to a service never see it.
        self.once_token = self.cleaned_data.pop("_once", None) if hasattr(self, "cleaned_data") else None
        super()._post_clean()


stale_help = gettext_lazy("Changes are checked against the version you opened.")
