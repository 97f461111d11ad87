"""The benchmark's CPU accounting, read from a /proc made for the test (and from the real one
where there is one)."""

import os
from pathlib import Path

import pytest

from tools.bench import cpumeter


def _machine(root: Path, user, system, idle, steal):
    # user nice system idle iowait irq softirq steal guest guest_nice
    root.joinpath("stat").write_text(
        f"cpu  {user} 0 {system} {idle} 0 0 0 {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"
    )


def _process(root: Path, pid: int, command: str, ticks: int, name="(python3)"):
    directory = root / str(pid)
    directory.mkdir(exist_ok=True)
    directory.joinpath("cmdline").write_bytes(command.replace(" ", "\0").encode() + b"\0")
    # pid (comm) state ppid … utime (14th field) stime (15th): half each.
    fields = ["S", "1", *["0"] * 9, str(ticks // 2), str(ticks - ticks // 2), "0", "0"]
    directory.joinpath("stat").write_text(f"{pid} {name} {' '.join(fields)}\n")


@pytest.fixture
def proc(tmp_path):
    root = tmp_path / "proc"
    root.mkdir()
    (root / "self").mkdir()  # not a process id: skipped
    return root


def test_kinds_and_deltas_per_operation(proc):
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    _machine(proc, user=1000, system=500, idle=3000, steal=0)
    _process(proc, 11, "gunicorn: worker [config.wsgi]", 100)
    _process(proc, 12, ".venv/bin/gunicorn bare_wsgi --workers 3", 50)
    _process(proc, 13, "postgres: postgres etickets_bench 127.0.0.1(5000) idle", 40)
    _process(proc, 14, "/usr/bin/redis-server 127.0.0.1:6379", 10)
    _process(proc, 15, "/usr/sbin/sshd -D", 999)  # not the benchmark's: left out
    _process(proc, os.getpid(), "python -m tools.bench.load", 20)
    before = cpumeter.read(str(proc))
    assert set(before.ticks) == {11, 12, 13, 14, os.getpid()}
    assert before.ticks[12][0] == "the calibration's server"

    _machine(proc, user=1150, system=530, idle=3100, steal=20)
    _process(proc, 11, "gunicorn: worker [config.wsgi]", 300)
    _process(proc, 13, "postgres: postgres etickets_bench 127.0.0.1(5000) idle", 100)
    _process(proc, 14, "/usr/bin/redis-server 127.0.0.1:6379", 10)  # idle meanwhile
    # Started meanwhile (counted from zero); its name holds a parenthesis.
    _process(proc, 16, "postgres: postgres etickets_bench (x)", 20, name="(postgres) (x))")
    _process(proc, os.getpid(), "python -m tools.bench.load", 30)
    (proc / "12" / "stat").unlink()  # ended meanwhile: left out

    cpu = cpumeter.per_operation(before, cpumeter.read(str(proc)), operations=10)
    assert cpu["ms_per_operation"] == {
        cpumeter.CLIENT: round(10 * tick_ms / 10, 2),
        "the web workers": round(200 * tick_ms / 10, 2),
        "PostgreSQL": round(80 * tick_ms / 10, 2),
    }
    # 150 + 30 busy, 20 stolen, 100 idle of 300 ticks.
    assert cpu["busy_percent"] == 60 and cpu["stolen_percent"] == 7
    text = cpumeter.describe(cpu, "purchase")
    assert text.startswith(
        f"CPU per purchase (ms): the load client {tick_ms:.2f}, the web workers "
    )
    assert text.endswith("; machine busy 60 %, stolen 7 %")


def test_kinds_under_a_hundredth_of_a_millisecond_left_out(proc):
    _machine(proc, user=0, system=0, idle=100, steal=0)
    _process(proc, 14, "/usr/bin/redis-server 127.0.0.1:6379", 0)
    before = cpumeter.read(str(proc))
    _process(proc, 14, "/usr/bin/redis-server 127.0.0.1:6379", 1)
    _machine(proc, user=1, system=0, idle=200, steal=0)
    cpu = cpumeter.per_operation(before, cpumeter.read(str(proc)), operations=100_000)
    assert cpu["ms_per_operation"] == {}
    assert cpumeter.describe(cpu, "request").startswith("CPU per request (ms): none measured;")


def test_nothing_without_proc(tmp_path):
    assert cpumeter.read(str(tmp_path / "none")) is None
    assert cpumeter.per_operation(None, None, 10) == {}
    assert cpumeter.describe({}, "scan") == ""
    assert cpumeter.processor(str(tmp_path / "none")) == ""


def test_processor_model(tmp_path):
    (tmp_path / "cpuinfo").write_text(
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n"
        "model name\t: AMD EPYC\n\nprocessor\t: 1\ncpu family\t: 25\nmodel name\t: Other\n"
    )
    assert cpumeter.processor(str(tmp_path)) == "AMD EPYC, family 26 model 2"
    (tmp_path / "cpuinfo").write_text("processor\t: 0\nmodel name\t: Some CPU\n")
    assert cpumeter.processor(str(tmp_path)) == "Some CPU"
    (tmp_path / "cpuinfo").write_text("processor\t: 0\nCPU implementer\t: 0x41\n")
    assert cpumeter.processor(str(tmp_path)) == ""  # as on some ARM machines


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="Linux's /proc")
def test_reads_this_machine():
    before = cpumeter.read()
    sum(n * n for n in range(300_000))  # some CPU of this process's own
    cpu = cpumeter.per_operation(before, cpumeter.read(), operations=1)
    assert os.getpid() in before.ticks
    assert 0 <= cpu["busy_percent"] <= 100 and 0 <= cpu["stolen_percent"] <= 100
