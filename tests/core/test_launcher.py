"""./run manage … and ./test beside a running portal share its embedded servers and never take
away its Redis socket (which used to leave every queued action answering 500)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _launcher(var_dir: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["HDND_VAR_DIR"] = str(var_dir)
    return subprocess.Popen([sys.executable, "-m", "hdnd_portal.launcher", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def _ping(sock: Path) -> bool:
    import redis

    try:
        return redis.Redis(unix_socket_path=str(sock), socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture
def var_dir():
    path = Path(tempfile.mkdtemp(prefix="hdnd-l-", dir="/tmp"))  # short: unix socket paths are limited
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_manage_beside_a_running_stack_leaves_its_redis_socket_working(var_dir):
    sock = var_dir / "redis" / "redis.sock"
    # The "portal": a launcher process that holds the embedded stack for a while.
    portal = _launcher(var_dir, "manage", "shell", "-c", "import time; print('holding', flush=True); time.sleep(60)")
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "holding" not in line and time.monotonic() < deadline:
            line = portal.stdout.readline()
            assert line or portal.poll() is None, "the portal stack did not start"
        assert _ping(sock)
        inode = sock.stat().st_ino

        beside = _launcher(var_dir, "manage", "check")
        out, _ = beside.communicate(timeout=120)
        assert beside.returncode == 0, out
        assert "sharing the embedded Redis already running" in out

        # The portal's socket is the same file and still answers: the queue keeps working.
        assert sock.exists() and sock.stat().st_ino == inode and _ping(sock)
        import redis

        client = redis.Redis(unix_socket_path=str(sock))
        client.lpush("itest-queue", "job")
        assert client.rpop("itest-queue") == b"job"
    finally:
        portal.terminate()
        portal.communicate(timeout=60)
    # The last user stopped the servers; redis-server removed its own socket.
    deadline = time.monotonic() + 15
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sock.exists()


def test_a_second_run_on_the_same_data_directory_stops_with_a_message(var_dir):
    import fcntl

    var_dir.mkdir(exist_ok=True)
    with open(var_dir / "run.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running ./run holds
        lock.write("pid 1, http://127.0.0.1:8000/")
        lock.flush()
        second = _launcher(var_dir, "run", "--port", "8799")
        out, _ = second.communicate(timeout=60)
    assert second.returncode != 0
    assert "a portal is already running" in out and "./run manage" in out
    assert not (var_dir / "redis").exists()  # it started nothing


def test_a_redis_restarted_by_a_neighbour_is_stopped_by_the_last_user(var_dir):
    import signal

    sock, pidfile = var_dir / "redis" / "redis.sock", var_dir / "redis" / "redis.pid"
    portal = _launcher(var_dir, "manage", "shell", "-c", "import time; print('holding', flush=True); time.sleep(60)")
    try:
        while "holding" not in portal.stdout.readline():
            assert portal.poll() is None, "the portal stack did not start"
        os.kill(int(pidfile.read_text()), signal.SIGKILL)  # Redis dies under the portal
        beside = _launcher(var_dir, "manage", "check")
        out, _ = beside.communicate(timeout=120)
        assert "embedded Redis ready" in out and "left running for 1 other" in out, out
        assert _ping(sock)  # back for the portal
        second = int(pidfile.read_text())
    finally:
        portal.terminate()
        portal.communicate(timeout=60)
    deadline = time.monotonic() + 15
    while Path(f"/proc/{second}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(f"/proc/{second}").exists() and not sock.exists()
