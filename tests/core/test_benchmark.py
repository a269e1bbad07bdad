"""The pieces of `manage.py benchmark` (the scale run itself is measured, not tested) and the list
count it led to: a list page counts its bare filtered rows, never its per-row annotations."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hdnd_portal.core.benchmark import dataset
from hdnd_portal.core.benchmark.measure import (
    PageTimer,
    Result,
    Timing,
    floor_statements,
    list_queryset,
    percentile,
    timed_alternately,
)
from hdnd_portal.core.benchmark.site import bench_admin_site, register
from hdnd_portal.core.models import Deadline
from voters import services
from voters.models import Petition


def _count_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT COUNT(")]


def test_the_petition_list_counts_bare_rows_not_the_sources_subquery(staff_client, council, monkeypatch):
    from voters.views.petitions import PetitionList

    monkeypatch.setattr(PetitionList, "paginate_by", 2)  # a full first page: counted
    for i in range(3):
        services.petition_create(council=council, content=f"Kiến nghị đường số {i}", received_on=date(2026, 1, 5))
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("voters:petition_list") + "?q=duong")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2
    counts = _count_queries(queries)
    assert counts, counts
    assert all("voters_petitionsource" not in sql for sql in counts), (
        counts
    )  # the "raised N times" column is for the page rows only
    assert all("ORDER BY" not in sql for sql in counts), counts
    assert response.context["paginator"].count == 3


def test_the_capped_count_still_says_more_than_the_cap(staff_client, council, monkeypatch):
    from hdnd_portal.core.views.generic import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 2)
    for i in range(4):
        services.petition_create(council=council, content=f"Kiến nghị {i}", received_on=date(2026, 1, 5))
    response = staff_client.get(reverse("voters:petition_list"))
    paginator = response.context["paginator"]
    assert paginator.count == 2 and paginator.capped


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10.0
    assert percentile(values, 95) == 19.0
    assert percentile([7.0], 95) == 7.0


def test_ratios_compare_p50s():
    result = Result("x", "list", "/", Timing(p50=20, p95=30), admin=Timing(p50=60, p95=80), floor=Timing(10, 12))
    assert result.ratio_admin == 3.0
    assert result.ratio_floor == 2.0
    assert Result("y", "list", "/", Timing(p50=20, p95=30)).ratio_admin is None


def test_a_page_and_its_admin_are_timed_in_alternation():
    calls = []
    series = timed_alternately([lambda: calls.append("page"), lambda: calls.append("admin")], runs=3, warmup=1)
    # One warm-up of each, then each run times both, the order turned every other run.
    assert calls == ["page", "admin", "page", "admin", "admin", "page", "page", "admin"]
    assert [len(times) for times in series] == [3, 3]
    assert all(t >= 0 for times in series for t in times)


def test_the_page_timer_keeps_a_refused_pages_status_and_times_the_others(staff_user):
    timer = PageTimer(runs=2, warmup=0)
    listed, refused = timer.pages((staff_user, reverse("voters:petition_list")), (staff_user, "/admin/"))
    assert listed.status == 200 and listed.queries and listed.p50 > 0
    assert refused.status == 302 and refused.queries is None and refused.p50 == 0.0


def test_the_floor_runs_the_same_rows_count_and_page_query(staff_user, council):
    for i in range(3):
        services.petition_create(council=council, content=f"Kiến nghị {i}", received_on=date(2026, 1, 5))
    qs, cap = list_queryset(staff_user, council, reverse("voters:petition_list") + "?status=new")
    statements = floor_statements(qs, cap)
    assert len(statements) == 2
    with connection.cursor() as cursor:
        cursor.execute(*statements[0])
        assert cursor.fetchone()[0] == 3
        cursor.execute(*statements[1])
        assert len(cursor.fetchall()) == 3
    assert "LIMIT 50" in statements[1][0]


def test_the_floor_of_a_whole_register_reads_the_held_number_as_the_page_does(staff_user, council):
    for i in range(3):
        services.petition_create(council=council, content=f"Kiến nghị {i}", received_on=date(2026, 1, 5))
    qs, cap = list_queryset(staff_user, council, "/api/voters/petitions/")
    statements = floor_statements(qs, cap)
    assert "core_rowcountdelta" in statements[0][0]
    with connection.cursor() as cursor:
        cursor.execute(*statements[0])
        rows = cursor.fetchone()[0]
    assert rows == 3 and type(rows) is int  # written to the JSON


def test_the_api_floor_uses_the_viewset_queryset(staff_user, council, other_council):
    services.petition_create(council=council, content="Kiến nghị", received_on=date(2026, 1, 5))
    services.petition_create(council=other_council, content="Kiến nghị khác", received_on=date(2026, 1, 5))
    qs, cap = list_queryset(staff_user, council, "/api/voters/petitions/")
    assert cap is None  # the API counts every row
    assert list(qs.values_list("council_id", flat=True)) == [council.id]


def test_the_benchmark_admin_site_shows_the_lists_plain_columns(db):
    path = register(Petition, columns=["content", "get_kind_display", "field__name", "n_sources"], ordering=["-id"])
    assert path == "/bench-admin/voters/petition/"
    model_admin = bench_admin_site._registry[Petition]
    assert list(model_admin.list_display) == ["content", "kind", "field"]
    assert model_admin.list_select_related == ["field"]
    assert model_admin.list_per_page == 50
    assert model_admin.search_fields == ["search_text"]


def test_the_benchmark_admin_searches_the_deadlines_title(db):
    """Deadlines have no folded column: the admin searches their title, as its developer would."""
    register(Deadline, columns=["title", "due_date"], ordering=["due_date", "id"])
    assert bench_admin_site._registry[Deadline].search_fields == ["title"]


def test_the_benchmark_never_uses_the_portal_database(settings, db):
    main = settings.DATABASES["default"]["NAME"]
    assert dataset.bench_database_name(None) == f"{main}_bench"
    with pytest.raises(CommandError, match="must not be the portal"):
        call_command("benchmark", database=main)


def test_counting_instructions_needs_valgrind(monkeypatch):
    from hdnd_portal.core.management.commands import benchmark_instructions

    monkeypatch.setattr(benchmark_instructions.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="valgrind is not installed"):
        call_command("benchmark_instructions", "/sessions/", database="hdnd_bench_scale")


def test_instructions_a_request_are_the_counted_run_less_the_warm_up_alone(monkeypatch, capsys):
    """valgrind (the outside world) answers with its summary line; the command runs the page with
    none and with --requests requests under it and divides the difference."""
    from types import SimpleNamespace

    from hdnd_portal.core.management.commands import benchmark_instructions

    runs = []

    def valgrind(command, **kwargs):
        runs.append(command)
        requests = int(command[command.index("--requests") + 1])
        collected = 900_000_000 + requests * 52_500_000
        return SimpleNamespace(returncode=0, stderr=f"==1== Collected : {collected:,}\n")

    monkeypatch.setattr(benchmark_instructions.shutil, "which", lambda name: "/usr/bin/valgrind")
    monkeypatch.setattr(dataset, "database_exists", lambda name: name == "hdnd_bench_scale")
    monkeypatch.setattr(benchmark_instructions.subprocess, "run", valgrind)
    call_command("benchmark_instructions", "/sessions/?below=1", database="hdnd_bench_scale", requests=10)
    assert "52.50 M instructions a request" in capsys.readouterr().out
    assert [run[0] for run in runs] == ["valgrind", "valgrind"]
    assert all("--inner" in run and run[-1] == "/sessions/?below=1" for run in runs)


def test_counting_instructions_needs_the_dataset(monkeypatch, db):
    from hdnd_portal.core.management.commands import benchmark_instructions

    monkeypatch.setattr(benchmark_instructions.shutil, "which", lambda name: "/usr/bin/valgrind")
    with pytest.raises(CommandError, match="No benchmark dataset in hdnd_no_such_dataset"):
        call_command("benchmark_instructions", "/sessions/", database="hdnd_no_such_dataset")


def test_pages_are_measured_without_the_api_throttle_and_restored_after():
    """benchmark and benchmark_instructions make hundreds of API calls a minute: under the
    production limit (1000/hour) they would time 429 answers."""
    from django.conf import settings
    from rest_framework.throttling import UserRateThrottle

    from hdnd_portal.core.benchmark.measure import measuring_settings

    before = UserRateThrottle.THROTTLE_RATES
    with measuring_settings():
        assert UserRateThrottle().get_rate() == "1000000/hour"
        assert settings.ROOT_URLCONF == "hdnd_portal.core.benchmark.urls"
    assert UserRateThrottle.THROTTLE_RATES is before and settings.ROOT_URLCONF == "hdnd_portal.urls"
