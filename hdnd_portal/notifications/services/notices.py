"""Notices: events that reach people's bell (and the e-mail they chose) at once, outside the
deadline reminders — documents sent to deputies, a petition forwarded to an agency, an answer
received. Apps call notice_send() from the service that made the event happen."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from hdnd_portal.core.models import Council, User

from ..models import Notification
from ..queries import bell_changed


def notice_send(*, users: Iterable[User | int], council: Council, title: str, url: str = "", body: str = "",
                exclude: User | None = None) -> int:
    """One bell notification per user (once each, the acting user left out); returns how many."""
    ids = []
    for user in users:
        uid = user if isinstance(user, int) else user.pk
        if uid is None or (exclude is not None and uid == exclude.pk) or uid in ids:
            continue
        ids.append(uid)
    if not ids:
        return 0
    rows = [Notification(user_id=uid, council=council, kind=Notification.Kind.INFO, title=title[:300],
                         body=body, url=url[:500]) for uid in ids]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        bell_changed(ids)
    return len(rows)


def users_of_agency(agency_id: int) -> list[int]:
    """The agency's responders (their role links them to the agency)."""
    return list(User.objects.filter(council_roles__agency_id=agency_id, is_active=True).values_list("id", flat=True)
                .distinct())


def users_of_deputies(deputy_ids: Iterable[int]) -> list[int]:
    """The user accounts linked to these deputy records."""
    return list(User.objects.filter(council_roles__deputy_id__in=list(deputy_ids), is_active=True)
                .values_list("id", flat=True).distinct())
