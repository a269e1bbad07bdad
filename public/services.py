"""Every write of the public app: publishing, withdrawing, tracking codes, subscriptions.

Keyword-only, atomic, each taking the acting user (or, for subscriptions, nothing but the
citizen's own input). Permission is checked here on the record's council, so the staff page,
the API and the demo can never disagree."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hdnd_portal.core.exceptions import DomainError
from hdnd_portal.core.models import Council
from hdnd_portal.core.scoping import get_access

from . import cache as public_cache
from .apps import CAN_PUBLISH
from .kinds import KINDS, TRACKABLE
from .models import Publication, Subscription, TrackingCode

# No 0/O, 1/I/L: a code read aloud or copied from paper is not mistyped.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def _check(user, council_id: int) -> None:
    if user is None or not get_access(user).has(council_id, CAN_PUBLISH):
        raise PermissionDenied(CAN_PUBLISH)


def _record(kind_key: str, object_id: int, *, lock: bool = False):
    kind = KINDS.get(kind_key)
    if kind is None:
        raise DomainError(_("Unknown kind of record."), field="kind")
    qs = kind.model.objects.all()
    if lock:
        qs = qs.select_for_update()
    record = qs.filter(pk=object_id).first()
    if record is None:
        raise DomainError(_("The record does not exist."), field="object_id")
    return kind, record


@transaction.atomic
def publication_publish(*, user, kind: str, object_id: int, summary: str = "") -> Publication:
    """Publish one record. Precondition: the user holds can_publish on the record's council and the
    record is publishable (kinds.KINDS). Publishing an already published record updates the summary."""
    kind_obj, record = _record(kind, object_id, lock=True)
    _check(user, record.council_id)
    if not kind_obj.model.objects.filter(kind_obj.publishable, pk=record.pk).exists():
        raise DomainError(_("This record cannot be published (closed, cancelled or not marked public)."))
    publication, created = Publication.objects.get_or_create(
        content_type=kind_obj.content_type,
        object_id=record.pk,
        defaults={"council_id": record.council_id, "published_at": timezone.now(), "published_by": user,
                  "summary": summary.strip()},
    )
    if not created and summary.strip() != publication.summary:
        publication.summary = summary.strip()
        publication.version += 1
        publication.save(update_fields=["summary", "version", "updated_at"])
    if kind == "petition":
        _ensure_code(user=user, kind="petition", record=record)
    transaction.on_commit(lambda: public_cache.bump(record.council_id))
    return publication


@transaction.atomic
def publication_withdraw(*, user, kind: str, object_id: int) -> bool:
    """Withdraw a record from the public site; True if it was published."""
    kind_obj, record = _record(kind, object_id, lock=True)
    _check(user, record.council_id)
    deleted = 0
    for publication in Publication.objects.filter(content_type=kind_obj.content_type, object_id=record.pk):
        publication.delete()  # one by one, so the history records each withdrawal
        deleted += 1
    transaction.on_commit(lambda: public_cache.bump(record.council_id))
    return bool(deleted)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a citizen typed → the stored form: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:16]


def _ensure_code(*, user, kind: str, record) -> TrackingCode:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(record)
    existing = TrackingCode.objects.filter(content_type=content_type, object_id=record.pk).first()
    if existing:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackingCode.objects.create(
                    council_id=record.council_id, content_type=content_type, object_id=record.pk,
                    code=new_code(), created_by=user,
                )
        except IntegrityError:
            # Another request made this record's code meanwhile, or (once in ~10^14) the code collided.
            existing = TrackingCode.objects.filter(content_type=content_type, object_id=record.pk).first()
            if existing:
                return existing
    raise DomainError(_("Could not create a tracking code; please try again."))


@transaction.atomic
def tracking_code_issue(*, user, kind: str, object_id: int) -> TrackingCode:
    """The record's tracking code, created on first call. Precondition: can_publish on its council."""
    from django.apps import apps

    label = TRACKABLE.get(kind)
    if label is None:
        raise DomainError(_("Tracking codes exist only for petitions and letters."), field="kind")
    record = apps.get_model(label).objects.filter(pk=object_id).only("id", "council_id").first()
    if record is None:
        raise DomainError(_("The record does not exist."), field="object_id")
    _check(user, record.council_id)
    return _ensure_code(user=user, kind=kind, record=record)


# --- Subscriptions (a citizen, no account) -----------------------------------------------------


@transaction.atomic
def subscription_request(*, email: str, council: Council, kind: str, query: str = "",
                         petition_id: int | None = None) -> Subscription:
    """Record an unconfirmed subscription and mail the confirmation link (double opt-in)."""
    from .notify import send_confirmation

    if kind not in Subscription.Kind.values:
        raise DomainError(_("Choose what to follow."), field="kind")
    if kind == Subscription.Kind.SEARCH and not query.strip():
        raise DomainError(_("Enter the search term to follow."), field="query")
    subscription = Subscription.objects.create(
        email=email.strip().lower(), council=council, kind=kind, query=query.strip()[:200],
        petition_id=petition_id if kind == Subscription.Kind.PETITION else None,
        token=secrets.token_urlsafe(32),
    )
    transaction.on_commit(lambda: send_confirmation(subscription))
    return subscription


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription | None:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.last_digest_at = now
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["confirmed_at", "last_digest_at", "unsubscribed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, token: str) -> Subscription | None:
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription
