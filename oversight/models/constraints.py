"""Constraints with a readable message and the form field it belongs to.

`violation_error_field` is read by hdnd_portal.core.constraints (database errors) and by
oversight.services.common.check_constraints (before saving), so that a broken rule is shown
beside its field, in the user's language, whichever of the two catches it. The classes
deconstruct as Django's own constraints: the field is presentation, not schema."""

from django.db import models


class _FieldMixin:
    violation_error_field: str | None = None

    def clone(self):
        copy = super().clone()
        copy.violation_error_field = self.violation_error_field
        return copy


class FieldCheckConstraint(_FieldMixin, models.CheckConstraint):
    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs


class FieldUniqueConstraint(_FieldMixin, models.UniqueConstraint):
    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.UniqueConstraint", args, kwargs


def check(*, condition, name: str, message, field: str) -> models.CheckConstraint:
    constraint = FieldCheckConstraint(condition=condition, name=name, violation_error_message=message)
    constraint.violation_error_field = field
    return constraint


def unique(*, fields: list[str], name: str, message, field: str) -> models.UniqueConstraint:
    constraint = FieldUniqueConstraint(fields=fields, name=name, violation_error_message=message)
    constraint.violation_error_field = field
    return constraint
