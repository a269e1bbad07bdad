"""Council scoping, in one place for pages, API and exports.

A user sees a council's records through a role on that council; a role on a parent council
gives read (can_view_*) permissions on the councils below it, never write permissions.
Pages use core.views.mixins.CouncilMixin and the API core.api.CouncilPermission — both call
these functions; change them together."""

import pickle
from functools import cached_property

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import permissions
from .models import Council, CouncilRole
from .refcache import ReferenceCache


class CouncilTree:
    """Every council as (id, parent, level, dissolved_on, name, is_active), in the councils' order
    (level, name), indexed by parent: the councils below a user's role councils are found from
    their own subtree, at a cost that does not grow with the rest of the country."""

    def __init__(self, rows) -> None:
        self.rows = tuple(rows)
        self.position = {row[0]: i for i, row in enumerate(self.rows)}
        self.children: dict[int, list[int]] = {}
        for i, row in enumerate(self.rows):
            if row[1] is not None:
                self.children.setdefault(row[1], []).append(i)

    def below(self, ids: set[int]) -> list[tuple]:
        """The councils one or two levels below `ids`, in the councils' order, as
        (id, parent, grandparent, level, dissolved_on, name, is_active)."""
        found = set()
        for cid in ids:
            for i in self.children.get(cid, ()):
                found.add(i)
                found.update(self.children.get(self.rows[i][0], ()))
        out = []
        for i in sorted(found):
            cid, parent_id, level, dissolved, name, active = self.rows[i]
            grandparent_id = self.rows[self.position[parent_id]][1] if parent_id in self.position else None
            out.append((cid, parent_id, grandparent_id, level, dissolved, name, active))
        return out


# The councils' tree, read on every page: held per process (core.refcache; the receivers in
# core.apps bump it on every write). A council's parent never changes (PortalModel.immutable_fields),
# so a stale copy can only miss a council created in the last moment, or show an old name or
# dissolution date: never place a council under another.
COUNCIL_TREE = ReferenceCache(
    "councils",
    lambda: CouncilTree(
        Council.objects.order_by("level", "name", "pk").values_list(
            "id", "parent_id", "level", "dissolved_on", "name", "is_active"
        )
    ),
)

LEVEL_RANK = {Council.Level.PROVINCE: 0, Council.Level.COMMUNE: 1, Council.Level.DISTRICT: 2}

# Each user's roles, as read for their last request, held per process: {user id: pickled roles}
# (each request unpickles its own instances, so nothing one request sets on them reaches another).
# Forgotten by every process at once when a role, a council, a deputy, a term or an agency is
# written (the receivers in core.apps; every road that grants or revokes a role saves or deletes
# it), after refcache.MAX_AGE, and never held inside a transaction or while Redis is unreachable:
# a revoked role is gone on the next request.
HELD_ROLES: ReferenceCache[dict] = ReferenceCache("roles", dict)
HELD_ROLES_MAX = 10_000


