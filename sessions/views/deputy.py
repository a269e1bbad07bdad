"""The deputies' own view: my sessions, the documents I have to read, vote now. Also the minutes
downloads (office pages)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from ..minutes import minutes_docx, minutes_pdf
from ..models import CouncilSession
from ..queries import deputy_overview
from .base import current_deputy


class MySessions(CouncilMixin, TemplateView):
    permission = "can_view_session"
    template_name = "sessions/my_sessions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deputy = current_deputy(self.request, self.council.id)
        if deputy is None:
            raise PermissionDenied(_("This page is for deputies."))
        overview = deputy_overview(deputy, self.request.access, self.council)
        title = _("My sessions") if overview["sitting"] else _("My sessions (history)")
        context.update(title=title, **overview)
        return context


class MinutesDownload(CouncilObjectMixin, TemplateView):
    permission = "can_change_session"
    fmt = "pdf"

    def get_queryset(self):
        return CouncilSession.objects.select_related("council", "term")

    def get(self, request, *args, **kwargs):
        session = self.get_object()
        name = f"bien-ban-ky-hop-{session.number}"
        if self.fmt == "docx":
            response = HttpResponse(
                minutes_docx(session),
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        else:
            response = HttpResponse(minutes_pdf(session), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response


class AttachedFile(CouncilObjectMixin, TemplateView):
    """Serve a record's attached file after the same permission check as its page (media files
    are not served directly in production)."""

    model = None
    field = ""

    def get_queryset(self):
        return self.model._default_manager.all()

    def get(self, request, *args, **kwargs):
        from hdnd_portal.core.files import attachment_response

        # get_object: another council's record 404, a missing permission 403; then as an attachment.
        return attachment_response(getattr(self.get_object(), self.field))
