"""The deputies' own view: my sessions, the documents I have to read, vote now. Also the minutes
downloads (office pages)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from ..models import CouncilSession, SessionMinutes
from ..queries import deputy_overview
from ..services.minutes import minutes_request
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


class MinutesPage(CouncilObjectMixin, TemplateView):
    """The session's minutes: ask a worker to render them (POST), follow its progress (the page
    asks for JSON while it runs) and download the PDF and Word files once they are ready."""

    permission = "can_change_session"
    template_name = "sessions/minutes.html"

    def get_queryset(self):
        return CouncilSession.objects.select_related("council", "term", "minutes_file")

    def minutes(self):
        return getattr(self.get_object(), "minutes_file", None)

    def progress(self) -> dict:
        minutes = self.minutes()
        if minutes is None:
            return {"status": "", "status_label": "", "progress": 0, "error": "", "downloads": {}}
        session = self.get_object()
        downloads = {}
        if minutes.status == SessionMinutes.Status.DONE:
            downloads = {"pdf": reverse("sessions:minutes_pdf", args=[session.pk]),
                         "docx": reverse("sessions:minutes_docx", args=[session.pk])}
        return {"status": minutes.status, "status_label": str(minutes.get_status_display()),
                "progress": minutes.progress, "error": minutes.error, "downloads": downloads}

    def get(self, request, *args, **kwargs):
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(self.progress())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        try:
            minutes_request(session=session, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("sessions:minutes", pk=session.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.get_object()
        context.update(session=session, minutes=self.minutes(), progress=self.progress(),
                       title=_("Minutes of %(session)s") % {"session": session})
        return context


class MinutesDownload(CouncilObjectMixin, TemplateView):
    """A rendered minutes file; before there is one, the minutes page (which renders them)."""

    permission = "can_change_session"
    fmt = "pdf"

    def get_queryset(self):
        return CouncilSession.objects.select_related("council", "minutes_file")

    def get(self, request, *args, **kwargs):
        from hdnd_portal.core.files import attachment_response

        session = self.get_object()
        minutes = getattr(session, "minutes_file", None)
        if minutes is None or minutes.status != SessionMinutes.Status.DONE:
            return redirect("sessions:minutes", pk=session.pk)
        name = f"bien-ban-ky-hop-{session.number}.{self.fmt}"
        return attachment_response(minutes.file_for(self.fmt), filename=name, inline=self.fmt == "pdf")


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
