"""What a subscriber has not been told yet, and sending it once."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.search import apply_search

from . import notify, queries
from .kinds import KINDS
from .models import Publication, Subscription


def _news(subscription: Subscription, since, until) -> list[dict]:
    """Records published (or petitions answered) in (since, until] matching the subscription."""
    council = {"slug": queries.council_slug(subscription.council.name, subscription.council.code)}
    cid = subscription.council_id
    items: list[dict] = []
    if subscription.kind == Subscription.Kind.PETITION:
        row = queries.petition(cid, subscription.petition_id) if subscription.petition_id else None
        if row and row["updated_at"] > since and row["updated_at"] <= until and row["response_date"]:
            items.append({"kind": _("Petition answered"), "title": " ".join(row["content"].split())[:160],
                          "url": reverse("public:petition", args=[council["slug"], row["id"]])})
        return items
    fresh = Publication.objects.filter(council_id=cid, published_at__gt=since, published_at__lte=until)
    routes = {"resolution": ("public:resolution", "title"), "oversight": ("public:activity", "topic"),
              "petition": ("public:petition", "content"), "session": ("public:session", "title"),
              "reception": ("public:reception", "title")}
    for key, kind in KINDS.items():
        ids = list(fresh.filter(content_type=kind.content_type).values_list("object_id", flat=True)[:200])
        answered_ids: list[int] = []
        if key == "petition":
            # Published earlier, answered since the last digest.
            answered_ids = list(
                queries._published("petition", cid).filter(updated_at__gt=since, updated_at__lte=until,
                                                            response_date__isnull=False)
                .values_list("id", flat=True)[:200]
            )
        if not ids and not answered_ids:
            continue
        qs = queries._published(key, cid).filter(Q(id__in=ids) | Q(id__in=answered_ids))
        if subscription.kind == Subscription.Kind.SEARCH:
            qs = apply_search(qs, subscription.query)
        route, text_field = routes[key]
        for row in qs.values("id", text_field)[:50]:
            args = [council["slug"]] if key == "reception" else [council["slug"], row["id"]]
            label = kind.label if row["id"] in ids else _("Petition answered")
            items.append({"kind": label, "title": " ".join(str(row[text_field] or "").split())[:160] or str(label),
                          "url": reverse(route, args=args)})
    return items


def send_due_digests() -> int:
    """One digest per active subscription with news; the cursor moves by compare-and-set so that
    overlapping runs never send the same digest twice. Returns the number of mails sent."""
    sent = 0
    until = timezone.now()
    active = Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).select_related(
        "council")
    for subscription in active.iterator():
        since = subscription.last_digest_at or subscription.confirmed_at
        items = _news(subscription, since, until)
        claimed = Subscription.objects.filter(pk=subscription.pk, last_digest_at=subscription.last_digest_at).update(
            last_digest_at=until)
        if claimed != 1 or not items:
            continue
        for item in items:
            item["url"] = notify._url(item["url"])
        notify.send_digest(subscription, items, since)
        sent += 1
    return sent
