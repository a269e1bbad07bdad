"""Benchmark (not a timed test): the annual report of the province with every council below it.
Measures the figures (SQL) and the PDF rendering separately, wall-clock and this process's CPU
time (the CPU figure is less affected by other load on the machine)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from hdnd_portal.core.models import Council

from ... import narrative
from ...document import build_document
from ...models import Report
from ...render_office import render_docx, render_xlsx
from ...render_pdf import render_pdf
from ...sections import assemble


class Command(BaseCommand):
    help = "Time the figures and the PDF of the annual report for the province and all councils below it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--council", type=int, help="council id (default: the first province)")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--pdf", default="", help="also write the PDF to this path")
        parser.add_argument("--slowest", type=int, default=0, help="list the N slowest queries of the last run")

    def handle(self, *args, year, council, runs, pdf, slowest, **options):
        province = Council.objects.filter(pk=council) if council else Council.objects.filter(level="province")
        province = province.order_by("pk").first()
        if province is None:
            raise CommandError("No council: seed the scale dataset first (manage.py seed_demo --scale).")
        start, end = date(year, 1, 1), date(year, 12, 31)
        below = Council.objects.filter(parent=province).count()
        self.stdout.write(f"{province.name}: {below} councils below, period {start:%d/%m/%Y}–{end:%d/%m/%Y}")
        figures = None
        for run in range(runs):
            reset_queries()
            wall, cpu = time.perf_counter(), time.process_time()
            with override("vi"), CaptureQueriesContext(connection) as queries:
                figures = assemble(province, "annual", start, end, include_below=True)
            self.stdout.write(
                f"figures run {run + 1}: {time.perf_counter() - wall:.2f} s wall, "
                f"{time.process_time() - cpu:.2f} s CPU, {len(queries)} queries"
            )
        if slowest:
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:slowest]:
                self.stdout.write(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
        report = Report(
            council=province,
            kind="annual",
            period_start=start,
            period_end=end,
            include_below=True,
            number="71/BC-HĐND",
            number_seq=71,
            issued_on=date.today(),
            title=narrative.title_for("annual", province.name, start, end),
            figures=figures,
        )
        with override("vi"):
            report.narrative = narrative.build(figures, "annual", start, end)
            wall, cpu = time.perf_counter(), time.process_time()
            data = render_pdf(build_document(report))
            self.stdout.write(
                f"PDF: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU, "
                f"{len(data) // 1024} KB"
            )
            wall = time.perf_counter()
            document = build_document(report)
            render_xlsx(document)
            render_docx(document)
            self.stdout.write(f"Excel + Word: {time.perf_counter() - wall:.2f} s wall")
        if pdf:
            with open(pdf, "wb") as handle:
                handle.write(data)
            self.stdout.write(f"written {pdf}")