class Hierarchy:
    """What a user's roles give, worked out from the roles and the councils' tree: the permissions
    on each role council (`direct`), the councils below them (`below_rows`, `below`,
    `descendants`), the permissions on every council (`effective`) and the councils' names. A
    city's role reaches 127 councils: working this out costs close to a millisecond, and it is the
    same for every request of the same roles on the same tree on the same day — so each process
    keeps it (`Access._hierarchy`). Read-only: the permissions are frozensets and the callers copy
    what they change. `switchable`, once set, is the council switcher's rows for these roles
    (Access.switchable_councils works them out on first use)."""

    def __init__(self, roles: list[CouncilRole], tree: CouncilTree, today) -> None:
        self.direct = self._direct(roles)
        ids = set(self.direct)
        # (id, parent, grandparent, level, dissolved_on, name, is_active), in the councils' order
        self.below_rows: list[tuple] = tree.below(ids) if ids else []
        # (id, parent, grandparent, historical)
        self.below = [
            (cid, p, gp, Council.historical(level, dissolved, today))
            for cid, p, gp, level, dissolved, _name, _active in self.below_rows
        ]
        # For each role council, the ids of the councils below it (two levels at most).
        self.descendants: dict[int, list[int]] = {cid: [] for cid in self.direct}
        for cid, parent_id, grandparent_id, _historical in self.below:
            for ancestor in (parent_id, grandparent_id):
                if ancestor in self.descendants:
                    self.descendants[ancestor].append(cid)
        # The councils below a role share one permission set: kept once (a city's 127 councils).
        shared: dict[frozenset[str], frozenset[str]] = {}
        self.effective = {}
        for cid, perms in self._effective(roles).items():
            frozen = frozenset(perms)
            self.effective[cid] = shared.setdefault(frozen, frozen)
        self.names = {row[0]: row[5] for row in self.below_rows}
        self.names.update((role.council_id, role.council.name) for role in roles)
        self._council_ids: dict[str, list[int]] = {}

    @staticmethod
    def _direct(roles) -> dict[int, frozenset[str]]:
        perms: dict[int, set[str]] = {}
        for role in roles:
            if role.role == permissions.ARCHIVIST:
                granted = set(permissions.archive_permissions())
            else:
                granted = set(permissions.ROLE_PERMISSIONS.get(role.role, ())) - permissions.EXPLICIT_ONLY
            granted |= set(role.extra_permissions or ())
            if role.council.is_historical and role.role != permissions.ARCHIVIST:
                # A dissolved council is read-only, except for those who back-enter its archives.
                granted = {p for p in granted if permissions.is_read_permission(p)}
            elif not role.council.is_historical and role.role == permissions.ARCHIVIST:
                granted = {p for p in granted if permissions.is_read_permission(p)}
            perms.setdefault(role.council_id, set()).update(granted)
        return {cid: frozenset(granted) for cid, granted in perms.items()}

    def _effective(self, roles) -> dict[int, set[str]]:
        effective: dict[int, set[str]] = {cid: set(p) for cid, p in self.direct.items()}
        for cid, perms in self.direct.items():
            # Explicit-only permissions (a denouncer's identity) hold on the role's own council only.
            inherited = {p for p in perms if permissions.is_read_permission(p)} - permissions.EXPLICIT_ONLY
            for child in self.descendants.get(cid, ()):
                effective.setdefault(child, set()).update(inherited)
        # An archivist back-enters every dissolved council below its own council.
        archivist_councils = {r.council_id for r in roles if r.role == permissions.ARCHIVIST}
        if archivist_councils:
            historical = {cid for cid, _p, _gp, hist in self.below if hist}
            for cid in archivist_councils:
                for child in self.descendants.get(cid, ()):
                    if child in historical:
                        effective.setdefault(child, set()).update(permissions.archive_permissions())
        return effective

    def council_ids(self, permission: str) -> list[int]:
        ids = self._council_ids.get(permission)
        if ids is None:
            ids = self._council_ids[permission] = [cid for cid, perms in self.effective.items() if permission in perms]
        return list(ids)


# {(the user's pickled roles, the councils' tree, today): Hierarchy}, per process. The roles'
# pickle and the tree are the copies core.refcache holds (a write anywhere makes new ones), so a
# changed role or council is a new key; none is kept from inside a transaction.
HIERARCHIES: dict[tuple, Hierarchy] = {}
HIERARCHIES_MAX = 2_000


