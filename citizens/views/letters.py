"""The letter register: list, detail (identity disclosed only with the permission, and logged),
registration with senders, the handling actions, the forwarding document PDF, scans, and the
identity-view log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.files import attachment_response
from hdnd_portal.core.models import Agency, Deadline
from hdnd_portal.core.views.generic import Column, PortalCreateView, PortalDetailView, PortalListView, PortalUpdateView
from hdnd_portal.core.views.mixins import CouncilObjectMixin

from .. import deadlines as dl
from .. import identity, queries, services
from ..apps import CHANGE_LETTER, VIEW_IDENTITY, VIEW_IDENTITY_LOG, VIEW_LETTER
from ..filters import IdentityLogFilter, LetterFilter
from ..forms import (
    AcceptForm,
    ConfirmForm,
    DecideForm,
    DuplicateForm,
    ExtendForm,
    LetterForm,
    LiftProtectionForm,
    NotifyForm,
    ReportForm,
    ResultForm,
    ScanForm,
    SplitForm,
)
from ..models import IdentityViewLog, Letter, LetterScan, Visit
from ..pdf import forwarding_pdf
from .base import LiftProtectionMixin, ObjectActionView, PeopleFormMixin


def _forwarded_to(letter) -> str:
    """The agency forwarded to as str(agency) writes it, from the names queries.letters and
    listed_letters read."""
    return Agency.label(letter.forwarded_to_name, letter.forwarded_to_short_name)


def _next_due(letter) -> str:
    return letter.next_due.strftime("%d/%m/%Y") if getattr(letter, "next_due", None) else ""


class LetterList(PortalListView):
    model = Letter
    permission = VIEW_LETTER
    title = gettext_lazy("Letter register")
    template_name = "citizens/letter_list.html"
    filterset_class = LetterFilter
    default_sort = ["-received_on", "-id"]
    detail_url_name = "citizens:letter_detail"
    create_url_name = "citizens:letter_create"
    create_permission = CHANGE_LETTER
    search_placeholder = gettext_lazy("Number, content, agency; senders' names (not for denunciations)…")
    export_name = "so-don-thu"
    columns = [
        Column("register_number", gettext_lazy("Register number"), sort="register_seq", link=True),
        Column("received_on", gettext_lazy("Received on"), sort="received_on"),
        Column(identity.sender_summary, gettext_lazy("Senders")),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("subject", gettext_lazy("Subject"), css="portal-wide"),
        Column("field_name", gettext_lazy("Field")),
        Column("get_channel_display", gettext_lazy("Channel")),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column(_forwarded_to, gettext_lazy("Forwarded to")),
        Column(_next_due, gettext_lazy("Next deadline"), sort="next_due"),
    ]

    def base_queryset(self):
        if self.request.GET.get("export") == "xlsx":
            return queries.letters(self.council_ids())
        return queries.listed_letters(self.council_ids())

    def export_columns(self):
        return [
            *self.columns[:5],
            Column("content", gettext_lazy("Content")),
            *self.columns[5:],
            Column("signer_count", gettext_lazy("Number of signers")),
            Column("is_multi_signer", gettext_lazy("Multi-signer letter")),
            Column("is_eligible", gettext_lazy("Eligible")),
            Column("get_decision_display", gettext_lazy("Handling decision")),
            Column("forward_doc_number", gettext_lazy("Forwarding document number")),
            Column("respondent_agency", gettext_lazy("Agency complained about")),
            Column("respondent_person", gettext_lazy("Person complained about")),
            Column("get_result_kind_display", gettext_lazy("Result")),
            Column("result_date", gettext_lazy("Resolved on")),
        ]


class LetterDetail(PortalDetailView):
    model = Letter
    permission = VIEW_LETTER
    edit_permission = CHANGE_LETTER
    template_name = "citizens/letter_detail.html"
    edit_url_name = "citizens:letter_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("register_number", gettext_lazy("Register number")),
        Column("received_on", gettext_lazy("Received on")),
        Column("letter_date", gettext_lazy("Date written on the letter")),
        Column("get_channel_display", gettext_lazy("Channel")),
        Column("forwarded_by_deputy", gettext_lazy("Forwarding deputy")),
        Column("forwarded_by_agency", gettext_lazy("Forwarding agency")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("field", gettext_lazy("Field")),
        Column("subject", gettext_lazy("Subject")),
        Column("content", gettext_lazy("Content")),
        Column("respondent_agency", gettext_lazy("Agency complained about")),
        Column("respondent_person", gettext_lazy("Person complained about")),
        Column("signer_count", gettext_lazy("Number of signers")),
        Column("is_multi_signer", gettext_lazy("Multi-signer letter")),
        Column("is_anonymous", gettext_lazy("Anonymous")),
        Column("is_signed", gettext_lazy("Signed")),
        Column("has_address", gettext_lazy("Sender's address given")),
        Column("decision_known_on", gettext_lazy("Date the complainant learnt of the decision")),
        Column("has_clear_evidence", gettext_lazy("Clear evidence")),
        Column("case", gettext_lazy("Case")),
        Column("visit", gettext_lazy("Visit")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("get_decision_display", gettext_lazy("Handling decision")),
        Column("decided_on", gettext_lazy("Decided on")),
        Column("decision_note", gettext_lazy("Decision note")),
        Column("forwarded_to", gettext_lazy("Forwarded to")),
        Column("forward_doc_number", gettext_lazy("Forwarding document number")),
        Column("for_inspection", gettext_lazy("Forwarded for inspection")),
        Column("accepted_on", gettext_lazy("Accepted by the competent authority on")),
        Column("get_complexity_display", gettext_lazy("Complexity")),
        Column("remote_area", gettext_lazy("Remote area")),
        Column("get_round_display", gettext_lazy("Complaint round")),
        Column("get_result_kind_display", gettext_lazy("Result")),
        Column("result_date", gettext_lazy("Resolved on")),
        Column("result_summary", gettext_lazy("Result summary")),
        Column("reported_on", gettext_lazy("Result reported on")),
        Column("citizen_notified_on", gettext_lazy("Citizen informed on")),
    ]

    def get_queryset(self):
        return queries.letter_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter, access = self.object, self.request.access
        reveal = self.request.GET.get("reveal") == "1"
        may = identity.may_see_identity(access, letter.council_id)
        shown = not letter.is_protected or (reveal and identity.disclose(request=self.request, record=letter))
        deadlines = dl.deadlines_of(letter)
        can_change = access.has(letter.council_id, CHANGE_LETTER)
        context.update(
            monitoring=next((d for d in deadlines if d.kind == dl.SETTLEMENT_MONITOR), None),
            second_round=_second_round(letter),
            extensions_allowed=(
                services.extensions_allowed(letter, letter.accepted_on or letter.decided_on or letter.received_on)
                if letter.kind == "denunciation" else None
            ),
        )
        context.update(
            protected=letter.is_protected,
            identity_shown=shown,
            may_reveal=letter.is_protected and may and not shown,
            senders=list(letter.senders.all()) if shown else None,
            scans=list(letter.scans.all()) if shown else None,
            sender_line=identity.sender_summary(letter) if not shown else "",
            deadlines=deadlines,
            labels=dl.LABELS,
            open_kinds=[d.kind for d in deadlines if d.state == Deadline.State.OPEN],
            duplicates=list(letter.duplicates.order_by("received_on")) if letter.has_duplicates else [],
            parts=letter.parts.order_by("register_seq"),
            possible_duplicates=services.letter_find_duplicates(letter) if letter.status == "received" else [],
            can_change=can_change,
            actions=self.actions(letter) if can_change else [],
            can_view_log=access.has(letter.council_id, VIEW_IDENTITY_LOG),
            can_lift=letter.is_protected and may and can_change,
            can_protect=not letter.is_protected and can_change,
            lift_url="citizens:letter_lift_protection",
            protect_url="citizens:letter_protect",
        )
        return context

    def actions(self, letter: Letter) -> list[tuple[str, str]]:
        if letter.status in (Letter.Status.DUPLICATE, Letter.Status.SPLIT):
            return []
        actions = []
        if not letter.decision:
            actions += [
                ("citizens:letter_decide", _("Handling decision")),
                ("citizens:letter_split", _("Split")),
                ("citizens:letter_duplicate", _("Link as duplicate")),
            ]
        # The office forwards, guides or files; it does not accept (thụ lý) a complaint outside its
        # competence: acceptance is the competent agency's, recorded once the letter is forwarded.
        if (
            letter.decision == "forward"
            and letter.kind in ("complaint", "denunciation")
            and letter.is_eligible
            and not letter.accepted_on
            and not letter.result_date
        ):
            actions.append(("citizens:letter_accept", _("Record the agency's acceptance")))
        actions.append(("citizens:letter_extend", _("Extend or pause a deadline")))
        if letter.decision == "forward" or letter.accepted_on:
            actions.append(("citizens:letter_result", _("Record the agency's result")))
        if letter.result_date and not letter.reported_on:
            actions.append(("citizens:letter_report", _("Record the agency's report")))
        if letter.result_date and not letter.citizen_notified_on:
            actions.append(("citizens:letter_notify", _("Record the notice to the citizen")))
        return actions


def _second_round(letter: Letter):
    """(last day, rule) of the second-round complaint window, or None."""
    from hdnd_portal.core.rules import RuleMissing

    try:
        return services.second_round_window(letter)
    except RuleMissing:
        return None


class LetterCreate(PeopleFormMixin, PortalCreateView):
    model = Letter
    form_class = LetterForm
    permission = CHANGE_LETTER
    template_name = "citizens/people_form.html"
    title = gettext_lazy("Register a letter")
    people_extra = 2

    def visit(self) -> Visit | None:
        if not hasattr(self, "_visit"):
            pk = self.request.GET.get("visit") or self.request.POST.get("from_visit")
            self._visit = None
            if pk and str(pk).isdigit():
                self._visit = get_object_or_404(Visit, pk=pk, council=self.council)
        return self._visit

    def get_initial(self):
        initial = super().get_initial()
        visit = self.visit()
        if visit is not None:
            initial.update(
                received_on=visit.date,
                channel=Letter.Channel.IN_PERSON,
                kind=visit.kind,
                field=visit.field_id,
                subject=visit.content[:300],
                content=visit.requests,
                case=visit.case_id,
                signer_count=visit.citizen_count,
            )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("people", self.people_formset())
        context["people_title"] = _("Senders")
        context["from_visit"] = self.visit()
        return context

    def post(self, request, *args, **kwargs):
        self.object = None
        form, people = self.get_form(), self.people_formset()
        if not (form.is_valid() and people.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, people=people))
        data = dict(form.cleaned_data)
        data.pop("_version", None)
        senders = self.people_rows(people)
        visit = self.visit()
        if visit is not None and not senders and request.POST.get("copy_visitors") == "1":
            # Copied server-side so that a protected visitor's identity never reaches the page;
            # letter_register protects a letter registered from a protected visit.
            senders = list(visit.citizens.values("full_name", "address", "id_number", "phone", "is_representative"))
        try:
            with transaction.atomic():
                self.guard(form, Letter(council=self.council))
                self.object = services.letter_register(
                    council=self.council,
                    senders=senders,
                    visit=visit,
                    user=request.user,
                    signer_count=data.pop("signer_count") or None,
                    **data,
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form, people=people))
        if self.object.duplicate_of_id:
            messages.warning(
                request,
                _("Registered as %(n)s and linked to letter %(o)s (same senders, same content).")
                % {"n": self.object.register_number, "o": self.object.duplicate_of.register_number},
            )
        else:
            messages.success(request, _("Letter %(n)s registered.") % {"n": self.object.register_number})
        return HttpResponseRedirect(self.object.get_absolute_url())


class LetterEdit(PeopleFormMixin, PortalUpdateView):
    """Edit a letter. Its senders are in the form only for a reader who may see them; showing
    a protected letter's senders in the form is a disclosure, logged (via = edit)."""

    model = Letter
    form_class = LetterForm
    permission = CHANGE_LETTER
    template_name = "citizens/people_form.html"

    def hidden(self) -> bool:
        letter = self.get_object()
        return letter.is_protected and not identity.may_see_identity(self.request.access, letter.council_id)

    def people_initial_rows(self):
        if self.hidden():
            return []
        return list(
            self.get_object().senders.values("full_name", "address", "id_number", "phone", "email", "is_representative")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people_hidden"] = self.hidden()
        if not context["people_hidden"]:
            context.setdefault("people", self.people_formset())
            letter = self.get_object()
            if letter.is_protected:
                identity.log_view(
                    request=self.request, council_id=letter.council_id, letter=letter, via=IdentityViewLog.Via.EDIT
                )
        context["people_title"] = _("Senders")
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        people = None if self.hidden() else self.people_formset()
        if not form.is_valid() or (people is not None and not people.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, people=people))
        return self.form_valid(form, people)

    def form_valid(self, form, people=None):
        self._people = people
        return super().form_valid(form)

    def perform_save(self, form):
        letter = form.save(commit=False)
        self.guard(form, letter)
        people = getattr(self, "_people", None)
        return services.letter_update(
            letter=letter, senders=None if people is None else self.people_rows(people), user=self.request.user
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form, people=getattr(self, "_people", None)))

    def get_success_url(self):
        return self.object.get_absolute_url()


