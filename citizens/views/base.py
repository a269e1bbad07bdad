"""Shared pieces of the citizens pages: an action form on one record (calls a service; a
DomainError becomes a message beside the field and nothing is saved) and the people formset."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.constraints import constraint_info
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import add_validation_errors
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from ..forms import PersonFormSet, person_rows


class ObjectActionView(CouncilObjectMixin, FormView):
    """A form that applies one service to one record (decide, accept, extend, cancel…)."""

    template_name = "citizens/action_form.html"
    model = None
    title = ""
    help_text = ""
    # An action that changes the record names the version it was opened on (hidden `_version`,
    # checked and bumped under a row lock before the service runs); False for actions that only
    # add records beside it (generating days, adding a scan).
    versioned = True
    service_checks_version = False  # the service takes expected_version itself (self.expected_version)

    def get_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.council = request.council
        self.object = self.get_object()
        return super(CouncilObjectMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, title=self.get_title(), help_text=self.help_text, **kwargs)

    def get_title(self) -> str:
        return f"{self.title} — {self.object}"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.versioned:
            form.fields["_version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=1,
                error_messages={
                    "required": gettext_lazy(
                        "This form has no record version; reload the page and make your change again."
                    ),
                    "invalid": gettext_lazy("The record version is not valid; reload the page."),
                },
            )
            if not form.is_bound:
                form.initial["_version"] = self.object.version
        return form

    def form_invalid(self, form):
        if "_version" in form.errors:
            for message in form.errors["_version"]:
                form.add_error(None, message)
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.expected_version = form.cleaned_data.pop("_version", None)
                if self.versioned and not self.service_checks_version:
                    check_and_bump(self.object, self.expected_version)
                self.perform(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        except DjangoValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        except (IntegrityError, DataError) as error:
            message, field = constraint_info(error)
            form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message())
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        return _("Saved.")

    def get_success_url(self) -> str:
        return self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else self.request.path


class LiftProtectionMixin:
    """Lifting a record's identity protection: only a holder of the identity permission (403 before
    the form is shown); the service checks it again, with the reason and the version, and logs it."""

    service_checks_version = True
    title = gettext_lazy("Lift the identity protection")

    def check_lift(self) -> None:
        from .. import identity
        from ..apps import VIEW_IDENTITY

        if not identity.may_see_identity(self.request.access, self.object.council_id):
            raise PermissionDenied(VIEW_IDENTITY)

    def get(self, request, *args, **kwargs):
        self.check_lift()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_lift()
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        from .. import services

        services.record_lift_protection(
            record=self.object,
            user=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=self.expected_version,
            ip_address=self.request.META.get("REMOTE_ADDR"),
        )


class PeopleFormMixin:
    """Adds the formset of people (visitors or senders) to a create/edit page."""

    people_label = ""
    people_initial: list[dict] | None = None
    people_extra = 3

    def people_formset(self):
        initial = self.people_initial_rows()
        formset_class = PersonFormSet
        formset_class.extra = self.people_extra if not initial else 2
        if self.request.method == "POST":
            return formset_class(self.request.POST, prefix="people", initial=initial)
        return formset_class(prefix="people", initial=initial)

    def people_initial_rows(self) -> list[dict]:
        return self.people_initial or []

    def people_rows(self, formset) -> list[dict]:
        return person_rows(formset)
