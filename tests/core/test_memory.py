"""Garbage collection of the web workers: between requests, never in the middle of one."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from django.core.signals import request_started

from hdnd_portal.core.memory import tuned_for_requests

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_gunicorn_worker_freezes_its_start_up_objects_and_collects_only_between_requests():
    script = (
        "import gc, django; django.setup()\n"
        "from hdnd_portal import wsgi\n"
        "from hdnd_portal.gunicorn_conf import post_worker_init\n"
        "from django.core.signals import request_started\n"
        "before = gc.get_threshold()\n"
        "post_worker_init(None)\n"
        "receivers = [r for r in request_started.receivers if r[0][0] == 'hdnd-gc-between-requests']\n"
        "print(gc.get_freeze_count() > 50000, gc.get_threshold()[:2] == before[:2], gc.get_threshold()[2], len(receivers))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hdnd_portal.settings"}
    out = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True", "1000000000", "1"]


def test_while_tuned_a_full_collection_runs_as_each_request_starts_and_the_defaults_come_back(client, db):
    defaults = gc.get_threshold()
    full = []

    def watch(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    with tuned_for_requests():
        assert gc.get_threshold()[2] == 1_000_000_000 and gc.get_freeze_count() > 0
        gc.callbacks.append(watch)
        try:
            client.get("/login/")
            client.get("/login/")
        finally:
            gc.callbacks.remove(watch)
    assert len(full) >= 2
    assert gc.get_threshold() == defaults and gc.get_freeze_count() == 0
    assert not [r for r in request_started.receivers if r[0][0] == "hdnd-gc-between-requests"]
