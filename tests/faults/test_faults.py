"""Fault tests with real processes (issue #13): the portal as `./run` starts it in production —
gunicorn, a Celery worker, Celery beat — on a PostgreSQL and a Redis of its own (throwaway, on free
ports under a temporary directory; never the machine's shared servers), seeded with seed_demo. Each
test breaks one part and checks what a user and the data see:

- the Celery worker is killed (SIGKILL, the whole process group) in the middle of a report and
  started again: the report completes, exactly once;
- Redis is stopped: pages keep working, an answer saved meanwhile is notified once Redis is back;
- PostgreSQL is restarted: the web process answers again by itself (connection health checks);
- the web server is killed during a save: nothing of it is left half-saved.

Run with `./test -m faults` (skipped otherwise; a few minutes: the stack is migrated and seeded once
for the module). The stack's logs are printed when a test fails.
"""

from __future__ import annotations

import re
import shutil
import signal
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psycopg2
import pytest
import requests

from loadtest.forms import links, post_form
from loadtest.stack import Stack, wait_for

pytestmark = pytest.mark.faults

PASSWORD = "demo12345"
# The worker's broker visibility timeout in these tests (production default: settings); a message
# taken by a worker that died is delivered again this long after it was taken.
VISIBILITY_TIMEOUT = 30


