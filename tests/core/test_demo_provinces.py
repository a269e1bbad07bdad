"""seed_demo --provinces: more provinces from the official list, each independent of the others,
and Hà Nội's data the same whatever their number (the benchmark's 1× dataset stays the one-province
dataset; see README "Benchmark")."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q

from citizens.models import Letter
from hdnd_portal.core.benchmark import dataset
from hdnd_portal.core.demo import extra_province_codes
from hdnd_portal.core.models import Agency, Council, CouncilRole, Deputy, DocumentCounter
from oversight.models import OversightActivity
from sessions.models import Resolution
from voters.models import Petition, VoterMeeting

pytestmark = pytest.mark.django_db

PER_COUNCIL = [Petition, Letter, Resolution, VoterMeeting, OversightActivity, Deputy]


def _councils(code: str):
    return Council.objects.filter(Q(code=code) | Q(parent__code=code))


def _snapshot(code: str) -> dict:
    """What a province holds: rows per council and model, and the petitions', letters' and
    deputies' contents (ids and timestamps left out: they depend on what was inserted before)."""
    councils = _councils(code)
    counts = {
        model.__name__: dict(
            model.objects.filter(council__in=councils).values_list("council__code").annotate(n=Count("id"))
        )
        for model in PER_COUNCIL
    }
    return {
        "councils": sorted(councils.values_list("code", "name")),
        "counts": counts,
        "petitions": list(
            Petition.objects.filter(council__in=councils)
            .order_by("council__code", "received_on", "content", "status", "id")
            .values_list("council__code", "received_on", "content", "status", "agency__short_name")
        ),
        "letters": list(
            Letter.objects.filter(council__in=councils)
            .order_by("council__code", "register_year", "register_seq")
            .values_list("council__code", "register_number", "subject", "status")
        ),
        "deputies": sorted(Deputy.objects.filter(council__in=councils).values_list("council__code", "full_name")),
    }


def test_extra_provinces_are_the_next_large_ones_by_code():
    assert extra_province_codes(3) == ["8", "25", "31"]  # Tuyên Quang, Phú Thọ, Hải Phòng: ≥ 100 communes each
    assert extra_province_codes(0) == []
    with pytest.raises(CommandError, match="provinces"):
        call_command("seed_demo", provinces=35)


def test_two_provinces_are_independent_and_hanoi_is_the_same_as_alone():
    with transaction.atomic():
        call_command("seed_demo", provinces=2, communes=2, stdout=io.StringIO())
        provinces = list(Council.objects.filter(level=Council.Level.PROVINCE).order_by("code"))
        assert [p.code for p in provinces] == ["01", "08"]
        hanoi, second = provinces
        with_two = _snapshot("01")
        snapshot = _snapshot("08")
        # Every council of both provinces got its own data.
        for code in ("01", "08"):
            councils = list(_councils(code).values_list("code", flat=True))
            assert len(councils) == 3
            for model in PER_COUNCIL:
                counts = (with_two if code == "01" else snapshot)["counts"][model.__name__]
                assert set(counts) == set(councils), (model.__name__, code, counts)
        # The second province is not a copy of the first (its own generator and names)…
        assert sorted(n for _c, n in snapshot["deputies"]) != sorted(n for _c, n in with_two["deputies"])
        assert Agency.objects.get(council=second, short_name="STC").name == "Sở Tài chính"
        assert Agency.objects.filter(council=second, name="Ủy ban nhân dân Tỉnh").exists()
        # …and refers only to its own rows: forwarded petitions and letters go to its own agencies,
        # its lower-council agencies are its communes, its numbering counters are its own.
        for model, agency in ((Petition, "agency"), (Letter, "forwarded_to")):
            rows = model.objects.filter(council__in=_councils("08")).exclude(**{agency: None})
            assert rows.exists()
            assert not rows.exclude(**{f"{agency}__council": F("council")}).exists()
        lower = Agency.objects.filter(kind=Agency.Kind.LOWER_COUNCIL)
        assert set(lower.filter(council=second).values_list("lower_council__parent__code", flat=True)) == {"08"}
        assert lower.filter(council=hanoi).count() == 2
        assert DocumentCounter.objects.filter(council=second).exists()
        # The demo users stay on Hà Nội and its first commune.
        first_commune = Council.objects.filter(parent=hanoi).order_by("code").first()
        assert set(CouncilRole.objects.values_list("council_id", flat=True)) == {hanoi.id, first_commune.id}
        transaction.set_rollback(True)
    call_command("seed_demo", communes=2, stdout=io.StringIO())
    assert Council.objects.filter(level=Council.Level.PROVINCE).count() == 1
    alone = _snapshot("01")
    assert alone["counts"] == with_two["counts"]
    assert alone == with_two


def test_the_benchmark_names_the_dataset_of_n_provinces(settings):
    main = settings.DATABASES["default"]["NAME"]
    assert dataset.bench_database_name(None) == f"{main}_bench"
    assert dataset.bench_database_name("hdnd_bench_scale", 1) == "hdnd_bench_scale"
    assert dataset.bench_database_name("hdnd_bench_scale", 4) == "hdnd_bench_scale_x4"
    assert dataset.marker_provinces({"version": "1", "seed": "2021"}) == 1  # built before --provinces
    assert dataset.marker_provinces({"provinces": "4"}) == 4


def test_benchmark_compare_puts_the_files_side_by_side(tmp_path):
    def run(database, provinces, p50):
        return {
            "database": database,
            "provinces": provinces,
            "rows": {"councils": 127 * provinces},
            "results": [{"name": "petitions page, commune staff", "portal": {"p50": p50, "p95": p50 + 5, "queries": 14}}],
        }

    paths = []
    for i, data in enumerate([run("bench", 1, 40.0), run("bench_x4", 4, 50.0)]):
        paths.append(tmp_path / f"{i}.json")
        paths[-1].write_text(json.dumps(data))
    out = io.StringIO()
    call_command("benchmark_compare", *map(str, paths), "--out", str(tmp_path / "t.md"), stdout=out)
    text = out.getvalue()
    assert "| councils | 127 | 508 |" in text
    assert "| petitions page, commune staff | 40.0 / 45.0 / 14 | 50.0 / 55.0 / 14 | 1.25 |" in text
    assert "#2 4× (bench_x4)" in text
    assert (tmp_path / "t.md").read_text().startswith("| rows |")
    with pytest.raises(CommandError, match="two"):
        call_command("benchmark_compare", str(paths[0]))
