"""manage.py benchmark — the portal's speed on the scale dataset, in one run (see the README's
"Benchmark" section): staff lists and their API lists against the Django admin changelist of the
same model and against the floor (the same page's SQL through a cursor), detail pages, home and
dashboard, the annual report's figures and PDF, the reminder scan and a 10,000-row Excel import."""

from __future__ import annotations

import io
import json
import platform
import re
import statistics
import subprocess
import time
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import translation

from hdnd_portal.core.benchmark import cases as case_defs
from hdnd_portal.core.benchmark import dataset
from hdnd_portal.core.benchmark.measure import (
    PageTimer,
    Result,
    Timing,
    floor_statements,
    floor_timing,
    list_queryset,
    measuring_settings,
    timed,
)
from hdnd_portal.core.benchmark.site import register
from hdnd_portal.core.memory import tuned_for_requests

TARGETS = {
    "list": "p95 ≤ 50 ms, ≥ 2.5× faster than the admin, ≤ 12 queries",
    "api": "p95 ≤ 50 ms, ≥ 2.5× faster than the admin, ≤ 12 queries",
    "search": "p95 ≤ 80 ms, ≤ 12 queries",
    "home": "≤ 12 queries",
    "report": "figures ≤ 1 s",
    "import": "≤ 30 s",
}


