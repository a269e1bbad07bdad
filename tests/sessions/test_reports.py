from datetime import date

from hdnd_portal.core.dashboard import dashboard_cards
from hdnd_portal.core.scoping import get_access
from sessions.models import CouncilSession
from sessions.reports import section
from sessions.services import resolution_adopt, session_open, vote_record


def test_report_section_counts_in_a_few_queries(
    council, commune, council_session, agenda_item, seat_deputies, django_assert_max_num_queries, staff_user
):
    seat_deputies(5)
    session_open(session=council_session, on=date(2026, 12, 8))
    council_session.refresh_from_db()
    vote_record(agenda_item=agenda_item, voted_on=date(2026, 12, 9), yes=4, no=1, not_voting=0)
    resolution_adopt(council=council, title="Quy định phí", kind="normative", adopted_on=date(2026, 3, 1))
    resolution_adopt(council=commune, title="Xã", kind="regular", adopted_on=date(2026, 3, 1))
    CouncilSession.objects.filter(pk=council_session.pk).update(status="closed")
    with django_assert_max_num_queries(10):
        data = section([council.pk, commune.pk], date(2026, 1, 1), date(2026, 12, 31))
    assert data["sessions_held"] == 1 and data["resolutions"] == 3
    assert (data["resolutions_normative"], data["resolutions_individual"]) == (1, 2)
    assert data["votes"] == 1 and data["votes_passed"] == 1
    assert section([council.pk], date(2025, 1, 1), date(2025, 12, 31))["resolutions"] == 0
    cards = dashboard_cards(council, get_access(staff_user))
    assert any(c.get("url") == "sessions:resolution_list" for c in cards)


def test_open_polls_card_sends_deputies_to_their_voting_page(
    council, council_session, agenda_item, deputy_user, staff_user
):
    from sessions.services import poll_open, session_open

    session_open(session=council_session, on=date(2026, 12, 8))
    poll_open(agenda_item=agenda_item)
    deputy_card = [c for c in dashboard_cards(council, get_access(deputy_user)) if c.get("alert") and "url" in c]
    staff_card = [
        c for c in dashboard_cards(council, get_access(staff_user))
        if c.get("url") == "sessions:session_list" and "year" not in c  # not the regular-sessions warning
    ]
    assert any(c["url"] == "sessions:my_sessions" for c in deputy_card)
    assert len(staff_card) == 2