@pytest.fixture(scope="module")
def stack():
    # A directory of its own, not pytest's (pytest keeps its base directory private to root, which the
    # unprivileged PostgreSQL user could not enter, and prunes old ones while other runs start).
    root = Path(tempfile.mkdtemp(prefix="hdnd-faults-"))
    stack = Stack(root, env={"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "AXES_ENABLED": "false",
                             "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
    shutil.rmtree(root, ignore_errors=True)  # kept (with its logs) when stopping failed


@pytest.fixture
def logs(stack, request):
    """On failure, show the end of every process's log."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for path in sorted(Path(stack.root).glob("*.log")):
            print(f"--- {path.name} ---\n{path.read_text(errors='replace')[-3000:]}")


def sql(stack: Stack, query: str, *params):
    connection = psycopg2.connect(stack.database_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def login(stack: Stack, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{stack.url}/login/", timeout=30)
    form = post_form(page.text, "username")
    form["fields"].update(username=username, password=PASSWORD)
    response = session.post(f"{stack.url}/login/", data=form["fields"], headers={"Referer": f"{stack.url}/login/"},
                            timeout=30)
    assert response.status_code == 200 and "/login/" not in response.url, f"login of {username} refused"
    return session


def submit(stack: Stack, session: requests.Session, path: str, marker: str, values: dict, **kwargs):
    page = session.get(stack.url + path, timeout=30)
    assert page.status_code == 200, (path, page.status_code)
    form = post_form(page.text, marker)
    form["fields"].update(values)
    return session.post(stack.url + path, data=form["fields"], headers={"Referer": stack.url + path}, **kwargs)


def today() -> str:
    return date.today().strftime("%d/%m/%Y")


# --- 1. worker killed in the middle of a report ------------------------------------------------------
REQUEST_REPORT = """
from datetime import date
from hdnd_portal.core.models import Council, User
from hdnd_portal.reports.services import report_request, requestable_council_ids
user = User.objects.get(username="canbo")
councils = Council.objects.filter(id__in=requestable_council_ids(user), children__isnull=False).order_by("pk")
report, created = report_request(user=user, council=councils.first(), kind="annual", period_start=date(2025, 1, 1),
                                 period_end=date(2025, 12, 31), include_below=True)
print("REPORT", report.pk, created)
"""


def report_row(stack: Stack, pk: int) -> tuple[str, int, str, str]:
    return sql(stack, "SELECT status, attempts, step, pdf FROM reports_report WHERE id = %s", pk)[0]


def test_worker_killed_mid_report_completes_once_after_restart(stack, logs):
    output = stack.manage("shell", "-c", REQUEST_REPORT)
    pk = int(re.search(r"REPORT (\d+) True", output).group(1))

    # The worker claims it (status running, attempt 1); kill the whole worker at once.
    wait_for(lambda: report_row(stack, pk)[0] == "running", 60, "the worker starting the report", interval=0.02)
    stack.kill("worker", signal.SIGKILL)
    status, attempts, step, pdf = report_row(stack, pk)
    assert (status, attempts, pdf) == ("running", 1, ""), "the report was not in the middle when the worker died"
    killed_at = time.monotonic()

    stack.start_worker()
    wait_for(lambda: report_row(stack, pk)[0] in ("done", "failed"), VISIBILITY_TIMEOUT + 120,
             "the report completing after the worker's restart")
    status, attempts, step, pdf = report_row(stack, pk)
    assert (status, attempts, step) == ("done", 2, "done")
    assert pdf.endswith(f"-{pk}.pdf")
    # The killed attempt left no file; the completed one wrote one of each kind.
    written = sorted(p.suffix for p in (Path(stack.root) / "var" / "media" / "reports").rglob(f"bao-cao-*-{pk}.*"))
    assert written == [".docx", ".pdf", ".xlsx"]

    # Exactly once: nothing is delivered again after a further visibility timeout.
    time.sleep(max(0.0, killed_at + 2 * VISIBILITY_TIMEOUT + 15 - time.monotonic()))
    assert report_row(stack, pk)[:2] == ("done", 2)
    assert stack.redis.client().hlen("unacked") == 0
    assert len(re.findall(r"generate_report\[[^\]]+\] succeeded", stack.log("worker"))) == 1


# --- 2. Redis stopped ---------------------------------------------------------------------------------
def test_redis_stopped_pages_work_and_queued_work_runs_when_back(stack, logs):
    staff, responder = login(stack, "canbo"), login(stack, "coquan")
    waiting = links(responder.get(f"{stack.url}/voters/petitions/?status=forwarded", timeout=30).text,
                    r"/voters/petitions/(\d+)/")
    assert waiting, "the demo data has petitions awaiting the agency's answer"
    pk = int(waiting[0])
    stack.redis.stop()
    try:
        assert not stack.redis.answers()
        for path in ("/", "/voters/petitions/", "/voters/petitions/?q=dat+dai", "/citizens/letters/",
                     "/notifications/deadlines/", f"/voters/petitions/{pk}/"):
            response = staff.get(stack.url + path, timeout=30)
            assert response.status_code == 200, (path, response.status_code)
        assert requests.get(f"{stack.url}/cong-khai/", timeout=30).status_code == 200
        assert login(stack, "daibieu").get(f"{stack.url}/voters/mine/", timeout=30).status_code == 200

        # The agency answers: saved now, the deputies' notification waits in the outbox.
        response = submit(stack, responder, f"/voters/petitions/{pk}/answer/", "response_date", {
            "status": "resolved", "response_text": "Đã sửa xong mặt đường", "response_date": today(),
            "response_by": "Sở Xây dựng"}, timeout=30)
        assert response.status_code == 200 and response.url.endswith(f"/voters/petitions/{pk}/")
        assert sql(stack, "SELECT status FROM voters_petition WHERE id = %s", pk) == [("resolved",)]
        jobs = sql(stack, "SELECT id, status FROM notifications_outboxjob WHERE task = %s AND args = %s::jsonb",
                   "voters.tasks.petition_notify_answered", f"[{pk}]")
        assert [status for _, status in jobs] == ["pending"]
        job_id = jobs[0][0]
    finally:
        stack.redis.start()

    # Back: beat's drain (every minute) sends it, the worker carries it out; the worker and beat
    # came through the outage without a restart.
    wait_for(lambda: sql(stack, "SELECT status FROM notifications_outboxjob WHERE id = %s", job_id) == [("sent",)],
             150, "the waiting job being sent once Redis is back")
    wait_for(lambda: re.search(r"petition_notify_answered\[[^\]]+\] succeeded", stack.log("worker")), 60,
             "the worker carrying out the notification")
    assert stack.processes["worker"].poll() is None and stack.processes["beat"].poll() is None
    assert len(re.findall(r"petition_notify_answered\[[^\]]+\] succeeded", stack.log("worker"))) == 1


# --- 3. PostgreSQL restarted --------------------------------------------------------------------------
def test_postgresql_restart_web_recovers_by_itself(stack, logs):
    staff = login(stack, "canbo")
    for _ in range(6):  # every gunicorn worker holds a persistent connection now
        assert staff.get(f"{stack.url}/voters/petitions/", timeout=30).status_code == 200
    stack.postgres.restart()
    statuses = [staff.get(f"{stack.url}/voters/petitions/", timeout=30).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert stack.processes["web"].poll() is None  # the same gunicorn, not restarted


# --- 4. web server killed during a save ---------------------------------------------------------------
COUNTED = ("voters_petition", "voters_historicalpetition", "voters_petitionsource", "notifications_outboxjob",
           "public_trackingcode", "core_deadline")


def counts(stack: Stack) -> dict[str, int]:
    return {table: sql(stack, f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED}  # noqa: S608


def test_web_killed_during_a_save_leaves_nothing_half_saved(stack, logs):
    staff = login(stack, "canbo")
    marker = f"Kiến nghị kiểm thử sự cố {time.time_ns()}"
    page = staff.get(f"{stack.url}/voters/petitions/new/", timeout=30)
    form = post_form(page.text, "content")
    form["fields"].update(content=marker, received_on=today())
    before = counts(stack)

    # Hold the petition history table: the save inserts the petition, then waits on its history row,
    # inside its transaction — the middle of the save.
    holder = psycopg2.connect(stack.database_url)
    holder.cursor().execute("LOCK TABLE voters_historicalpetition IN ACCESS EXCLUSIVE MODE")
    outcome: dict = {}

    def post():
        try:
            outcome["response"] = staff.post(f"{stack.url}/voters/petitions/new/", data=form["fields"], timeout=120,
                                             headers={"Referer": f"{stack.url}/voters/petitions/new/"})
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=post)
    thread.start()
    try:
        blocked = wait_for(lambda: sql(stack, """
            SELECT pid FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND backend_xid IS NOT NULL AND query ILIKE '%%historicalpetition%%'"""),
            30, "the save waiting in the middle of its transaction")
        stack.kill("web", signal.SIGKILL)
    finally:
        holder.rollback()
        holder.close()
    thread.join(30)
    assert "error" in outcome, "the save was answered although the web server was killed"
    backend = blocked[0][0]
    wait_for(lambda: not sql(stack, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", backend), 60,
             "PostgreSQL ending the dead client's session")

    assert sql(stack, "SELECT count(*) FROM voters_petition WHERE content = %s", marker) == [(0,)]
    assert counts(stack) == before

    # The web server started again saves the same petition once, whole.
    stack.start_web()
    response = submit(stack, login(stack, "canbo"), "/voters/petitions/new/", "content",
                      {"content": marker, "received_on": today()}, timeout=60)
    assert response.status_code == 200 and re.search(r"/voters/petitions/\d+/$", response.url)
    pk = int(re.search(r"/voters/petitions/(\d+)/$", response.url).group(1))
    assert sql(stack, "SELECT id FROM voters_petition WHERE content = %s", marker) == [(pk,)]
    assert sql(stack, "SELECT count(*) FROM voters_historicalpetition WHERE id = %s", pk) == [(1,)]
