"""Session documents (upload, versions, sending, download with read receipts) and verification."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from hdnd_portal.core.deadlines import status_of
from hdnd_portal.core.files import attachment_response
from hdnd_portal.core.views.generic import Column, PortalDetailView, PortalListView, PortalUpdateView
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from .. import services
from ..filters import DocumentFilter, VerificationFilter
from ..forms import DocumentCreateForm, DocumentEditForm, VerificationAssignForm, VerificationForm, VersionForm
from ..models import CouncilSession, SessionDocument, Verification
from ..queries import document_versions, documents_list, read_receipts, visible_documents
from .base import ObjectActionView, current_deputy, guard_new, run_form_action


def _number_or_missing(doc) -> str:
    if doc.shown_number:
        return doc.shown_number
    if doc.kind in SessionDocument.NUMBER_TYPES:
        return _("Not entered yet (the issuer's number)")
    return ""


def _read_state(doc) -> str:
    if not hasattr(doc, "is_read"):
        return ""
    return _("Read") if doc.is_read else _("Unread")


class DocumentList(PortalListView):
    model = SessionDocument
    title = gettext_lazy("Session documents")
    permission = "can_view_session"
    detail_url_name = "sessions:document_detail"
    filterset_class = DocumentFilter
    default_sort = ["-doc_date", "-pk"]
    search_placeholder = gettext_lazy("Number or title…")
    export_name = "tai-lieu-ky-hop"

    @property
    def columns(self):
        columns = [
            Column("shown_number", gettext_lazy("Number"), sort="number_seq", link=True),
            Column("title", gettext_lazy("Title"), sort="title", link=True),
            Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
            Column("session", gettext_lazy("Session")),
            Column("doc_date", gettext_lazy("Document date"), sort="doc_date"),
            Column("get_visibility_display", gettext_lazy("Visibility")),
            Column("current_version", gettext_lazy("Version")),
            Column("sent_at", gettext_lazy("Sent to deputies at"), sort="sent_at"),
        ]
        if self.deputy_id():
            columns.append(Column(_read_state, gettext_lazy("My reading")))
        return columns

    def deputy_id(self):
        deputy = current_deputy(self.request, self.council.id)
        return deputy.pk if deputy else None

    def base_queryset(self):
        qs = documents_list(self.council_ids(), self.deputy_id())
        return visible_documents(qs, self.request.access, self.council.id)


class DocumentCreate(CouncilObjectMixin, TemplateView):
    template_name = "core/form.html"
    permission = "can_change_session"

    def get_queryset(self):
        return CouncilSession.objects.all()

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("New document — %(s)s") % {"s": self.get_object()}},
        )

    def get(self, request, *args, **kwargs):
        session = self.get_object()
        initial = {"agenda_item": request.GET.get("item")} if request.GET.get("item") else {}
        return self.render_form(DocumentCreateForm(council=session.council, session=session, initial=initial))

    def post(self, request, *args, **kwargs):
        session = self.get_object()
        form = DocumentCreateForm(request.POST, request.FILES, council=session.council, session=session)
        if form.is_valid():
            data = form.cleaned_data

            def create():
                guard_new(self, form, session.council_id, self.permission)
                return services.document_create(
                    session=session,
                    kind=data["kind"],
                    title=data["title"],
                    doc_date=data["doc_date"],
                    file=data["file"],
                    user=request.user,
                    issuer=data["issuer"],
                    visibility=data["visibility"],
                    agenda_item=data["agenda_item"],
                    note=data["note"],
                    external_number=data["external_number"],
                    external_date=data["external_date"],
                )

            saved, document = run_form_action(form, create)
            if saved:
                messages.success(request, _("Document saved."))
                return HttpResponseRedirect(document.get_absolute_url())
        return self.render_form(form)


class DocumentDetail(PortalDetailView):
    model = SessionDocument
    template_name = "sessions/document_detail.html"
    permission = "can_view_session"
    edit_permission = "can_change_session"
    edit_url_name = "sessions:document_edit"
    fields = [
        Column("session", gettext_lazy("Session")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column(_number_or_missing, gettext_lazy("Number")),
        Column("issuer", gettext_lazy("Issuing body")),
        Column("external_date", gettext_lazy("Date on the document")),
        Column("doc_date", gettext_lazy("Document date")),
        Column("agenda_item", gettext_lazy("Agenda item")),
        Column("get_visibility_display", gettext_lazy("Visibility")),
        Column("current_version", gettext_lazy("Current version")),
        Column("sent_at", gettext_lazy("Sent to deputies at")),
    ]

    def get_queryset(self):
        return SessionDocument.objects.select_related("session", "session__council", "agenda_item")

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        # A document the user may not see (not sent yet, not public) answers 404 like another council's.
        if not visible_documents(
            SessionDocument.objects.filter(pk=obj.pk), self.request.access, obj.council_id
        ).exists():
            raise Http404
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        doc = self.object
        access = self.request.access
        context.update(
            versions=document_versions(doc),
            receipts=read_receipts(doc) if access.has(doc.council_id, "can_view_read_receipt") else None,
            can_change=access.has(doc.council_id, "can_change_session"),
            # Said in the confirmation dialog of "Send to deputies".
            recipient_count=services.sitting_deputies(
                doc.council_id, doc.session.planned_start or timezone.localdate()
            ).count()
            if doc.sent_at is None and access.has(doc.council_id, "can_change_session")
            else 0,
            verifications=list(doc.verifications.select_related("committee")),
            assign_form=VerificationAssignForm(council=doc.council)
            if doc.kind != SessionDocument.Kind.VERIFICATION_REPORT
            else None,
            version_form=VersionForm(),
        )
        return context


class DocumentEdit(PortalUpdateView):
    model = SessionDocument
    form_class = DocumentEditForm
    permission = "can_change_session"
    success_url_name = "sessions:document_detail"

    def perform_save(self, form):
        document = form.save(commit=False)
        self.guard(form, document)
        return services.document_update(document=document)


class DocumentVersionUpload(CouncilObjectMixin, TemplateView):
    template_name = "core/form.html"
    permission = "can_change_session"

    def get_queryset(self):
        return SessionDocument.objects.all()

    def get(self, request, *args, **kwargs):
        return render(
            request,
            self.template_name,
            {"form": VersionForm(), "title": _("New version — %(d)s") % {"d": self.get_object()}},
        )

    def post(self, request, *args, **kwargs):
        document = self.get_object()
        form = VersionForm(request.POST, request.FILES)
        if form.is_valid():
            saved, version = run_form_action(
                form,
                lambda: services.document_add_version(
                    document=document,
                    file=form.cleaned_data["file"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                ),
            )
            if saved:
                messages.success(
                    request, _("Version %(n)s uploaded; the previous one is kept.") % {"n": version.number}
                )
                return HttpResponseRedirect(document.get_absolute_url())
        return render(request, self.template_name, {"form": form, "title": _("New version — %(d)s") % {"d": document}})


class DocumentSend(ObjectActionView):
    model = SessionDocument
    permission = "can_change_session"

    def act(self, document):
        services.document_send(document=document)
        return _("Sent to the deputies.")


class DocumentDownload(CouncilObjectMixin, TemplateView):
    """Serve a version's file (current by default); a deputy opening it leaves a read receipt."""

    permission = "can_view_session"

    def get_queryset(self):
        return SessionDocument.objects.select_related("session")

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        if not visible_documents(
            SessionDocument.objects.filter(pk=document.pk), request.access, document.council_id
        ).exists():
            raise Http404
        number = request.GET.get("v")
        versions = document.versions.all()
        if number:
            # A malformed or unknown version number is a missing file (404), never a 500.
            valid = number.isascii() and number.isdigit() and len(number) <= 5
            version = versions.filter(number=int(number)).first() if valid else None
        else:
            version = versions.order_by("-number").first()
        if version is None:
            raise Http404
        response = attachment_response(version.file, filename=version.original_name, inline=True)
        deputy = current_deputy(request, document.council_id)
        if deputy is not None:
            try:
                services.document_mark_read(document=document, deputy=deputy)
            except services.NotInAudience:
                pass  # a public document opened by a deputy who did not sit then: no receipt
        return response


