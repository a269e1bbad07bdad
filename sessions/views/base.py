"""Shared helpers of the sessions pages."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View

from hdnd_portal.core.constraints import constraint_info
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import add_validation_errors
from hdnd_portal.core.views.mixins import CouncilObjectMixin
from hdnd_portal.core.writes import guard_create


def run_form_action(form, action) -> tuple[bool, Any]:
    """Run a page's service call in one transaction. A DomainError, a model validation error or a
    database constraint becomes a form error beside its field (in the user's language, never the
    database's text) and nothing is saved. Returns (saved, result)."""
    try:
        with transaction.atomic():
            return True, action()
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    except ValidationError as error:
        add_validation_errors(form, error)
    except (IntegrityError, DataError) as error:
        message, field = constraint_info(error)
        form.add_error(field if field in form.fields else None, message)
    return False, None


def guard_new(view, form, council_id: int, permission: str) -> None:
    """The write guard for a record created under a parent on a page (core.writes.guard_create):
    permission on the parent's council and no value pointing into another council."""
    guard_create(user=view.request.user, council_id=council_id, values=dict(form.cleaned_data), permission=permission)


class ObjectActionView(CouncilObjectMixin, View):
    """A POST action on one record: 404 for another council's record, 403 without `permission`.
    Subclasses implement act(obj) and return a message; DomainError becomes an error message."""

    model = None
    http_method_names = ["post"]

    def get_queryset(self):
        return self.model._default_manager.all()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            with transaction.atomic():
                message = self.act(obj)
        except DomainError as error:
            messages.error(request, error.message)
        except (IntegrityError, DataError) as error:
            messages.error(request, constraint_info(error)[0])
        else:
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(self.redirect_url(obj))

    def act(self, obj):  # pragma: no cover - abstract
        raise NotImplementedError

    def redirect_url(self, obj) -> str:
        return obj.get_absolute_url()


def object_for(view, model, pk, permission: str):
    """Load a related record for a page under the same rules (404 other council, 403 no permission)."""
    ids = view.request.access.visible_council_ids()
    qs = model._default_manager.all()
    if ids is not None:
        qs = qs.filter(council_id__any=ids)
    obj = get_object_or_404(qs, pk=pk)
    if not view.request.access.has(obj.council_id, permission):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(permission)
    return obj


def current_deputy(request, council_id: int):
    """The deputy record the user votes and reads as on this council (deputy role), or None."""
    role = request.access.role_on(council_id, "deputy")
    return role.deputy if role else None
