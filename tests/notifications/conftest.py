from datetime import date

import pytest

from hdnd_portal.core.deadlines import deadline_set
from hdnd_portal.core.models import Agency, CouncilRole, Rule


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_rules() -> None:
    """A transactional test flushes the tables, data migrations' rows included: put them back."""
    from hdnd_portal.core.rules_loader import load_default_rules
    from hdnd_portal.notifications.rules import PORTAL, REMINDER_RULES

    if Rule.objects.filter(council=None, code="reminder.first_days_before").exists():
        return
    load_default_rules(Rule)
    for code, name, value, unit in REMINDER_RULES:
        Rule.objects.get_or_create(
            code=code,
            council=None,
            effective_from=date(2000, 1, 1),
            defaults=dict(name=name, value=value, unit=unit, citation=PORTAL, status="practice"),
        )


@pytest.fixture
def make_deadline(council, agency):
    """make_deadline(due, subject=…, kind=…, responsible_user=…, agency=…) -> Deadline."""
    counter = {"n": 0}
    ensure_rules()

    def make(
        due: date,
        *,
        subject=None,
        kind="petition.response",
        title=None,
        responsible_user=None,
        responsible_agency="default",
        on_council=None,
        start=None,
    ):
        counter["n"] += 1
        on_council = on_council or council
        if subject is None:
            subject = Agency.objects.create(council=on_council, name=f"Chủ thể {counter['n']}")
        return deadline_set(
            subject=subject,
            council=on_council,
            kind=kind,
            title=title or f"Trả lời kiến nghị số {counter['n']}",
            start_date=start or date(2026, 1, 5),
            due_date=due,
            responsible_user=responsible_user,
            responsible_agency=agency if responsible_agency == "default" else responsible_agency,
        )

    return make


@pytest.fixture
def people(make_user, council, agency):
    """A responsible staff member, a second staff member, a responder of the agency, a leader;
    all with e-mail addresses."""
    users = {
        "responsible": make_user("phutrach", council, CouncilRole.Role.STAFF),
        "staff2": make_user("chuyenvien2", council, CouncilRole.Role.STAFF),
        "responder": make_user("traloi", council, CouncilRole.Role.RESPONDER, agency=agency),
        "leader": make_user("lanhdao", council, CouncilRole.Role.LEADER),
    }
    for name, user in users.items():
        user.email = f"{name}@example.vn"
        user.save()
    return users


@pytest.fixture
def set_rule():
    def set_rule(code, value, council=None, unit="calendar_days"):
        Rule.objects.update_or_create(
            code=code,
            council=council,
            effective_from=date(2000, 1, 1),
            defaults=dict(name=code, value=value, unit=unit, citation="Thiết lập của Cổng HĐND", status="practice"),
        )

    return set_rule


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """reminder_scan(day) with the after-commit mail queueing run (tests run inside a transaction)."""
    from hdnd_portal.notifications.services import reminder_scan

    def run(day=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_scan(day, **kwargs)

    return run
