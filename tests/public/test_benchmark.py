"""The benchmark command runs end to end over loopback and prints p50/p95 cold and warm."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_benchmark_public_prints_cold_and_warm_percentiles(council, capsys):
    call_command("benchmark_public", iterations=3)
    out = capsys.readouterr().out
    assert "cold p95" in out and "warm p95" in out
    for label in ("council page", "resolutions search", "resolutions feed"):
        assert label in out