class Access:
    """What one user may do on which council; computed once per request (request.access)."""

    def __init__(self, user) -> None:
        self.user = user
        self._roles_pickle: bytes | None = None

    @cached_property
    def roles(self) -> list[CouncilRole]:
        if not self.user.is_authenticated:
            return []
        held = HELD_ROLES.get()
        pickled = held.get(self.user.pk)
        if pickled is not None:
            self._roles_pickle = pickled
            return pickle.loads(pickled)  # noqa: S301 — written by this process, below
        roles = CouncilRole.objects.filter(user=self.user, council__is_active=True).select_related(
            # The council's ancestors (rules are looked up along them) and the deputy's term (is
            # the mandate running?) come with the roles, not as one query each later.
            "council__parent__parent", "deputy__term", "agency"
        ).order_by()  # sorted below: the model's ordering (across the council) only cost compile time
        # Province first, then commune, then historical district councils.
        roles = sorted(roles, key=lambda r: (LEVEL_RANK.get(r.council.level, 9), r.council.name, r.pk))
        if len(held) >= HELD_ROLES_MAX:
            held.clear()
        held[self.user.pk] = self._roles_pickle = pickle.dumps(roles, protocol=pickle.HIGHEST_PROTOCOL)
        return roles

    @cached_property
    def _hierarchy(self) -> Hierarchy:
        roles, today = self.roles, timezone.localdate()
        tree = COUNCIL_TREE.get() if roles else None
        if self._roles_pickle is None or connection.in_atomic_block:
            return Hierarchy(roles, tree, today)
        key = (self._roles_pickle, tree, today)
        hierarchy = HIERARCHIES.get(key)
        if hierarchy is None:
            held = next(iter(HIERARCHIES), None)
            if len(HIERARCHIES) >= HIERARCHIES_MAX or (held is not None and (held[1] is not tree or held[2] != today)):
                # A new councils' tree or a new day: what was worked out on the old one goes (a
                # key holds its tree: kept, old trees would stay in memory).
                HIERARCHIES.clear()
            hierarchy = HIERARCHIES[key] = Hierarchy(roles, tree, today)
        return hierarchy

    @property
    def _direct(self) -> dict[int, frozenset[str]]:
        return self._hierarchy.direct

    @property
    def _below_rows(self) -> list[tuple]:
        return self._hierarchy.below_rows

    @property
    def _descendants(self) -> dict[int, list[int]]:
        return self._hierarchy.descendants

    @property
    def _effective(self) -> dict[int, frozenset[str]]:
        return self._hierarchy.effective

    def perms(self, council_id: int | None) -> frozenset[str] | set[str]:
        if self.user.is_superuser:
            return _AllPermissions()
        return self._effective.get(council_id, frozenset())

    def has(self, council_id: int | None, permission: str) -> bool:
        return permission in self.perms(council_id)

    def council_ids(self, permission: str) -> list[int] | None:
        """Councils on which the user holds `permission`; None means every council (superuser)."""
        if self.user.is_superuser:
            return None
        return self._hierarchy.council_ids(permission)

    def visible_council_ids(self) -> list[int] | None:
        if self.user.is_superuser:
            return None
        return list(self._effective)

    def councils(self) -> QuerySet:
        """Councils the user can switch to (any role there or above)."""
        ids = self.visible_council_ids()
        qs = Council.objects.filter(is_active=True)
        return qs if ids is None else qs.filter(id__in=ids)

    def switchable_councils(self) -> tuple[tuple, ...] | None:
        """councils() as the switcher prints them — (id, name, level, dissolved_on) in the councils'
        order (level, name) — from the roles and the hierarchy already loaded; None when only the
        database can order them (two role councils of one level outside that hierarchy)."""
        if self.user.is_superuser:
            return None
        hierarchy = self._hierarchy  # the same roles on the same tree: the same rows, worked out once
        if not hasattr(hierarchy, "switchable"):
            rows = self._switchable_rows()
            hierarchy.switchable = None if rows is None else tuple(rows)
        return hierarchy.switchable

    def _switchable_rows(self) -> list[tuple] | None:
        rows = [(cid, name, level, dissolved) for cid, _p, _gp, level, dissolved, name, active in self._below_rows
                if active]
        below_ids = {row[0] for row in self._below_rows}
        seen = set()
        for role in self.roles:
            council = role.council
            if council.id in below_ids or council.id in seen:
                continue
            seen.add(council.id)
            if any(row[2] == council.level for row in rows):
                return None  # its place among same-level names is the database collation's
            position = sum(1 for row in rows if row[2] < council.level)
            rows.insert(position, (council.id, council.name, council.level, council.dissolved_on))
        return rows

    def council_and_below(self, council: Council) -> list[int]:
        """council_and_below(council), read from the hierarchy this request already loaded when
        the council is one the user holds a role on (its descendants are all there); otherwise
        the query."""
        if not self.user.is_superuser and council.id in self._direct:
            return [council.id, *self._descendants[council.id]]
        return council_and_below(council)

    def has_councils_below(self, council: Council) -> bool:
        """Whether the council has councils below it (the lists' "include the councils below"
        box), from the same hierarchy when it covers the council."""
        if not self.user.is_superuser and council.id in self._direct:
            return bool(self._descendants[council.id])
        return council.children.exists()

    def council_names(self) -> dict[int, str]:
        """{id: name} of the role councils and the councils below them, from what the request
        already read (the roles and the hierarchy): no query."""
        return dict(self._hierarchy.names)

    def role_on(self, council_id: int, role: str) -> CouncilRole | None:
        for r in self.roles:
            if r.council_id == council_id and r.role == role:
                return r
        return None

    def deputy_ids(self) -> list[int]:
        return [r.deputy_id for r in self.roles if r.deputy_id]

    def agency_ids(self) -> list[int]:
        return [r.agency_id for r in self.roles if r.agency_id]


class _AllPermissions(set):
    def __contains__(self, item) -> bool:
        return True


def get_access(user) -> Access:
    access = getattr(user, "_portal_access", None)
    if access is None:
        access = Access(user)
        user._portal_access = access
    return access


def scope(queryset: QuerySet, user, permission: str, council_field: str = "council") -> QuerySet:
    """Restrict a queryset to rows of councils where the user holds `permission`."""
    ids = get_access(user).council_ids(permission)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{council_field}__any": ids})


def narrowed(ids: list[int], allowed) -> list[int]:
    """`ids` in their order, but those not in `allowed` (None: every one is allowed)."""
    if allowed is None:
        return ids
    allowed = set(allowed)
    return [i for i in ids if i in allowed]


def council_and_below(council: Council) -> list[int]:
    """The council's id and the ids of every council below it (for reports and lists)."""
    return [council.id, *Council.objects.filter(Q(parent=council) | Q(parent__parent=council)).values_list("id", flat=True)]
