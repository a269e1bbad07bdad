"""Petition pages: list (with selection for forwarding), detail, create/edit, merge, answer,
evaluate, similar-petition suggestions, Excel import, forwarding letters, deputies' own list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views import View

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.exports import XLSX
from hdnd_portal.core.files import attachment_response
from hdnd_portal.core.htmltext import escape_text
from hdnd_portal.core.models import Agency
from hdnd_portal.core.views.generic import (
    Column,
    PortalCreateView,
    PortalDetailView,
    PortalListView,
    PortalUpdateView,
    object_url_maker,
    truncate_chars,
)
from hdnd_portal.core.views.mixins import CouncilMixin, CouncilObjectMixin

from .. import importer, services
from ..filters import PetitionFilter
from ..forms import AnswerForm, EvaluateForm, ForwardForm, ImportForm, MergeForm, PetitionForm
from ..models import ForwardingLetter, Petition
from ..queries import VIEW_ANY, parse_id, petition_list_qs, petition_rows, similar_petitions, visible_petitions

__all__ = [
    "PetitionList",
    "PetitionDetail",
    "PetitionCreate",
    "PetitionEdit",
    "PetitionMerge",
    "PetitionAnswer",
    "PetitionEvaluate",
    "PetitionSimilar",
    "PetitionForward",
    "PetitionImport",
    "ImportTemplate",
    "LetterList",
    "LetterDetail",
    "LetterPdf",
    "PetitionResponseDocument",
    "MyPetitions",
]


def _deputies(p) -> str:
    return ", ".join(d.full_name for d in p.deputies.all())


def _age(p) -> str:
    return p.age_label


class AnyPetitionPermission:
    """Petition pages open to anyone who may read some petitions of the council; which rows
    they see is decided by queries.visible_petitions."""

    def check_permission(self) -> None:
        if not any(self.request.access.has(self.council.id, p) for p in VIEW_ANY):
            raise PermissionDenied("can_view_petition")


class PetitionList(AnyPetitionPermission, PortalListView):
    model = Petition
    template_name = "voters/petition_list.html"
    title = gettext_lazy("Voter petitions")
    permission = "can_view_petition"
    create_permission = "can_change_petition"
    create_url_name = "voters:petition_create"
    detail_url_name = "voters:petition_detail"
    filterset_class = PetitionFilter
    default_sort = ["-received_on"]
    search_placeholder = gettext_lazy("Content, locality, document number… (no accents needed)")
    export_name = "kien-nghi-cu-tri"
    rows_in_context = False  # petition_list.html writes its cells from object_list (list_cells below)
    columns = [
        Column("pk", gettext_lazy("No."), sort="id", link=True),
        Column("content", gettext_lazy("Content"), link=True, css="petition-content"),
        Column("get_kind_display", gettext_lazy("Kind"), sort="kind"),
        Column("field__name", gettext_lazy("Field"), sort="field__name"),
        Column("locality", gettext_lazy("Locality"), sort="locality"),
        Column("get_level_display", gettext_lazy("Level"), sort="level"),
        Column("committee__abbreviation", gettext_lazy("Committee")),
        Column("n_sources", gettext_lazy("Raised"), css="text-end"),
        Column("received_on", gettext_lazy("Received on"), sort="received_on"),
        Column(_age, gettext_lazy("Carried over")),
        Column("agency", gettext_lazy("Agency"), sort="agency__name"),
        Column("response_due", gettext_lazy("Response due"), sort="response_due"),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("get_evaluation_display", gettext_lazy("Evaluation")),
    ]

    def base_queryset(self):
        # The page shows neither the deputies nor the meetings (the export does): two queries
        # and a hundred objects less.
        export = self.request.GET.get("export") == "xlsx"
        qs = visible_petitions(self.request.access, self.council_ids(), None if export else petition_rows())
        if not self.request.GET.get("status"):
            qs = qs.exclude(status=Petition.Status.MERGED)
        return petition_list_qs(qs) if export else qs

    def council_ids(self):
        if self.allow_below and self.request.GET.get("below") == "1":
            return self.request.access.council_and_below(self.council)
        return [self.council.id]

    def export_columns(self):
        return [
            *self.columns,
            Column(_deputies, gettext_lazy("Deputies who took it")),
            Column("forwarding_number", gettext_lazy("Letter")),
            Column("response_date", gettext_lazy("Response date")),
            Column("response_text", gettext_lazy("Response")),
            Column("target_date", gettext_lazy("Target date")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_forward"] = self.has_perm("can_forward_petition")
        context["can_import"] = self.has_perm("can_import_petition")
        context["today"] = timezone.localdate()
        list_cells(context["object_list"], context["today"])
        context["table_rows"] = list_rows_html(context["object_list"], can_forward=context["can_forward"])
        return context


def list_cells(petitions, today) -> None:
    """What each row of the list shows, computed once per row in Python (choice labels read once
    per page, dates formatted directly): the template only prints it. Cheaper than template
    filters, {% url %} and get_FOO_display per cell."""
    kinds, levels, statuses, evaluations = (
        {value: str(label) for value, label in choices}
        for choices in (Petition.Kind.choices, Petition.Level.choices, Petition.Status.choices,
                        Petition.Evaluation.choices)
    )
    detail_url = object_url_maker("voters:petition_detail")
    for p in petitions:
        p.detail_url = detail_url(p.pk)
        p.kind_label = kinds.get(p.kind, p.kind)
        p.level_label = levels.get(p.level, p.level)
        p.status_label = statuses.get(p.status, p.status)
        p.evaluation_label = evaluations.get(p.evaluation, p.evaluation)
        p.pickable = p.status in Petition.FORWARDABLE  # the forwarding service's own rule
        p.age = p.age_on(today)
        p.received_text = p.received_on.strftime("%d/%m/%Y")
        p.due_text = p.response_due.strftime("%d/%m/%Y") if p.response_due else ""
        p.due_late = p.status == Petition.Status.FORWARDED and p.response_due is not None and p.response_due < today


def list_rows_html(petitions, *, can_forward: bool) -> SafeString:
    """The list's <tr>s, written in Python from what list_cells() computed and the names
    queries.petition_rows() read (the agency as str(agency) writes it; every text escaped):
    a template's per-cell variables, filters and tags cost more than the page's SQL."""
    select_label, urgent_label = escape_text(_("Select")), escape_text(pgettext("petition", "urgent"))
    rows = []
    for p in petitions:
        pk, url, age_class, age_text = p.pk, escape_text(p.detail_url), p.age[0], escape_text(p.age[1])
        pick = ""
        if can_forward:
            pick = (f'<td><input type="checkbox" class="form-check-input js-pick" name="ids" value="{pk}" '
                    f'form="forward-form" aria-label="{select_label} #{pk}"></td>') if p.pickable else "<td></td>"
        urgent = f' <span class="badge text-bg-danger">{urgent_label}</span>' if p.is_urgent else ""
        age = f'<span class="badge text-bg-{age_class}">{age_text}</span>' if age_class else age_text
        due = f'<span class="text-danger fw-semibold">{p.due_text}</span>' if p.due_late else p.due_text
        rows.append(
            f'<tr class="{f"table-{age_class}" if age_class else ""}" data-id="{pk}">{pick}'
            f'<td><a href="{url}">#{pk}</a></td>'
            f'<td class="petition-content"><a href="{url}">{escape_text(truncate_chars(p.content, 140))}</a>{urgent}</td>'
            f"<td>{escape_text(p.kind_label)}</td>"
            f"<td>{escape_text(p.field_name or '')}</td>"
            f"<td>{escape_text(p.locality)}</td>"
            f"<td>{escape_text(p.level_label)}</td>"
            f"<td>{escape_text(p.committee_abbreviation or '')}</td>"
            f'<td class="text-end">{p.n_sources}</td>'
            f"<td>{p.received_text}</td>"
            f"<td>{age}</td>"
            f"<td>{escape_text(Agency.label(p.agency_name, p.agency_short_name))}</td>"
            f"<td>{due}</td>"
            f"<td>{escape_text(p.status_label)}</td>"
            f"<td>{escape_text(p.evaluation_label)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every text above is escaped


class PetitionObjectMixin(CouncilObjectMixin):
    """A petition the user cannot read answers 404 (another council, or not theirs)."""

    model = Petition

    def visible_queryset(self):
        access = self.request.access
        ids = access.visible_council_ids()
        return visible_petitions(access, ids).select_related(
            "council", "field", "committee", "agency", "letter", "merged_into", "evaluated_by"
        )


class PetitionDetail(PetitionObjectMixin, PortalDetailView):
    template_name = "voters/petition_detail.html"
    permission = None
    edit_permission = "can_change_petition"
    edit_url_name = "voters:petition_edit"
    fields = [
        Column("council__name", gettext_lazy("Council")),
        Column("get_kind_display", gettext_lazy("Kind")),
        Column("field", gettext_lazy("Field")),
        Column("locality", gettext_lazy("Locality")),
        Column("get_level_display", gettext_lazy("Competence level")),
        Column("committee", gettext_lazy("Responsible committee")),
        Column("received_on", gettext_lazy("Received on")),
        Column(_deputies, gettext_lazy("Deputies who took it")),
        Column("is_urgent", pgettext_lazy("petition", "Urgent")),
        Column("is_public", gettext_lazy("Public")),
        Column("get_status_display", gettext_lazy("Status")),
        Column("agency", gettext_lazy("Assigned agency")),
        Column("forwarded_on", gettext_lazy("Forwarding date")),
        Column("forwarding_number", gettext_lazy("Forwarding document number")),
        Column("response_due", gettext_lazy("Response due")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p, access = self.object, self.request.access
        context["sources"] = p.sources.select_related("meeting", "merged_from").order_by("created_at", "pk")
        context["merged"] = p.merged_petitions.order_by("pk")
        context["can_answer"] = p.status not in (Petition.Status.NEW, Petition.Status.MERGED) and (
            access.has(p.council_id, "can_change_petition")
            or (access.has(p.council_id, "can_answer_petition") and p.agency_id in access.agency_ids())
        )
        context["can_evaluate"] = p.is_answered and access.has(p.council_id, "can_evaluate_petition")
        context["can_merge"] = access.has(p.council_id, "can_change_petition") and p.status in (
            Petition.Status.NEW,
            Petition.Status.FORWARDED,
        )
        context["commitment"] = services.petition_commitment(p) if p.status == Petition.Status.IN_PROGRESS else None
        context["can_read_letter"] = p.letter_id is not None and may_read_letter(access, p.letter)
        context["can_view_letters"] = access.has(p.council_id, "can_view_petition")
        return context


class PetitionSaveMixin:
    def get_success_url(self):
        # "Save, then merge with #n" beside a similar petition: the merge page, #n ticked.
        then = parse_id(self.request.POST.get("then_merge", ""))
        if then:
            return reverse("voters:petition_merge", args=[self.object.pk]) + f"?pick={then}"
        return super().get_success_url()

    def perform_save(self, form):
        petition = form.save(commit=False)
        data = form.cleaned_data
        # Permission, relations into other councils, council unchanged, version (core.writes).
        self.guard(form, petition)
        if petition.pk:
            return services.petition_update(
                petition=petition, deputies=data["deputies"], meetings=data["meetings"], user=self.request.user
            )
        return services.petition_create(
            council=self.council,
            content=data["content"],
            kind=data["kind"],
            field=data["field"],
            locality=data["locality"],
            level=data["level"],
            committee=data["committee"],
            meetings=data["meetings"],
            deputies=data["deputies"],
            is_urgent=data["is_urgent"],
            is_public=data["is_public"],
            received_on=data["received_on"],
            user=self.request.user,
        )


class PetitionCreate(PetitionSaveMixin, PortalCreateView):
    model = Petition
    form_class = PetitionForm
    template_name = "voters/petition_form.html"
    permission = "can_change_petition"
    title = gettext_lazy("New petition")
    success_url_name = "voters:petition_detail"


class PetitionEdit(PetitionSaveMixin, PetitionObjectMixin, PortalUpdateView):
    form_class = PetitionForm
    template_name = "voters/petition_form.html"
    permission = "can_change_petition"
    success_url_name = "voters:petition_detail"


class PetitionActionView(PetitionObjectMixin, View):
    """A form on one petition that calls one service; DomainError → error beside the field."""

    template_name = "voters/petition_action.html"
    form_class = None
    title = ""

    def make_form(self, data=None, files=None):
        return self.form_class(data, files)

    def get(self, request, pk):
        form = self.make_form()
        form.initial["_version"] = self.get_object().version
        return self.render(form)

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "petition": self.get_object(), "title": self.title},
            status=status,
        )

    def post(self, request, pk):
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.act(form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, self.done_message())
                return HttpResponseRedirect(reverse("voters:petition_detail", args=[self.target_pk()]))
        return self.render(form, status=400)

    def target_pk(self):
        return self.get_object().pk

    def done_message(self):
        return _("Saved.")


class PetitionMerge(PetitionActionView):
    """Merge a petition with similar ones by ticking them (no number to type): the similar
    petitions, any the user looked up (words or a number) and any picked from the petition form
    are listed. Without JavaScript a valid post first shows what will happen and asks again
    (confirmed=1); with it, the page's dialog asks. Every merge is services.petition_merge."""

    permission = "can_change_petition"
    form_class = MergeForm
    title = gettext_lazy("Merge petitions")

    def candidates(self):
        p = self.get_object()
        return (
            visible_petitions(self.request.access, [p.council_id])
            .filter(council_id=p.council_id)
            .exclude(pk=p.pk)
            .exclude(status=Petition.Status.MERGED)
        )

    def make_form(self, data=None, files=None):
        form = self.form_class(data, files)
        form.fields["others"].queryset = self.candidates()
        return form

    def get(self, request, pk):
        form = self.make_form()
        form.initial["_version"] = self.get_object().version
        form.initial["others"] = [i for i in map(parse_id, request.GET.getlist("pick")[:20]) if i]
        return self.render(form)

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            if request.POST.get("confirmed") != "1":
                return self.render(form, pending=self.describe(form.cleaned_data))
            try:
                with transaction.atomic():
                    self.act(form.cleaned_data)
            except DomainError as error:
                form.add_error("others" if error.field in ("into", "others", None) else None, error.message)
            else:
                messages.success(request, self.done_message())
                return HttpResponseRedirect(reverse("voters:petition_detail", args=[self.target_pk()]))
        return self.render(form, status=400)

    def describe(self, data) -> str:
        p, others = self.get_object(), ", ".join(f"#{o.pk}" for o in data["others"])
        if data["direction"] == MergeForm.THIS_INTO:
            return _(
                "Merge petition #%(p)s into %(others)s? Its sources and deputies move there; this cannot be undone."
            ) % {
                "p": p.pk,
                "others": others,
            }
        return _(
            "Merge %(others)s into petition #%(p)s? Their sources and deputies move here; this cannot be undone."
        ) % {
            "p": p.pk,
            "others": others,
        }

    def act(self, data):
        p = self.get_object()
        others = sorted(data["others"], key=lambda o: o.pk)
        if data["direction"] == MergeForm.THIS_INTO:
            self.merged_into = services.petition_merge(
                petition=p, into=others[0], user=self.request.user, expected_version=data["_version"]
            )
            return
        for other in others:
            # The version of each ticked petition as the page showed it (a stale one is refused).
            version = parse_id(self.request.POST.get(f"version_{other.pk}"))
            if version is None:
                raise DomainError(_("This form has no record version; reload the page and make your change again."))
            self.merged_into = services.petition_merge(
                petition=other, into=p, user=self.request.user, expected_version=version
            )

    def target_pk(self):
        return self.merged_into.pk

    def render(self, form, status=200, pending=None):
        from hdnd_portal.core.search import apply_search

        p = self.get_object()
        candidates = self.candidates()
        query = self.request.GET.get("q", "").strip()[:200]
        found = []
        if query:
            number = parse_id(query.lstrip("#"))
            found = list(
                candidates.filter(pk=number)
                if number
                else apply_search(candidates, query).order_by("-received_on")[:20]
            )
        similar = similar_petitions(council_id=p.council_id, text=p.content, exclude=p.pk)
        if form.is_bound:
            chosen = {i for i in map(parse_id, form.data.getlist("others")) if i}
        else:
            chosen = set(form.initial.get("others") or [])
        rows, seen = [], set()
        for row in [*found, *similar]:
            if row.pk not in seen:
                seen.add(row.pk)
                rows.append(row)
        missing = chosen - seen
        if missing:
            rows.extend(candidates.filter(pk__in=missing).order_by("pk"))
        # One query: which rows the user may merge, and their versions for the stale check.
        versions = dict(candidates.filter(pk__in=[r.pk for r in rows]).values_list("pk", "version"))
        rows = [r for r in rows if r.pk in versions]
        for r in rows:
            r.page_version = versions[r.pk]
            r.is_chosen = r.pk in chosen
            r.is_found = any(f.pk == r.pk for f in found)
        return render(
            self.request,
            "voters/petition_merge.html",
            {
                "form": form,
                "petition": p,
                "title": self.title,
                "rows": rows,
                "query": query,
                "pending": pending,
                "page_version": form["_version"].value(),
                "version_errors": form.errors.get("_version", []),
                "direction": form.cleaned_data.get("direction") if pending else None,
            },
            status=status,
        )

    def done_message(self):
        return _("Merged: every source is kept on petition #%(n)s.") % {"n": self.merged_into.pk}