class Command(BaseCommand):
    help = (
        "Build (or reuse) the scale dataset in its own database and time the portal on it: lists and API lists "
        "against the Django admin and the raw SQL floor, detail pages, home, dashboard, the annual report, the "
        "reminder scan and a 10,000-row import. Prints a table; --json writes the figures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            help="the benchmark's database for one province (default: <portal database>_bench); "
            "--provinces N > 1 uses <that name>_x<N>",
        )
        parser.add_argument(
            "--provinces", type=int, default=1,
            help="the dataset: Hà Nội alone (1, default) or with N−1 more provinces (seed_demo --provinces)",
        )
        parser.add_argument("--rebuild", action="store_true", help="rebuild the scale dataset even if present")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--runs", type=int, default=20, help="timed runs per page, after warm-up (default 20)")
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument(
            "--only", default="", help="measure only the cases whose name contains one of these texts (comma-separated)"
        )
        parser.add_argument("--json", dest="json_path", help="write the results to this JSON file")
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument("--no-admin", action="store_true", help="skip the admin changelists")

    def handle(self, *args, **options):
        started = time.monotonic()
        self.load_at_start = _load()
        if options["provinces"] < 1:
            raise CommandError("--provinces must be at least 1.")
        name = dataset.bench_database_name(options["database"], options["provinces"])
        try:
            marker = dataset.ensure_dataset(
                name,
                seed=options["seed"],
                rebuild=options["rebuild"],
                write=self.stdout.write,
                provinces=options["provinces"],
            )
        except ValueError as error:
            raise CommandError(str(error))
        self.dataset_name, self.rows = name, _row_counts()
        translation.activate(settings.LANGUAGE_CODE)
        self.runs, self.warmup = options["runs"], options["warmup"]
        self.only = [part.strip().lower() for part in options["only"].split(",") if part.strip()]
        self.results: list[Result] = []
        with measuring_settings():
            try:
                # Pages as a web worker serves them (gunicorn_conf.py): garbage collected between
                # requests, not in the middle of one.
                with tuned_for_requests():
                    self.measure_pages(skip_admin=options["no_admin"])
                self.measure_report()
                self.measure_scan()
                self.measure_import(options["import_rows"])
            finally:
                self.purge_queue()
        self.print_table()
        if options["json_path"]:
            self.write_json(options["json_path"], name, marker, time.monotonic() - started)

    def dataset_line(self) -> str:
        r = {key: f"{value:,}".replace(",", ".") for key, value in self.rows.items()}
        return (
            f"Dataset {self.dataset_name}: {r['provinces']} province(s), {r['councils']} councils, "
            f"{r['petitions']} petitions, {r['letters']} letters, {r['deadlines']} deadlines"
        )

    def wanted(self, name: str) -> bool:
        return not self.only or any(part in name.lower() for part in self.only)

    # --- Pages --------------------------------------------------------------------------------

    def measure_pages(self, *, skip_admin: bool) -> None:
        from hdnd_portal.core.models import Council, User

        users = {u.username: u for u in User.objects.filter(username__in=["canbo", "xa", "lanhdao", "admin"])}
        if "canbo" not in users or "admin" not in users:
            raise CommandError("The benchmark database has no demo users: rebuild it (--rebuild).")
        city = Council.objects.filter(level=Council.Level.PROVINCE).order_by("pk").first()
        specs = {spec.key: spec for spec in case_defs.LISTS}
        admin_paths = {
            key: register(case_defs.model_of(spec), columns=spec.columns, ordering=spec.ordering)
            for key, spec in specs.items()
        }
        clear_url_caches()
        timer = PageTimer(self.runs, self.warmup)
        all_cases = (
            case_defs.list_cases(city.id) + case_defs.detail_cases(self.detail_ids(city)) + case_defs.overview_cases()
        )
        for case in all_cases:
            if not self.wanted(case.name):
                continue
            user = users.get(case.user)
            if user is None:
                continue
            self.stdout.write(f"  {case.name} …", ending="")
            self.stdout.flush()
            admin_url = None
            if case.list_key and case.admin_query is not None and not skip_admin:
                admin_url = admin_paths[case.list_key] + (f"?{case.admin_query}" if case.admin_query else "")
            if admin_url:
                # Timed in alternation with the page, so both see the machine in the same state.
                portal, admin = timer.pages((user, case.url), (users["admin"], admin_url))
            else:
                portal, admin = timer.page(user, case.url), None
            result = Result(case.name, case.group, case.url, portal)
            if case.list_key and portal.status == 200:
                council = city if case.user == "canbo" else self.home_council(user)
                qs, cap = list_queryset(user, council, case.url)
                result.floor, result.rows = floor_timing(floor_statements(qs, cap), self.runs, self.warmup)
                if admin_url:
                    result.admin, result.admin_url = admin, admin_url
            self.results.append(result)
            self.stdout.write(f" {portal.p50:.0f}/{portal.p95:.0f} ms")

    def home_council(self, user):
        from hdnd_portal.core.scoping import get_access

        role = get_access(user).roles[0]
        return role.council

    def detail_ids(self, city) -> dict[str, int]:
        from citizens.models import Letter
        from hdnd_portal.core.models import Deadline
        from sessions.models import CouncilSession, Resolution
        from voters.models import Petition, VoterMeeting

        newest = {
            "petition": Petition.objects.filter(council=city).order_by("-received_on", "-pk"),
            "letter": Letter.objects.filter(council=city).order_by("-received_on", "-pk"),
            "resolution": Resolution.objects.filter(council=city).order_by("-adopted_on", "-pk"),
            "deadline": Deadline.objects.filter(council=city, state=Deadline.State.OPEN).order_by("due_date", "pk"),
            "voter meeting": VoterMeeting.objects.filter(council=city).order_by("-date", "-pk"),
            "session": CouncilSession.objects.filter(council=city).order_by("-planned_start", "-pk"),
        }
        ids = {}
        for key, qs in newest.items():
            pk = qs.values_list("pk", flat=True).first()
            if pk:
                ids[key] = pk
        return ids

    # --- The annual report, the reminder scan, the import ----------------------------------------

    def measure_report(self) -> None:
        if not (self.wanted("report figures") or self.wanted("report pdf")):
            return
        from weasyprint import HTML

        from hdnd_portal.core.models import Council
        from hdnd_portal.reports import narrative
        from hdnd_portal.reports.document import build_document
        from hdnd_portal.reports.models import Report
        from hdnd_portal.reports.render_pdf import render_html, render_pdf
        from hdnd_portal.reports.sections import assemble

        city = Council.objects.filter(level=Council.Level.PROVINCE).order_by("pk").first()
        start, end = date(2025, 1, 1), date(2025, 12, 31)
        figures = None

        def figures_run():
            nonlocal figures
            figures = assemble(city, "annual", start, end, include_below=True)

        runs = max(1, min(self.runs, 5))
        times = timed(figures_run, runs, 1)
        # Counted in one thread: inside a transaction the year before is computed here rather than
        # beside (reports.sections.beside), by the same queries.
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            figures_run()
        if self.wanted("report figures"):
            self.add(
                "annual report figures (city and every council below, 2025)",
                "report",
                "reports.sections.assemble",
                times,
                queries=len(queries),
            )
        if not self.wanted("report pdf"):
            return
        report = Report(
            council=city,
            kind="annual",
            period_start=start,
            period_end=end,
            include_below=True,
            number="71/BC-HĐND",
            number_seq=71,
            issued_on=date.today(),
            figures=figures,
            title=narrative.title_for("annual", city.name, start, end),
        )
        report.narrative = narrative.build(figures, "annual", start, end)
        pdf_bytes = b""

        def pdf_run():
            nonlocal pdf_bytes
            pdf_bytes = render_pdf(build_document(report))

        times = timed(pdf_run, max(1, min(self.runs, 3)), 1)
        pages = pdf_bytes.count(b"/Type /Page") - pdf_bytes.count(b"/Type /Pages")
        # The floor: the same HTML through WeasyPrint alone, without the embedded fonts (the host's
        # default serif) — what the portal's PDF costs above it is building the document and the fonts.
        bare_html = re.sub(r"@font-face\s*\{[^}]*\}", "", render_html(build_document(report)))
        bare_bytes = b""

        def bare_run():
            nonlocal bare_bytes
            bare_bytes = HTML(string=bare_html).write_pdf()

        bare_times = timed(bare_run, max(1, min(self.runs, 3)), 1)
        ratio = round(_median(times) / _median(bare_times), 2)
        self.add(
            "annual report PDF",
            "report",
            "reports.render_pdf",
            times,
            notes={"pages": pages, "kilobytes": len(pdf_bytes) // 1024, "× bare WeasyPrint": ratio},
        )
        self.add(
            "annual report PDF, bare WeasyPrint (same HTML, no embedded fonts)",
            "report",
            "weasyprint.HTML(string=…).write_pdf()",
            bare_times,
            notes={
                "pages": bare_bytes.count(b"/Type /Page") - bare_bytes.count(b"/Type /Pages"),
                "kilobytes": len(bare_bytes) // 1024,
            },
        )

    def measure_scan(self) -> None:
        if not self.wanted("reminder scan"):
            return
        from hdnd_portal.core.models import Deadline
        from hdnd_portal.notifications.services import reminder_scan

        first, rerun, notes = [], [], {}
        for _ in range(max(1, min(self.runs, 3))):
            # Each repetition starts from the dataset's state (no reminders sent) and leaves it so.
            with transaction.atomic():
                for bucket in (first, rerun):
                    started = time.perf_counter()
                    run = reminder_scan()
                    bucket.append((time.perf_counter() - started) * 1000)
                    notes["first" if bucket is first else "rerun"] = {
                        "read every deadline within reach": run.full,
                        "examined": run.candidates,
                        "batches": run.batches,
                        "reminders": run.reminders,
                    }
                transaction.set_rollback(True)
        notes["open deadlines"] = Deadline.objects.filter(state=Deadline.State.OPEN).count()
        self.add(
            "reminder scan, first run",
            "scan",
            "notifications.services.reminder_scan",
            first,
            notes=notes["first"] | {"open deadlines": notes["open deadlines"]},
        )
        self.add(
            "reminder scan, re-run (nothing new due)",
            "scan",
            "notifications.services.reminder_scan",
            rerun,
            notes=notes["rerun"],
        )

    def measure_import(self, rows: int) -> None:
        name = f"Excel import of {rows:,} petitions".replace(",", ".")
        if not self.wanted(name):
            return
        from hdnd_portal.core.models import Council, Field, User
        from voters import importer

        city = Council.objects.filter(level=Council.Level.PROVINCE).order_by("pk").first()
        staff = User.objects.get(username="canbo")
        data = self.import_workbook(rows, list(Field.objects.values_list("name", flat=True)[:10]))
        times, outcome = [], None
        for _ in range(max(1, min(self.runs, 2))):
            with transaction.atomic():  # nothing is kept: the next repetition imports into the same data
                started = time.perf_counter()
                outcome = importer.petition_import(
                    council=city, uploaded=SimpleUploadedFile("kien-nghi.xlsx", data), user=staff
                )
                times.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        if outcome is None or not outcome.ok:
            raise CommandError(f"the import was refused: {outcome.errors[:3] if outcome else ''}")
        self.add(
            name,
            "import",
            "voters.importer.petition_import",
            times,
            notes={"rows": outcome.rows, "kilobytes": len(data) // 1024},
        )

    @staticmethod
    def import_workbook(rows: int, fields: list[str]) -> bytes:
        """The importer's own template, filled with `rows` varied petitions."""
        from openpyxl import load_workbook

        from voters import importer

        book = load_workbook(io.BytesIO(importer.template_bytes()))
        sheet = book.active
        sheet.delete_rows(2, sheet.max_row)
        streets = ["Nguyễn Trãi", "Lê Lợi", "Trần Phú", "Hùng Vương", "Quang Trung", "Lý Thường Kiệt"]
        topics = [
            "sửa chữa tuyến đường",
            "lắp đèn chiếu sáng",
            "nạo vét kênh mương",
            "xây nhà văn hóa thôn",
            "cấp giấy chứng nhận quyền sử dụng đất",
            "hỗ trợ hộ nghèo",
        ]
        for i in range(rows):
            sheet.append(
                [
                    f"Đề nghị {topics[i % len(topics)]} trên phố {streets[i % len(streets)]}, tổ {i % 40 + 1} (số {i})",
                    "Kiến nghị",
                    fields[i % len(fields)] if fields else "",
                    f"Phường số {i % 126 + 1}",
                    "Tỉnh",
                    "",
                    f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/2025",
                    "",
                    "",
                    "không",
                ]
            )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def add(self, name, group, target, times, *, queries=None, notes=None) -> None:
        result = Result(name, group, target, Timing.of(times, queries=queries), notes=notes or {})
        self.results.append(result)
        self.stdout.write(f"  {name}: {result.portal.p50:.0f}/{result.portal.p95:.0f} ms")

    def purge_queue(self) -> None:
        """No worker consumes the benchmark's queue: drop what the measured code queued."""
        try:
            from hdnd_portal.celery import app

            app.control.purge()
        except Exception:  # noqa: BLE001 — Redis down: nothing was queued either
            pass

    # --- Output ------------------------------------------------------------------------------

    def print_table(self) -> None:
        head = f"{'page':62} {'p50':>8} {'p95':>8} {'queries':>7} {'× admin':>8} {'× floor':>8} {'rows':>7}"
        self.stdout.write("\n" + self.dataset_line() + "\n" + head + "\n" + "-" * len(head))
        for r in self.results:

            def num(value, fmt="{:.1f}"):
                return fmt.format(value) if value is not None else "—"

            status = "" if r.portal.status in (None, 200) else f"  HTTP {r.portal.status}"
            self.stdout.write(
                f"{r.name[:62]:62} {num(r.portal.p50):>8} {num(r.portal.p95):>8} {num(r.portal.queries, '{}'):>7} "
                f"{num(r.ratio_admin, '{:.2f}'):>8} {num(r.ratio_floor, '{:.2f}'):>8} {num(r.rows, '{}'):>7}{status}"
            )
        self.stdout.write(
            "times in ms (p50/p95 over the runs); × admin: admin p50 / portal p50 (≥ 2.5 wanted); "
            "× floor: portal p50 / floor p50"
        )
        for r in self.results:
            if "× bare WeasyPrint" in r.notes:
                self.stdout.write(
                    f"{r.name}: {r.notes['× bare WeasyPrint']:.2f} × bare WeasyPrint on the same HTML (≤ 1.5 wanted)"
                )
        misses = [r.name for r in self.results if self.misses(r)]
        if misses:
            self.stdout.write(self.style.WARNING(f"{len(misses)} case(s) miss their target: " + "; ".join(misses)))
        else:
            self.stdout.write(self.style.SUCCESS("Every case meets its target."))

    @staticmethod
    def misses(r: Result) -> bool:
        p = r.portal
        if p.status not in (None, 200):
            return True
        if r.group in ("list", "api", "commune", "detail", "home", "search") and (p.queries or 0) > 12:
            return True
        if r.group in ("list", "api", "commune") and (
            p.p95 > 50 or (r.ratio_admin is not None and r.ratio_admin < 2.5)
        ):
            return True
        if r.group == "search" and p.p95 > 80:
            return True
        if r.name.startswith("annual report figures") and p.p95 > 1000:
            return True
        if r.notes.get("× bare WeasyPrint", 0) > 1.5:
            return True
        return r.group == "import" and p.p95 > 30_000

    def write_json(self, path: str, name: str, marker: dict, elapsed: float) -> None:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=settings.BASE_DIR,
                timeout=5,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
        data = {
            "command": "manage.py benchmark",
            "commit": commit,
            "database": name,
            "dataset": marker,
            "provinces": self.rows["provinces"],
            "rows": self.rows,
            "runs": self.runs,
            "warmup": self.warmup,
            "machine": {
                "python": platform.python_version(),
                "cpus": _cpus(),
                "platform": platform.platform(),
                # Other work on the machine inflates every time alike; the ratios to the admin and to
                # the floor (measured in the same minutes) are the figures to compare across runs.
                "load_average_at_start": self.load_at_start,
                "load_average_at_end": _load(),
            },
            "seconds": round(elapsed, 1),
            "targets": TARGETS,
            "results": [r.as_dict() | {"meets_target": not self.misses(r)} for r in self.results],
            "summary": {
                "cases": len(self.results),
                "missing_target": sum(self.misses(r) for r in self.results),
                "median_p50_lists": _median([r.portal.p50 for r in self.results if r.group == "list"]),
            },
        }
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
        self.stdout.write(f"written {path}")


def _row_counts() -> dict[str, int]:
    from citizens.models import Letter
    from hdnd_portal.core.models import Council, Deadline
    from sessions.models import Resolution
    from voters.models import Petition

    return {
        "provinces": Council.objects.filter(level=Council.Level.PROVINCE).count(),
        "councils": Council.objects.count(),
        "petitions": Petition.objects.count(),
        "letters": Letter.objects.count(),
        "deadlines": Deadline.objects.count(),
        "resolutions": Resolution.objects.count(),
    }


def _load() -> list[float] | None:
    import os

    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def _cpus() -> int | None:
    import os

    return os.cpu_count()


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
