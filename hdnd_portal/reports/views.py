"""Staff pages: request a report, follow its progress, list, edit the narrative, regenerate,
download (permission re-checked on every download) and the leaders' dashboard."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.generic import Column, PortalDetailView, PortalListView
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from . import services
from .dashboard import dashboard_data
from .filters import ReportFilter
from .forms import NarrativeForm, ReportRequestForm
from .models import Report
from .queries import reports_for

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


HISTORY_HIDDEN = ("figures", "narrative", "step", "progress", "figures_seconds", "render_seconds")


def progress_payload(report: Report) -> dict:
    return {
        "id": report.pk,
        "number": report.number,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "progress": report.progress,
        "step": report.step,
        "error": report.error,
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "downloads": {
            fmt: reverse("reports:report_download", args=[report.pk, fmt])
            for fmt in FORMATS
            if report.status == Report.Status.DONE and report.file_for(fmt)
        },
    }


class ReportListView(PortalListView):
    model = Report
    title = gettext_lazy("Reports")
    permission = "can_view_report"
    filterset_class = ReportFilter
    detail_url_name = "reports:report_detail"
    create_url_name = "reports:report_request"
    create_permission = "can_request_report"
    default_sort = "-requested_at"
    export_name = "bao-cao"
    columns = [
        Column("number", gettext_lazy("Number"), sort="number_seq", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("council__name", gettext_lazy("Council"), sort="council__name"),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column(
            lambda r: f"{r.period_start:%d/%m/%Y} – {r.period_end:%d/%m/%Y}",
            gettext_lazy("Period"),
            sort="period_start",
        ),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("progress", gettext_lazy("Progress (%)"), css="text-end"),
        Column("requested_by", gettext_lazy("Requested by"), sort="requested_by__sort_key"),
        Column("requested_at", gettext_lazy("Requested at"), sort="requested_at"),
        Column("finished_at", gettext_lazy("Finished at"), sort="finished_at"),
    ]

    def base_queryset(self):
        return reports_for(self.council_ids())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The request page lets the user pick any council they may report on, not only this one.
        context["can_create"] = bool(services.requestable_council_ids(self.request.user) != [])
        return context


class ReportRequestView(LoginRequiredMixin, FormView):
    template_name = "reports/request.html"
    form_class = ReportRequestForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.allowed = services.requestable_council_ids(request.user)
        if self.allowed == []:
            raise PermissionDenied("can_request_report")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "council_ids": self.allowed}

    def get_initial(self):
        today = timezone.localdate()
        council = getattr(self.request, "council", None)
        initial = {
            "kind": Report.Kind.ANNUAL,
            "period_start": today.replace(month=1, day=1),
            "period_end": today.replace(month=12, day=31),
            "include_below": True,
        }
        if council and (self.allowed is None or council.id in self.allowed):
            initial["council"] = council.id
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report, created = services.report_request(
                user=self.request.user,
                council=data["council"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                include_below=data["include_below"],
                signer_name=data["signer_name"],
                recipients=data["recipients"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("The report %(number)s is being generated.") % {"number": report.number})
        else:
            messages.info(self.request, _("The same report is already being generated; here is its progress."))
        return HttpResponseRedirect(report.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Request a report"), **kwargs)


class ReportObjectMixin(CouncilObjectMixin):
    model = Report
    permission = "can_view_report"

    def get_queryset(self):
        return Report.objects.select_related("council", "council__parent", "requested_by")


class ReportDetailView(ReportObjectMixin, PortalDetailView):
    template_name = "reports/detail.html"
    edit_permission = "can_request_report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        if context.get("history"):
            # The figures and the narrative are shown on the page and in the files; their JSON in the
            # history would bury the changes that matter (who regenerated, signer, status).
            hidden = {str(Report._meta.get_field(f).verbose_name) for f in HISTORY_HIDDEN}
            for row in context["history"]:
                row["changes"] = [c for c in row["changes"] if str(c[0]) not in hidden]
        context.update(
            progress=progress_payload(report),
            can_change=_may_change(self.request, report),
            fields=[
                (_("Number"), report.number),
                (_("Council"), report.council.name),
                (_("Kind"), report.get_kind_display()),
                (_("Period"), f"{report.period_start:%d/%m/%Y} – {report.period_end:%d/%m/%Y}"),
                (_("Include the councils below"), _("Yes") if report.include_below else _("No")),
                (_("Document date"), f"{report.issued_on:%d/%m/%Y}"),
                (_("Requested by"), report.requested_by or "—"),
                (
                    _("Requested at"),
                    formats.date_format(timezone.localtime(report.requested_at), "SHORT_DATETIME_FORMAT"),
                ),
                (
                    _("Finished at"),
                    formats.date_format(timezone.localtime(report.finished_at), "SHORT_DATETIME_FORMAT")
                    if report.finished_at
                    else "—",
                ),
                (_("Figures computed in (s)"), report.figures_seconds if report.figures_seconds is not None else "—"),
                (_("Files rendered in (s)"), report.render_seconds if report.render_seconds is not None else "—"),
            ],
        )
        return context


def _may_change(request, report: Report) -> bool:
    return services.may_change(request.access, report)


class ReportProgressView(ReportObjectMixin, View):
    def get(self, request, pk):
        return JsonResponse(progress_payload(self.get_object()))


class ReportDownloadView(ReportObjectMixin, View):
    """Serves a file only after checking, on every download, that the user may read the report."""

    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        report = self.get_object()
        field = report.file_for(fmt)
        if report.status != Report.Status.DONE or not field:
            raise Http404
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = f"{report.number.replace('/', '-')}.{fmt}"
        return FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type=FORMATS.get(fmt) or mimetypes.guess_type(filename)[0],
        )


class ReportRegenerateView(ReportObjectMixin, View):
    def post(self, request, pk):
        report = self.get_object()
        if not _may_change(request, report):
            raise PermissionDenied("can_request_report")
        try:
            services.report_regenerate(report=report, reset_narrative=request.POST.get("reset") == "1")
            messages.success(request, _("The report is being generated again."))
        except DomainError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(report.get_absolute_url())


class ReportNarrativeView(ReportObjectMixin, FormView):
    template_name = "reports/narrative.html"
    form_class = NarrativeForm

    def get_report(self) -> Report:
        report = self.get_object()
        if not _may_change(self.request, report):
            raise PermissionDenied("can_request_report")
        return report

    def get_form_kwargs(self):
        self.report = self.get_report()  # before super(): get_initial() reads it
        return {**super().get_form_kwargs(), "report": self.report}

    def get_initial(self):
        return {
            "version": self.report.version,
            "signer_name": self.report.signer_name,
            "recipients": self.report.recipients,
        }

    def form_valid(self, form):
        try:
            services.report_update_text(
                report=self.report,
                blocks=form.cleaned_blocks(),
                signer_name=form.cleaned_data["signer_name"],
                recipients=form.cleaned_data["recipients"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The files are being rendered again with your text."))
        return HttpResponseRedirect(self.report.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, which loads self.report
        context.update(title=_("Edit the narrative"), report=self.report)
        return context


class DashboardView(CouncilMixin, TemplateView):
    template_name = "reports/dashboard.html"
    permission = "can_view_report_dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year + 1)
        below = self.request.GET.get("below") == "1"
        ids = [self.council.id]
        if below:
            readable = self.request.access.council_ids("can_view_report_dashboard")
            readable = None if readable is None else set(readable)
            ids = [i for i in self.request.access.council_and_below(self.council) if readable is None or i in readable]
        context.update(
            title=_("Dashboard"),
            data=dashboard_data(ids, year, today),
            year=year,
            below=below,
            years=list(range(today.year, today.year - 6, -1)),
            show_below=self.request.access.has_councils_below(self.council),
        )
        return context
