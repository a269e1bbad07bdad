"""Who is told about a deadline, resolved for a whole batch in a bounded number of queries.

- the responsible user of the deadline (reason "responsible");
- the council office staff (role staff): when the deadline has no responsible user, or for every
  deadline when the council's rule reminder.notify_all_staff is 1 (reason "staff");
- the agency's responders (CouncilRole responder linked to the deadline's responsible agency);
- the deputies following the item: users holding a deputy role linked to a Deputy reached from
  the deadline's subject. A subject model may declare `reminder_deputy_fields` (field paths such
  as ("deputies",) or ("commitment__deputies",)); otherwise any of the fields named `deputies`,
  `taken_by`, `followers`, `following_deputies` or `asked_by` that points to core.Deputy (FK or
  many-to-many) is used — petitions with `deputies`/`taken_by`, commitments made to deputies,
  questions asked by a deputy;
- on escalation, the council's leaders (role leader), or its administrators when it has none.

Only active users are notified."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from hdnd_portal.core.models import CouncilRole, Deputy, User

from ..models import ReminderLog

FOLLOWER_FIELD_NAMES = ("deputies", "taken_by", "followers", "following_deputies", "asked_by")
R = ReminderLog.Reason


def follower_paths(model) -> tuple[str, ...]:
    declared = getattr(model, "reminder_deputy_fields", None)
    if declared is not None:
        return tuple(declared)
    paths = []
    for name in FOLLOWER_FIELD_NAMES:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and field.related_model is Deputy and (field.many_to_many or field.many_to_one):
            paths.append(name)
    return tuple(paths)


class RecipientBook:
    """Caches role holders for the length of one scan; `resolve()` works batch by batch."""

    def __init__(self) -> None:
        self._by_council: dict[tuple[str, int], list[int]] = {}
        self._by_agency: dict[int, list[int]] = {}
        self._deputy_users: dict[int, list[int]] = {}
        self.users: dict[int, User] = {}

    def _load_councils(self, role: str, council_ids: Iterable[int]) -> None:
        missing = {c for c in council_ids if (role, c) not in self._by_council}
        if not missing:
            return
        for c in missing:
            self._by_council[(role, c)] = []
        for council_id, user_id in CouncilRole.objects.filter(
            role=role, council_id__in=missing, user__is_active=True
        ).values_list("council_id", "user_id"):
            self._by_council[(role, council_id)].append(user_id)

    def _load_agencies(self, agency_ids: Iterable[int]) -> None:
        missing = {a for a in agency_ids if a and a not in self._by_agency}
        if not missing:
            return
        for a in missing:
            self._by_agency[a] = []
        for agency_id, user_id in CouncilRole.objects.filter(
            role=CouncilRole.Role.RESPONDER, agency_id__in=missing, user__is_active=True
        ).values_list("agency_id", "user_id"):
            self._by_agency[agency_id].append(user_id)

    def _load_deputies(self, deputy_ids: Iterable[int]) -> None:
        missing = {d for d in deputy_ids if d and d not in self._deputy_users}
        if not missing:
            return
        for d in missing:
            self._deputy_users[d] = []
        for deputy_id, user_id in CouncilRole.objects.filter(
            role=CouncilRole.Role.DEPUTY, deputy_id__in=missing, user__is_active=True
        ).values_list("deputy_id", "user_id"):
            self._deputy_users[deputy_id].append(user_id)

    def followers(self, rows: list[dict]) -> dict[int, list[int]]:
        """deadline id -> user ids of the deputies following its subject (one query per subject
        model and field path, plus one for the deputies' users)."""
        by_type: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for row in rows:
            by_type[row["content_type_id"]][row["object_id"]].append(row["id"])
        deputies_of: dict[int, set[int]] = defaultdict(set)
        for ct_id, objects in by_type.items():
            model = ContentType.objects.get_for_id(ct_id).model_class()
            if model is None:
                continue
            for path in follower_paths(model):
                pairs = model._default_manager.filter(pk__in=list(objects)).values_list("pk", path)
                for object_id, deputy_id in pairs:
                    if deputy_id:
                        for deadline_id in objects[object_id]:
                            deputies_of[deadline_id].add(deputy_id)
        self._load_deputies({d for ids in deputies_of.values() for d in ids})
        return {
            deadline_id: [u for d in sorted(ids) for u in self._deputy_users.get(d, [])]
            for deadline_id, ids in deputies_of.items()
        }

    def resolve(
        self, rows: list[dict], plans, *, escalation_ids: set[int] = frozenset(), regular_ids: set[int] | None = None
    ) -> dict[int, dict[str, list[tuple[int, str]]]]:
        """For each deadline row: {"regular": [(user_id, reason)…], "escalation": […]}."""
        regular_rows = [r for r in rows if regular_ids is None or r["id"] in regular_ids]
        councils = {r["council_id"] for r in rows}
        self._load_councils(CouncilRole.Role.STAFF, councils)
        if escalation_ids:
            self._load_councils(CouncilRole.Role.LEADER, councils)
            self._load_councils(CouncilRole.Role.ADMIN, councils)
        self._load_agencies(r["responsible_agency_id"] for r in regular_rows)
        followers = self.followers(regular_rows) if regular_rows else {}
        result: dict[int, dict[str, list[tuple[int, str]]]] = {}
        for row in rows:
            entry: dict[str, list[tuple[int, str]]] = {"regular": [], "escalation": []}
            if regular_ids is None or row["id"] in regular_ids:
                people: list[tuple[int, str]] = []
                if row["responsible_user_id"]:
                    people.append((row["responsible_user_id"], R.RESPONSIBLE))
                if not row["responsible_user_id"] or plans.plan(row["council_id"]).all_staff:
                    people += [(u, R.STAFF) for u in self._by_council[(CouncilRole.Role.STAFF, row["council_id"])]]
                people += [(u, R.RESPONDER) for u in self._by_agency.get(row["responsible_agency_id"], [])]
                people += [(u, R.DEPUTY) for u in followers.get(row["id"], [])]
                entry["regular"] = _unique(people)
            if row["id"] in escalation_ids:
                leaders = (
                    self._by_council[(CouncilRole.Role.LEADER, row["council_id"])]
                    or self._by_council[(CouncilRole.Role.ADMIN, row["council_id"])]
                )
                entry["escalation"] = _unique([(u, R.LEADER) for u in leaders])
            result[row["id"]] = entry
        self.load_users({u for e in result.values() for group in e.values() for u, _r in group})
        return result

    def load_users(self, user_ids: Iterable[int]) -> None:
        missing = {u for u in user_ids if u not in self.users}
        if missing:
            for user in User.objects.filter(pk__in=missing, is_active=True).only("id", "email", "email_mode"):
                self.users[user.pk] = user


def _unique(people: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen, out = set(), []
    for user_id, reason in people:
        if user_id not in seen:
            seen.add(user_id)
            out.append((user_id, reason))
    return out
