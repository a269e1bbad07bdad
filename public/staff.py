"""Staff page "Công khai thông tin": a council's publishable records with a publish toggle, and
tracking codes for letters. Writes go through public/services.py."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.views.mixins import CouncilMixin

from . import services
from .apps import CAN_PUBLISH
from .kinds import KINDS
from .models import Publication, TrackingCode

LIMIT = 100
TABS = ["resolution", "session", "oversight", "petition", "reception", "letter"]


def _rows(council_id: int, tab: str) -> list[dict]:
    """The newest publishable records of one kind, with their state (staff view: all columns the
    office needs to decide, but still only those)."""
    if tab == "letter":
        from citizens.models import Letter

        qs = Letter.objects.filter(council_id=council_id).order_by("-received_on", "-id")
        rows = list(qs.values("id", "register_number", "received_on", "status")[:LIMIT])
        for r in rows:
            r["label"] = r["register_number"]
            r["date"] = r["received_on"]
            r["status_label"] = Letter.Status(r["status"]).label
        return _codes(rows, Letter)
    kind = KINDS[tab]
    model = kind.model
    pubs = Publication.objects.filter(content_type=kind.content_type, object_id=OuterRef("pk"))
    qs = model.objects.filter(council_id=council_id).annotate(published=Exists(pubs),
                                                              publishable=Exists(model.objects.filter(
                                                                  kind.publishable, pk=OuterRef("pk"))))
    if tab == "resolution":
        rows = list(qs.order_by("-adopted_on", "-number_seq").values("id", "number", "title", "adopted_on",
                                                                     "published", "publishable")[:LIMIT])
        for r in rows:
            r["label"], r["date"] = f"{r['number']} — {r['title']}", r["adopted_on"]
    elif tab == "session":
        rows = list(qs.order_by("-planned_start").values("id", "number", "title", "planned_start", "is_public",
                                                          "published", "publishable")[:LIMIT])
        for r in rows:
            r["label"] = _("Session %(number)s") % {"number": r["number"]} + (f" — {r['title']}" if r["title"] else "")
            r["date"] = r["planned_start"]
            if not r["is_public"]:
                r["note"] = _("Closed session: the agenda stays hidden")
    elif tab == "oversight":
        rows = list(qs.order_by("-start_date").values("id", "topic", "start_date", "status", "published",
                                                      "publishable")[:LIMIT])
        for r in rows:
            r["label"], r["date"] = r["topic"], r["start_date"]
            if not r["publishable"]:
                r["note"] = _("Only reported or concluded activities can be published")
    elif tab == "petition":
        rows = list(qs.order_by("-received_on", "-id").values("id", "content", "received_on", "status", "is_public",
                                                              "response_date", "published", "publishable")[:LIMIT])
        for r in rows:
            r["label"], r["date"] = " ".join(r["content"].split())[:140], r["received_on"]
            if not r["is_public"]:
                r["note"] = _("Not marked public in the petition record")
            elif r["response_date"]:
                r["note"] = _("Answered on %(date)s") % {"date": r["response_date"].strftime("%d/%m/%Y")}
        rows = _codes(rows, model)
    else:
        rows = list(qs.order_by("-valid_from").values("id", "title", "valid_from", "published", "publishable")[:LIMIT])
        for r in rows:
            r["label"], r["date"] = r["title"], r["valid_from"]
    return rows


def _codes(rows: list[dict], model) -> list[dict]:
    ct = ContentType.objects.get_for_model(model)
    codes = dict(TrackingCode.objects.filter(content_type=ct, object_id__in=[r["id"] for r in rows])
                 .values_list("object_id", "code"))
    for r in rows:
        r["code"] = codes.get(r["id"], "")
    return rows


class PublishPage(CouncilMixin, View):
    permission = CAN_PUBLISH

    def get(self, request):
        tab = request.GET.get("loai", "resolution")
        tab = tab if tab in TABS else "resolution"
        labels = {k: v.label for k, v in KINDS.items()} | {"letter": _("Letters (tracking codes)")}
        return render(request, "public/staff.html", {
            "title": _("Public information"), "tab": tab, "tabs": [(t, labels[t]) for t in TABS],
            "rows": _rows(self.council.id, tab), "council_obj": self.council,
        })

    def post(self, request):
        tab = request.POST.get("loai", "")
        action = request.POST.get("action", "")
        object_id = request.POST.get("object_id", "")
        if tab not in TABS or not object_id.isdigit():
            return redirect(request.path)
        try:
            if action == "code":
                code = services.tracking_code_issue(user=request.user, kind=tab, object_id=int(object_id))
                messages.success(request, _("Tracking code: %(code)s") % {"code": code.code})
            elif action == "publish":
                services.publication_publish(user=request.user, kind=tab, object_id=int(object_id),
                                             summary=request.POST.get("summary", ""))
                messages.success(request, _("Published."))
            elif action == "withdraw":
                services.publication_withdraw(user=request.user, kind=tab, object_id=int(object_id))
                messages.success(request, _("Withdrawn from the public site."))
        except DomainError as error:
            messages.error(request, error.message)
        except PermissionDenied:
            raise
        return redirect(f"{request.path}?loai={tab}")


publish_page = PublishPage.as_view()
