"""Demo-like data for the scans: the demo seed of every app over Hà Nội and one commune, for the
last two years of the term (smaller than `seed_demo`, with a record of every kind)."""

import importlib

import pytest
from django.db import transaction
from django.utils import translation

APPS = ["sessions", "oversight", "voters", "citizens", "programmes", "public", "hdnd_portal.notifications"]


def build_demo():
    from django.contrib.contenttypes.models import ContentType

    from hdnd_portal.core.demo import seed_core

    # A transactional test run before this one flushed the tables, and the content types came
    # back with new ids: forget the ids this process remembers (deadlines point at them).
    ContentType.objects.clear_cache()
    with translation.override("vi"):
        ctx = seed_core(scale=False, seed=2021)
        ctx.communes = ctx.communes[:1]
        ctx.years = (2025, 2026)
        for app in APPS:
            importlib.import_module(f"{app}.demo").populate(ctx)
    return ctx


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ctx = build_demo()
            yield ctx
            transaction.set_rollback(True)
