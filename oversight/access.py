"""Who sees which oversight items: staff, leaders, deputies and viewers see the council's
oversight (can_view_oversight); an agency responder sees only the recommendations and
commitments addressed to its own agency (can_view_oversight_assigned + request.access.agency_ids())."""

VIEW, ASSIGNED = "can_view_oversight", "can_view_oversight_assigned"


def agency_limit(access, council_id: int) -> list[int] | None:
    """None: no limit. A list: only items of these agencies. Raises nothing; callers check
    can_see_assigned() first."""
    if access.has(council_id, VIEW):
        return None
    return access.agency_ids()


def can_see_assigned(access, council_id: int) -> bool:
    return access.has(council_id, VIEW) or access.has(council_id, ASSIGNED)


def sees_item(access, council_id: int, agency_id: int) -> bool:
    if access.has(council_id, VIEW):
        return True
    return access.has(council_id, ASSIGNED) and agency_id in access.agency_ids()