# --- Verification -------------------------------------------------------------------------------


def _verification_state(v) -> str:
    state = status_of(v.due_date, v.status == Verification.Status.DONE)
    return {
        "done": _("Done"),
        "overdue": _("Overdue"),
        "long_overdue": _("Overdue"),
        "due_soon": _("Due soon"),
        "open": _("Open"),
    }[state]


class VerificationList(PortalListView):
    model = Verification
    title = gettext_lazy("Verification (thẩm tra)")
    permission = "can_view_session"
    detail_url_name = "sessions:verification_detail"
    filterset_class = VerificationFilter
    default_sort = ["due_date"]
    search_placeholder = gettext_lazy("Submission or committee…")
    export_name = "tham-tra"
    columns = [
        Column("submission", gettext_lazy("Submission"), link=True),
        Column("committee__name", gettext_lazy("Committee"), sort="committee__sort_key"),
        Column("session", gettext_lazy("Session")),
        Column("due_date", gettext_lazy("Due date"), sort="due_date"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column(_verification_state, gettext_lazy("Deadline")),
        Column("report", gettext_lazy("Verification report")),
        Column("completed_on", gettext_lazy("Completed on"), sort="completed_on"),
    ]

    def base_queryset(self):
        return super().base_queryset().select_related("submission", "committee", "session", "report")


class VerificationAssign(CouncilObjectMixin, TemplateView):
    template_name = "core/form.html"
    permission = "can_change_session"

    def get_queryset(self):
        return SessionDocument.objects.select_related("session")

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("Assign verification — %(d)s") % {"d": self.get_object()}},
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(VerificationAssignForm(council=self.get_object().council))

    def post(self, request, *args, **kwargs):
        document = self.get_object()
        form = VerificationAssignForm(request.POST, council=document.council)
        if form.is_valid():

            def assign():
                guard_new(self, form, document.council_id, self.permission)
                return services.verification_assign(
                    submission=document,
                    committee=form.cleaned_data["committee"],
                    assigned_on=form.cleaned_data["assigned_on"],
                )

            saved, verification = run_form_action(form, assign)
            if saved:
                messages.success(
                    request, _("Assigned; due %(date)s.") % {"date": verification.due_date.strftime("%d/%m/%Y")}
                )
                return HttpResponseRedirect(verification.get_absolute_url())
        return self.render_form(form)


