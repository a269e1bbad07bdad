"""Shared pieces of the oversight pages: child-record forms, responder-aware object access,
checked file downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import FormView

from hdnd_portal.core.concurrency import check_and_bump
from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import DomainErrorFormMixin
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from ..access import ASSIGNED, VIEW, agency_limit, sees_item

VIEW_PERM, CHANGE_PERM, REPORT_PERM, EVALUATE_PERM = (
    VIEW,
    "can_change_oversight",
    "can_report_oversight",
    "can_evaluate_recommendation",
)


class ServiceSaveMixin(DomainErrorFormMixin):
    """Create/update pages whose save goes through a service: `save(obj, form)` returns the record."""

    def perform_save(self, form):
        obj = form.save(commit=False)
        if obj.pk:
            check_and_bump(obj, form.expected_version())
        elif hasattr(obj, "council_id") and not obj.council_id:
            obj.council = self.council
        return self.save(obj, form)

    def save(self, obj, form):  # pragma: no cover - overridden
        raise NotImplementedError


class AssignedListMixin(CouncilMixin):
    """Lists that agency responders may see, limited to their own agency's rows."""

    permission = VIEW_PERM
    agency_field = "agency_id"

    def check_permission(self) -> None:
        access = self.request.access
        if not (access.has(self.council.id, VIEW) or access.has(self.council.id, ASSIGNED)):
            raise PermissionDenied(VIEW)

    def limit_to_agency(self, qs):
        limit = agency_limit(self.request.access, self.council.id)
        return qs if limit is None else qs.filter(**{f"{self.agency_field}__in": limit})

    def council_ids(self) -> list[int]:
        ids = super().council_ids()
        if not self.request.access.has(self.council.id, VIEW):
            return [self.council.id]
        return ids


class AssignedObjectMixin(CouncilObjectMixin):
    """Detail/forms on items responders may reach: another agency's item is not found (404)."""

    permission = VIEW_PERM
    agency_attr = "agency_id"

    def get_object(self, queryset=None):
        if hasattr(self, "_object"):
            return self._object
        obj = get_object_or_404(self.visible_queryset(), pk=self.kwargs["pk"])
        access = self.request.access
        if not sees_item(access, obj.council_id, getattr(obj, self.agency_attr)):
            if access.has(obj.council_id, ASSIGNED) or not access.perms(obj.council_id):
                raise Http404
            raise PermissionDenied(VIEW)
        if self.permission not in (VIEW_PERM, ASSIGNED) and not access.has(obj.council_id, self.permission):
            raise PermissionDenied(self.permission)
        self._object = obj
        return obj


class ParentFormView(CouncilObjectMixin, FormView):
    """A form acting on a parent record (add a topic to a programme, answer a question…).
    `model` is the parent; `apply(form, parent)` calls the service; errors go beside the field."""

    template_name = "core/form.html"
    permission = CHANGE_PERM
    model = None
    title = ""

    def get_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return response

    @property
    def parent(self):
        return self.get_object()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.parent.council
        kwargs["user"] = self.request.user
        kwargs.update(self.extra_form_kwargs())
        return kwargs

    def extra_form_kwargs(self) -> dict:
        return {}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.result = self.apply(form, self.parent)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.parent.get_absolute_url() if hasattr(self.parent, "get_absolute_url") else "/"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title} — {self.parent}", **kwargs)


def file_response(field_file):
    if not field_file:
        raise Http404
    try:
        return FileResponse(field_file.open("rb"), as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1])
    except FileNotFoundError:
        raise Http404 from None