class PetitionAnswer(PetitionActionView):
    permission = None  # staff (on behalf) or the assigned agency's responder; checked below
    form_class = AnswerForm
    title = gettext_lazy("Answer the petition")

    def get_object(self, queryset=None):
        p = super().get_object(queryset)
        access = self.request.access
        if not (access.has(p.council_id, "can_change_petition") or access.has(p.council_id, "can_answer_petition")):
            raise PermissionDenied("can_answer_petition")
        return p

    def make_form(self, data=None, files=None):
        p = self.get_object()
        initial = {
            "response_date": timezone.localdate(),
            "status": p.status if p.is_answered else None,
            "response_text": p.response_text,
            "response_by": p.response_by,
            "roadmap": p.roadmap,
            "target_date": p.target_date,
            "response_number": p.response_number,
        }
        return self.form_class(data, files, initial=initial)

    def act(self, data):
        p = self.get_object()
        staff = self.request.access.has(p.council_id, "can_change_petition")
        services.petition_answer(
            petition=p,
            status=data["status"],
            text=data["response_text"],
            response_date=data["response_date"],
            response_by=data["response_by"],
            response_number=data["response_number"],
            document=data["document"],
            roadmap=data["roadmap"],
            target_date=data["target_date"],
            user=self.request.user,
            agency_ids=None if staff else self.request.access.agency_ids(),
            expected_version=data["_version"],
        )

    def done_message(self):
        return _("The answer is recorded.")


