"""Shared pieces of the oversight pages: child-record forms, responder-aware object access,
checked file downloads."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import FormView

from hdnd_portal.core.files import attachment_response
from hdnd_portal.core.views.generic import DomainErrorFormMixin
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin
from hdnd_portal.core.writes import check_relations

from ..access import ASSIGNED, VIEW, agency_limit, sees_item

VIEW_PERM, CHANGE_PERM, REPORT_PERM, EVALUATE_PERM = (
    VIEW,
    "can_change_oversight",
    "can_report_oversight",
    "can_evaluate_recommendation",
)


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

    def item_agency_id(self, obj) -> int | None:
        """The agency an item is addressed to (a responder of that agency may reach it)."""
        return obj.agency_id

    def get_object(self, queryset=None):
        if hasattr(self, "_object"):
            return self._object
        obj = get_object_or_404(self.visible_queryset(), pk=self.kwargs["pk"])
        access = self.request.access
        if not sees_item(access, obj.council_id, self.item_agency_id(obj)):
            if access.has(obj.council_id, ASSIGNED) or not access.perms(obj.council_id):
                raise Http404
            raise PermissionDenied(VIEW)
        if self.permission not in (VIEW_PERM, ASSIGNED) and not access.has(obj.council_id, self.permission):
            raise PermissionDenied(self.permission)
        self._object = obj
        return obj


class ParentFormView(DomainErrorFormMixin, CouncilObjectMixin, FormView):
    """A form acting on a parent record (add a topic to a programme, answer a question…).
    `model` is the parent; `apply(form, parent)` calls the service. The core page base runs the
    save in one transaction and puts any refusal beside its field; new records take the
    parent's council, and every record the form points to is checked against it (core.writes)."""

    template_name = "core/form.html"
    permission = CHANGE_PERM
    model = None
    title = ""
    # Fields that may point below the parent's council; the service checks them (scoping included).
    cross_level_fields: tuple[str, ...] = ()

    def get_queryset(self):
        return self.model._default_manager.all()

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

    def perform_save(self, form):
        values = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "_version" and name not in self.cross_level_fields
        }
        check_relations(
            user=self.request.user, council_id=self.parent.council_id, values=values, permission=self.permission
        )
        return self.apply(form, self.parent)

    def apply(self, form, parent):  # pragma: no cover - every subclass calls its service
        raise NotImplementedError

    def get_success_url(self):
        return self.parent.get_absolute_url() if hasattr(self.parent, "get_absolute_url") else "/"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title} — {self.parent}", **kwargs)


def file_response(field_file):
    """A stored file, after the calling view checked that the user may see its record."""
    return attachment_response(field_file)