# --- Actions --------------------------------------------------------------------------------------


class LetterAction(ObjectActionView):
    model = Letter
    permission = CHANGE_LETTER


class LetterDecide(LetterAction):
    form_class = DecideForm
    title = gettext_lazy("Handling decision")
    help_text = gettext_lazy("Forwarding numbers a forwarding document (PDF) and starts the agency's deadlines.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"letter": self.object}

    def perform(self, form):
        services.letter_decide(letter=self.object, user=self.request.user, **form.cleaned_data)


class LetterAccept(LetterAction):
    form_class = AcceptForm
    title = gettext_lazy("Record the agency's acceptance")
    help_text = gettext_lazy(
        "The competent agency the letter was forwarded to accepts (thụ lý) it; the council office does not "
        "accept complaints outside its competence. The office's monitoring deadline moves to the settlement "
        "date counted from this acceptance."
    )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"letter": self.object}

    def perform(self, form):
        data = form.cleaned_data
        services.letter_accept(
            letter=self.object,
            accepted_on=data["accepted_on"],
            complexity=data["complexity"],
            remote_area=data["remote_area"],
            round_=data["round"],
        )


class LetterExtend(LetterAction):
    form_class = ExtendForm
    title = gettext_lazy("Extend or pause a deadline")
    help_text = gettext_lazy(
        "A denunciation's settlement is extended by 30 days: not at all for an ordinary case, once for a complex "
        "case, twice for an especially complex case (Luật Tố cáo 2018, Điều 30). The agency's deadline and the "
        "office's monitoring move together."
    )

    def get_form_kwargs(self):
        kinds = list(
            Deadline.objects.filter(
                object_id=self.object.pk,
                content_type__model="letter",
                content_type__app_label="citizens",
                state=Deadline.State.OPEN,
            ).values_list("kind", flat=True)
        )
        return super().get_form_kwargs() | {"open_kinds": kinds}

    def perform(self, form):
        services.letter_extend(letter=self.object, user=self.request.user, **form.cleaned_data)


