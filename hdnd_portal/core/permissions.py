"""Roles and the permissions they grant, named can_<verb>_<noun>.

Core grants are declared here; each app adds its own in its AppConfig.ready() through grant(),
so that every permission of the portal is listed where its app is defined."""

from collections import defaultdict

ADMIN, STAFF, LEADER, DEPUTY, RESPONDER, VIEWER = "admin", "staff", "leader", "deputy", "responder", "viewer"
# Back-enters the records of dissolved councils (a district council, a pre-merger commune): on
# those councils it writes what office staff write; everywhere else it only reads.
ARCHIVIST = "archivist"
ALL_ROLES = (ADMIN, STAFF, LEADER, DEPUTY, RESPONDER, VIEWER)

ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)

# Permissions that never come from a role, only from CouncilRole.extra_permissions.
EXPLICIT_ONLY: set[str] = set()


def grant(roles: tuple[str, ...] | str, *permissions: str) -> None:
    if isinstance(roles, str):
        roles = (roles,)
    for role in roles:
        ROLE_PERMISSIONS[role].update(permissions)


def is_read_permission(permission: str) -> bool:
    """Read permissions are inherited by the councils below the role's council."""
    return permission.startswith("can_view_")


grant(ALL_ROLES, "can_view_dashboard")
grant((ADMIN, STAFF, LEADER, DEPUTY, VIEWER), "can_view_directory", "can_view_rule")
grant((ADMIN, STAFF), "can_change_directory", "can_view_history")
grant(LEADER, "can_view_history")
grant(ADMIN, "can_change_council", "can_change_rule", "can_manage_user")


def archive_permissions() -> set[str]:
    """What an archivist may do on a dissolved council: what office staff may do."""
    return set(ROLE_PERMISSIONS.get(STAFF, ())) - EXPLICIT_ONLY
