"""A short run of the benchmark against the live test server: it works, and it proves the rush
sells every seat and not one more."""

import json
import os
from pathlib import Path

import pytest

from tools.bench import cpumeter
from tools.bench import load as bench
from tools.bench.seed import Seeder


@pytest.mark.django_db(transaction=True)
def test_benchmark_smoke_run(live_server, tmp_path, settings):
    # No Celery beat here: the polls admit.
    settings.QUEUE_ADMIT_ON_POLL = True
    data_file = tmp_path / "bench.json"
    Seeder().seed(
        output=str(data_file),
        buyers=12,
        seats=30,
        rushes=4,
        gate_tickets=40,
        warmup_seats=20,
        queue_visitors=300,
        queue_pollers=50,
        queue_rate=9000,
        queue_seats=200,
    )
    data = json.loads(data_file.read_text())
    # The calibration phase pointed at a page of the test server (`make bench` serves
    # tools/bench/bare_wsgi.py for it).
    results = bench.run(
        live_server.url,
        data,
        duration=1,
        concurrencies=(4, 8),
        calibration=f"{live_server.url}/healthz",
    )
    for key in ("calibration", "calibration_after"):
        assert results[key]["count"] > 0 and results[key]["errors"] == 0
    assert results["offers_page"]["count"] > 0 and results["offers_page"]["errors"] == 0
    for key in ("rush_4", "rush_8"):
        rush = results[key]
        assert len(rush["runs"]) == 2
        for run in rush["runs"]:
            assert run["sold"] == run["capacity"] == 30, run
            assert run["errors"] == 0
        assert rush == {**rush["runs"][0], "runs": rush["runs"]}  # the lower of two
    assert results["warmup"]["sold"] == results["warmup"]["capacity"] == 20
    gate = results["gate"]
    assert gate["count"] == 39 and gate["errors"] == 0
    assert gate["same_ticket_valid_in_database"] == 1
    assert set(gate["same_ticket_50"]) <= {"valid", "already_used"}
    room = results["waiting_room"]
    assert room["count"] > 0 and room["errors"] == 0 and room["visitors"] == 300
    assert room["admitted"] > 0 and room["out_of_order"] is None
    assert room["purchases"]["count"] > 0 and room["purchases"]["errors"] == 0
    assert 0 < room["sold"] <= room["capacity"] == 200
    text = bench.report(results, 1)
    assert "| waiting room polls, concurrency 16 |" in text and "in the line's order" in text
    assert "| calibration before: a bare Django view, concurrency 16 |" in text
    assert "| calibration after: a bare Django view, concurrency 16 |" in text
    assert "| gate, concurrency 16 |" in text
    model = cpumeter.processor()
    assert f"machine: {os.cpu_count()} CPU{f' ({model})' if model else ''}, " in text
    assert "the median of 2 rushes" in text and "seats sold 30 of 30, 30 of 30" in text
    assert "a warm-up of" in text and "(20 of 20 seats sold)" in text
    if Path("/proc/stat").exists():
        # The test server runs in this process: all its CPU is the client's here.
        for operation in ("request", "purchase", "scan"):
            assert f"CPU per {operation} (ms): the load client " in text


def test_the_admissions_rate_leaves_out_the_first_batch():
    # Nothing, then 150 at 10.0 s, 300 at 11.0 s, 450 at 12.0 s: 300 in 2 s.
    assert bench.admission_rate([(9.5, 0), (10.0, 150), (11.0, 300), (12.0, 450)]) == 9000
    assert bench.admission_rate([(9.5, 0), (10.0, 150)]) is None


def test_an_admission_out_of_the_lines_order_is_found():
    line = ["a", "b", "c", "d"]
    assert bench.out_of_order(["a", "b"], line) is None
    assert bench.out_of_order([], line) is None
    assert bench.out_of_order(["a", "c"], line) == 1
    assert bench.out_of_order([*line, "e"], line) == 4