class LetterResult(LetterAction):
    form_class = ResultForm
    title = gettext_lazy("Record the agency's result")
    help_text = gettext_lazy(
        "The competent agency's settlement: closes the office's monitoring. For a first-round complaint, the "
        "result date starts the window for a second-round complaint."
    )

    def perform(self, form):
        services.letter_record_result(letter=self.object, **form.cleaned_data)


class LetterReport(LetterAction):
    form_class = ReportForm
    title = gettext_lazy("Record the agency's report")

    def perform(self, form):
        services.letter_record_report(letter=self.object, **form.cleaned_data)


class LetterNotify(LetterAction):
    form_class = NotifyForm
    title = gettext_lazy("Record the notice to the citizen")

    def perform(self, form):
        services.letter_notify_citizen(letter=self.object, **form.cleaned_data)


class LetterSplit(LetterAction):
    form_class = SplitForm
    title = gettext_lazy("Split a mixed letter")
    help_text = gettext_lazy("Give a subject for each kind the letter contains; each part becomes a separate letter.")

    def perform(self, form):
        self.parts = services.letter_split(letter=self.object, parts=form.parts(), user=self.request.user)

    def success_message(self):
        return _("Split into letters %(numbers)s.") % {"numbers": ", ".join(p.register_number for p in self.parts)}


