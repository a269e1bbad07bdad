import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from hdnd_portal import env


def test_malformed_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_MB", "lots")
    with pytest.raises(ImproperlyConfigured, match="UPLOAD_MAX_MB"):
        env.get_int("UPLOAD_MAX_MB", 20)
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.get_bool("DEBUG", True)
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.get_url("DATABASE_URL", ("postgres", "postgresql"), None)


def test_start_up_stops_on_a_malformed_setting():
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hdnd_portal.settings'; django.setup()"],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "not-a-url", "PYTHONPATH": "."},
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