class PetitionEvaluate(PetitionActionView):
    permission = "can_evaluate_petition"
    form_class = EvaluateForm
    title = gettext_lazy("Evaluate the answer")

    def make_form(self, data=None, files=None):
        p = self.get_object()
        return self.form_class(
            data,
            files,
            council=p.council,
            initial={
                "evaluation": p.evaluation or None,
                "needs_follow_up": p.needs_follow_up,
                "note": p.evaluation_note,
                "body": p.evaluated_by_id or p.committee_id,
                "on": timezone.localdate(),
            },
        )

    def act(self, data):
        services.petition_evaluate(
            petition=self.get_object(),
            evaluation=data["evaluation"],
            needs_follow_up=data["needs_follow_up"],
            note=data["note"],
            body=data["body"],
            on=data["on"],
            user=self.request.user,
            expected_version=data["_version"],
        )


class PetitionSimilar(CouncilMixin, View):
    """JSON suggestions while typing: existing petitions with the same words (accents ignored)."""

    permission = "can_change_petition"

    def get(self, request):
        exclude = request.GET.get("exclude")
        rows = similar_petitions(
            council_id=self.council.id,
            text=request.GET.get("text", "")[:2000],
            exclude=parse_id(exclude),
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "content": p.content[:300],
                        "status": p.get_status_display(),
                        "score": p.similarity,
                        "received_on": p.received_on.strftime("%d/%m/%Y"),
                        "locality": p.locality,
                        "url": reverse("voters:petition_detail", args=[p.pk]),
                    }
                    for p in rows
                ]
            }
        )