class LetterDuplicate(LetterAction):
    form_class = DuplicateForm
    title = gettext_lazy("Link as duplicate")

    def perform(self, form):
        number = form.cleaned_data["original"].strip()
        original = Letter.objects.filter(council=self.object.council, register_number=number).first()
        if original is None:
            raise DomainError(_("No letter %(n)s in this council's register.") % {"n": number}, field="original")
        services.letter_link_duplicate(letter=self.object, original=original)


class LetterScanUpload(LetterAction):
    """Scans are identity data: uploading them to a denunciation needs the identity permission."""

    form_class = ScanForm
    title = gettext_lazy("Add a scan of the letter")
    versioned = False  # adds a scan beside the letter; the letter itself is unchanged

    def get(self, request, *args, **kwargs):
        self._check_identity()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_identity()
        return super().post(request, *args, **kwargs)

    def _check_identity(self) -> None:
        if self.object.is_protected and not identity.may_see_identity(self.request.access, self.object.council_id):
            raise PermissionDenied(VIEW_IDENTITY)

    def perform(self, form):
        services.letter_add_scan(
            letter=self.object,
            file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            user=self.request.user,
        )


class ScanDownload(CouncilObjectMixin, View):
    permission = VIEW_LETTER
    council_field = "letter__council"

    def get_queryset(self):
        return LetterScan.objects.select_related("letter")

    def get(self, request, pk):
        """A scan shows the sender's handwriting and identity: for a protected letter it needs the
        identity permission, and the download is logged (via = scan)."""
        scan = self.get_object()
        letter = scan.letter
        if letter.is_protected and not identity.disclose(request=request, record=letter, via=IdentityViewLog.Via.SCAN):
            raise PermissionDenied(VIEW_IDENTITY)
        return attachment_response(scan.file)