class VerificationDetail(PortalDetailView):
    model = Verification
    permission = "can_view_session"
    edit_permission = "can_change_session"
    edit_url_name = "sessions:verification_edit"
    fields = [
        Column("session", gettext_lazy("Session")),
        Column("submission", gettext_lazy("Submission")),
        Column("committee", gettext_lazy("Committee")),
        Column("assigned_on", gettext_lazy("Assigned on")),
        Column("due_date", gettext_lazy("Due date")),
        Column("get_status_display", gettext_lazy("Status")),
        Column(_verification_state, gettext_lazy("Deadline")),
        Column("report", gettext_lazy("Verification report")),
        Column("conclusion", gettext_lazy("Conclusion")),
        Column("completed_on", gettext_lazy("Completed on")),
    ]

    def get_queryset(self):
        return Verification.objects.select_related("session", "submission", "committee", "report")


class VerificationEdit(PortalUpdateView):
    model = Verification
    form_class = VerificationForm
    permission = "can_change_session"
    success_url_name = "sessions:verification_detail"

    def perform_save(self, form):
        verification = form.save(commit=False)
        self.guard(form, verification)
        data = form.cleaned_data
        return services.verification_update(
            verification=verification,
            status=data["status"],
            report=data["report"],
            conclusion=data["conclusion"],
            completed_on=data["completed_on"],
        )