class PetitionForward(CouncilMixin, View):
    """Forward the petitions ticked on the list to one agency in one numbered letter (PDF)."""

    permission = "can_forward_petition"

    def selected(self, request):
        ids = [i for i in map(parse_id, request.POST.getlist("ids")[:5000]) if i is not None]
        return list(petition_list_qs(Petition.objects.filter(council=self.council, pk__in=ids)).order_by("pk"))

    def post(self, request):
        petitions = self.selected(request)
        if not petitions:
            messages.error(request, _("Select the petitions to forward."))
            return HttpResponseRedirect(reverse("voters:petition_list"))
        if "confirm" not in request.POST:
            form = ForwardForm(
                council=self.council, initial={"on": timezone.localdate(), "agency": petitions[0].agency_id}
            )
            return render(
                request, "voters/forward.html", {"form": form, "petitions": petitions, "title": _("Forward petitions")}
            )
        form = ForwardForm(request.POST, council=self.council)
        if form.is_valid():
            try:
                letter = services.petition_forward(
                    council=self.council,
                    petitions=petitions,
                    agency=form.cleaned_data["agency"],
                    on=form.cleaned_data["on"],
                    signer_name=form.cleaned_data["signer_name"],
                    user=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(n)s petition(s) forwarded with letter %(num)s.") % {"n": len(petitions), "num": letter.number},
                )
                return HttpResponseRedirect(reverse("voters:letter_detail", args=[letter.pk]))
        return render(
            request,
            "voters/forward.html",
            {"form": form, "petitions": petitions, "title": _("Forward petitions")},
            status=400,
        )


