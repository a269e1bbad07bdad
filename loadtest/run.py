"""scripts/loadtest: start the portal as in production on 127.0.0.1 (gunicorn, Celery worker and
beat) against a seeded database, run Locust headless with loadtest/locustfile.py, write the summary.

    scripts/loadtest                         # 5 minutes, 40 people, summary in docs/benchmarks/load.{md,json}
    scripts/loadtest --duration 30s --out /tmp/smoke   # a short smoke run

Without DATABASE_URL / REDIS_URL it uses a PostgreSQL and a Redis of its own under var/loadtest/
(kept between runs; seeded with seed_demo the first time). With them, the database given is
migrated and seeded if empty (./run's `prepare`), then used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

from .stack import BASE_DIR, Stack

LOCUST = BASE_DIR / ".venv-load" / "bin" / "locust"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", default="5m", help="Locust run time, e.g. 5m, 90s (default 5m)")
    parser.add_argument("--users", type=int, default=40, help="simulated people (default 40)")
    parser.add_argument("--spawn-rate", type=float, default=4, help="people started per second (default 4)")
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                        help="gunicorn workers (default WEB_CONCURRENCY or 2, as ./run)")
    parser.add_argument("--data", default=str(BASE_DIR / "var" / "loadtest"),
                        help="directory of the test's own PostgreSQL, Redis, logs (default var/loadtest)")
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "benchmarks" / "load"),
                        help="summary path without extension: writes .md and .json (default docs/benchmarks/load)")
    return parser.parse_args(argv)


def dataset(database_url: str) -> dict:
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        counts = {}
        for label, table in (("petitions", "voters_petition"), ("letters", "citizens_letter"),
                             ("councils", "core_council"), ("users", "core_user"), ("deadlines", "core_deadline")):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT code FROM public_trackingcode ORDER BY id LIMIT 200")
        codes = [row[0] for row in cursor.fetchall()]
    return {"counts": counts, "codes": codes}


def server_side(stack: Stack) -> dict:
    access = stack.log("web")
    statuses = re.findall(r'" (\d{3}) ', access)
    worker = stack.log("worker")
    return {
        "responses_5xx": sum(1 for status in statuses if status.startswith("5")),
        "responses_429": statuses.count("429"),
        "worker_tasks_succeeded": len(re.findall(r"succeeded in", worker)),
        "worker_errors": len(re.findall(r"\] ERROR/|Traceback", worker)),
        "web_tracebacks": access.count("Traceback"),
    }


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    return result.stdout.strip()


def markdown(summary: dict, command: str) -> str:
    lines = [
        "# Load test",
        "",
        f"Measured {summary['when']} on commit `{summary['commit']}`, {summary['machine']}.",
        "",
        "```bash",
        command,
        "```",
        "",
        f"One node: gunicorn with {summary['web_workers']} sync workers, a Celery worker (2 processes) and beat, "
        f"PostgreSQL and Redis on the same machine, all on 127.0.0.1; Locust on the same machine too. "
        f"The machine's 1-minute load average during the run: {summary['load_average'][0]}–"
        f"{summary['load_average'][1]} (other sessions share its cores). "
        f"{summary['users']} simulated people ({summary['mix']}) for {summary['seconds']:.0f} s, "
        f"think time 2–6 s (public readers 3–8 s). Data: seed_demo "
        + ", ".join(f"{value:,} {label}" for label, value in summary["dataset"].items()) + ".",
        "",
        "| group | requests | failures | requests/s | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for group, row in summary["groups"].items():
        lines.append(f"| {group} | {row['requests']} | {row['failures']} | {row['rps']} | {row['p50_ms']} | "
                     f"{row['p95_ms']} | {row['max_ms']} |")
    server = summary["server"]
    lines += [
        "",
        f"Server side: {server['responses_5xx']} responses 5xx, {server['responses_429']} responses 429, "
        f"{server['worker_tasks_succeeded']} Celery tasks succeeded, {server['worker_errors']} worker errors.",
        "",
        "Errors: " + ("none." if not summary["errors"] else ""),
    ]
    for error, count in summary["errors"].items():
        lines.append(f"- {count} × {error}")
    lines += ["", "## Per page", "", "| request | count | failures | p50 (ms) | p95 (ms) |", "|---|---:|---:|---:|---:|"]
    for name, row in summary["pages"].items():
        lines.append(f"| {name} | {row['requests']} | {row['failures']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not LOCUST.exists():
        raise SystemExit("Locust is missing: scripts/loadtest installs it into .venv-load.")
    stack = Stack(Path(args.data), database_url=os.environ.get("DATABASE_URL"),
                  redis_url=os.environ.get("REDIS_URL"), web_workers=args.web_workers)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results = Path(args.data) / "locust-results.json"
    try:
        print("[load] starting PostgreSQL, Redis, migrating and seeding (first run: a few minutes)…", flush=True)
        stack.start()
        print(f"[load] portal at {stack.url} (web, worker and beat running)", flush=True)
        data = dataset(stack.database_url)
        env = {**os.environ, "PYTHONPATH": str(BASE_DIR), "LOAD_RESULTS": str(results), "LOAD_TRACKING_CODES": ",".join(data["codes"])}
        for name in ("web", "worker"):  # count only what the run itself produced (the logs are opened to append)
            (Path(args.data) / f"{name}.log").write_text("")
        loads: list[float] = []
        done = threading.Event()

        def sample() -> None:  # the machine's 1-minute load average while Locust runs
            while not done.wait(15):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run = subprocess.run(
            [str(LOCUST), "-f", str(BASE_DIR / "loadtest" / "locustfile.py"), "--headless", "-u", str(args.users),
             "-r", str(args.spawn_rate), "-t", args.duration, "--host", stack.url, "--only-summary",
             "--stop-timeout", "10", "--exit-code-on-error", "1"],
            env=env, cwd=BASE_DIR,
        )
        done.set()
        measured = json.loads(results.read_text())
        summary = {
            "when": datetime.now().strftime("%d/%m/%Y %H:%M"),
            "commit": commit(),
            "machine": f"{os.cpu_count()} CPU cores, {platform.system()} {platform.release()}, Python {platform.python_version()}",
            "users": args.users,
            "mix": "weights: public readers 4, office staff 3, deputies 2, agency responders 1",
            "web_workers": args.web_workers,
            "load_average": [round(min(loads or [0]), 1), round(max(loads or [0]), 1)],
            "dataset": data["counts"],
            **measured,
            "server": server_side(stack),
        }
        Path(f"{out}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
        command = " ".join(["scripts/loadtest", *argv])
        if os.environ.get("DATABASE_URL"):
            command = "DATABASE_URL=<a seed_demo database> REDIS_URL=<a Redis> " + command
        Path(f"{out}.md").write_text(markdown(summary, command.strip()))
        print(Path(f"{out}.md").read_text())
        return run.returncode
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
