"""Page-side council scoping and permissions (the API side is core.api.CouncilPermission;
change them together). Another council's object answers 404, a missing permission 403."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404


class CouncilMixin(LoginRequiredMixin):
    """Requires a current council and `permission` on it (list and create pages)."""

    permission: str = "can_view_dashboard"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.council:
            raise PermissionDenied("no council")
        self.council = request.council._wrapped if hasattr(request.council, "_wrapped") else request.council
        self.check_permission()
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self) -> None:
        if self.permission and not self.request.access.has(self.council.id, self.permission):
            raise PermissionDenied(self.permission)

    def has_perm(self, permission: str, council_id: int | None = None) -> bool:
        return self.request.access.has(council_id or self.council.id, permission)


class CouncilObjectMixin(CouncilMixin):
    """Detail, edit and delete pages: the object must belong to a council the user can see
    (404 otherwise) and the user needs `permission` on the object's council (403 otherwise)."""

    council_field = "council"

    def check_permission(self) -> None:
        # Checked against the object's council in get_object().
        pass

    def visible_queryset(self):
        qs = self.get_queryset()
        ids = self.request.access.visible_council_ids()
        return qs if ids is None else qs.filter(**{f"{self.council_field}__any": ids})

    def get_object(self, queryset=None):
        if hasattr(self, "_object"):
            return self._object
        obj = get_object_or_404(self.visible_queryset(), pk=self.kwargs["pk"])
        council_id = self.object_council_id(obj)
        if council_id is None:
            raise Http404
        if self.permission and not self.request.access.has(council_id, self.permission):
            raise PermissionDenied(self.permission)
        self._object = obj
        return obj

    def object_council_id(self, obj) -> int | None:
        value = obj
        for part in self.council_field.split("__"):
            value = getattr(value, part)
        return value.id if hasattr(value, "id") else value