class ImportTemplate(CouncilMixin, View):
    permission = "can_import_petition"

    def get(self, request):
        response = HttpResponse(importer.template_bytes(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-kien-nghi.xlsx"'
        return response


class PetitionImport(CouncilMixin, View):
    permission = "can_import_petition"

    def get(self, request):
        return render(
            request,
            "core/import.html",
            {"form": ImportForm(), "title": _("Import petitions from Excel"), "columns": importer.COLUMNS,
             "template_url": reverse("voters:import_template")},
        )

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            try:
                result = importer.petition_import(
                    council=self.council, uploaded=form.cleaned_data["file"], user=request.user
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                if result.ok:
                    messages.success(request, _("%(n)s petitions imported.") % {"n": result.created})
                    return HttpResponseRedirect(reverse("voters:petition_list"))
        return render(
            request,
            "core/import.html",
            {"form": form, "result": result, "columns": importer.COLUMNS, "title": _("Import petitions from Excel"),
             "template_url": reverse("voters:import_template")},
            status=400,
        )


class LetterList(PortalListView):
    model = ForwardingLetter
    title = gettext_lazy("Forwarding letters")
    permission = "can_view_petition"
    detail_url_name = "voters:letter_detail"
    searchable = False
    default_sort = ["-date", "-sequence"]
    export_name = "cong-van-chuyen-kien-nghi"
    columns = [
        Column("number", gettext_lazy("Document number"), sort="sequence", link=True),
        Column("date", gettext_lazy("Date"), sort="date"),
        Column("agency", gettext_lazy("Agency"), sort="agency__name"),
        Column("n_petitions", gettext_lazy("Petitions"), css="text-end"),
        Column("signer_name", gettext_lazy("Signed by")),
    ]

    def base_queryset(self):
        from django.db.models import Count

        q = self.request.GET.get("q")
        qs = super().base_queryset().select_related("agency").annotate(n_petitions=Count("petitions"))
        return qs.filter(number__icontains=q) if q else qs


class LetterDetail(PortalDetailView):
    model = ForwardingLetter
    template_name = "voters/letter_detail.html"
    permission = "can_view_petition"
    edit_permission = "can_forward_petition"
    fields = [
        Column("number", gettext_lazy("Document number")),
        Column("date", gettext_lazy("Date")),
        Column("agency", gettext_lazy("Agency")),
        Column("signer_name", gettext_lazy("Signed by")),
        Column("created_by", gettext_lazy("Created by")),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["petitions"] = petition_list_qs(self.object.petitions.all()).order_by("pk")
        return context


def may_read_letter(access, letter: ForwardingLetter) -> bool:
    """Who may read a forwarding letter: the council's petition readers, and the responders of
    the agency it was sent to (never another agency's)."""
    if access.has(letter.council_id, "can_view_petition"):
        return True
    return access.has(letter.council_id, "can_answer_petition") and letter.agency_id in access.agency_ids()


class LetterPdf(CouncilObjectMixin, View):
    """Download the letter; the permission is checked again on every download. Anyone else,
    another agency's responder included, gets 404."""

    model = ForwardingLetter
    permission = None  # decided per letter by may_read_letter

    def get_queryset(self):
        return ForwardingLetter.objects.all()

    def get(self, request, pk):
        letter = self.get_object()
        if not may_read_letter(request.access, letter):
            raise Http404
        return attachment_response(letter.file, filename=f"{letter.number.replace('/', '-')}.pdf", inline=True)


class PetitionResponseDocument(PetitionObjectMixin, View):
    """The agency's answer document, to whoever may read the petition (queries.visible_petitions:
    a responder only its own agency's petitions; another council's → 404), as an attachment."""

    permission = None

    def get(self, request, pk):
        return attachment_response(self.get_object().response_document)


class MyPetitions(PortalListView):
    """A deputy's petitions: the ones they took, their status, the promise and the target date."""

    model = Petition
    title = gettext_lazy("My petitions")
    permission = "can_view_my_petitions"
    detail_url_name = "voters:petition_detail"
    filterset_class = PetitionFilter
    allow_below = False
    default_sort = ["-received_on"]
    export_name = "kien-nghi-cua-toi"
    template_name = "core/list.html"
    columns = [
        Column("pk", gettext_lazy("No."), sort="id", link=True),
        Column("content", gettext_lazy("Content"), link=True, css="petition-content"),
        Column("received_on", gettext_lazy("Received on"), sort="received_on"),
        Column("agency", gettext_lazy("Agency")),
        Column("get_status_display", gettext_lazy("Status"), sort="status"),
        Column("response_date", gettext_lazy("Response date"), sort="response_date"),
        Column("roadmap", gettext_lazy("Agency's promise")),
        Column("target_date", gettext_lazy("Target date"), sort="target_date"),
        Column(_age, gettext_lazy("Carried over")),
    ]

    def base_queryset(self):
        took = Petition.deputies.through.objects.filter(deputy_id__in=self.request.access.deputy_ids())
        return petition_list_qs(
            Petition.objects.filter(council=self.council, pk__in=took.values("petition_id")).exclude(
                status=Petition.Status.MERGED
            )
        )