class LetterLiftProtection(LiftProtectionMixin, LetterAction):
    """Lift the protection of the senders' identity: holders of the identity permission only,
    with a reason, written to the identity log."""

    form_class = LiftProtectionForm
    help_text = gettext_lazy(
        "Only when the denouncer has disclosed their identity or consented (Luật Tố cáo 2018, Điều 47). "
        "The reason is written to the identity log."
    )

    def success_message(self):
        return _("The identity protection was lifted.")


class LetterProtect(LetterAction):
    """The office decides to protect the senders' identity (and of every record derived from it)."""

    form_class = ConfirmForm
    service_checks_version = True
    title = gettext_lazy("Protect the senders' identity")

    def perform(self, form):
        services.record_protect(record=self.object, user=self.request.user, expected_version=self.expected_version)

    def success_message(self):
        return _("The identity is now protected.")


class ForwardingPdf(CouncilObjectMixin, View):
    """The numbered forwarding document; a denouncer's identity is never printed in it."""

    permission = VIEW_LETTER

    def get_queryset(self):
        return queries.letter_detail(self.kwargs["pk"])

    def get(self, request, pk):
        letter = self.get_object()
        if letter.decision != Letter.Decision.FORWARD:
            raise Http404
        response = HttpResponse(forwarding_pdf(letter), content_type="application/pdf")
        filename = f"phieu-chuyen-don-{letter.forward_doc_number.split('/')[0]}-{letter.pk}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


class IdentityLogList(PortalListView):
    model = IdentityViewLog
    permission = VIEW_IDENTITY_LOG
    title = gettext_lazy("Views of denouncers' identity")
    filterset_class = IdentityLogFilter
    searchable = False
    allow_below = False
    default_sort = "-viewed_at"
    export_name = "nhat-ky-xem-danh-tinh"
    columns = [
        Column("viewed_at", gettext_lazy("Viewed at"), sort="viewed_at"),
        Column("user", gettext_lazy("User"), sort="user__sort_key"),
        Column(lambda x: x.letter.register_number if x.letter_id else "", gettext_lazy("Letter")),
        Column(lambda x: str(x.visit) if x.visit_id else "", gettext_lazy("Visit")),
        Column("get_via_display", gettext_lazy("Via"), sort="via"),
        Column("ip_address", gettext_lazy("IP address")),
    ]

    def base_queryset(self):
        return queries.identity_log(self.council_ids())
