"""Where a benchmark phase's CPU went, read from Linux's /proc: by kind of process (the web
workers, PostgreSQL, Redis, Celery, the load client), and the machine's busy and stolen shares
(on a shared host, "steal" is the time other tenants took from this machine's vCPUs). Nothing
on a system without /proc: the benchmark then reports its figures without these."""

import os
from dataclasses import dataclass
from pathlib import Path

CLIENT = "the load client"
# (kind, words of its command line), first match wins: the calibration's bare view is served
# by gunicorn too. Every such process of the machine counts (all of PostgreSQL's, not only the
# benchmark database's backends): on the machine the benchmark runs on, they all share its CPU.
KINDS = (
    ("the calibration's server", ("bare_wsgi",)),
    ("the web workers", ("gunicorn",)),
    ("PostgreSQL", ("postgres",)),
    ("Redis", ("redis-server",)),
    ("Celery", ("celery",)),
)
ORDER = [CLIENT, *(kind for kind, _words in KINDS)]


@dataclass(frozen=True)
class Reading:
    ticks: dict[int, tuple[str, int]]  # pid → (kind, user + system clock ticks)
    machine: tuple[int, int, int]  # ticks: busy, stolen, all


def _kind(pid: int, command: str) -> str | None:
    if pid == os.getpid():
        return CLIENT
    for kind, words in KINDS:
        if any(word in command for word in words):
            return kind
    return None


def read(proc: str = "/proc") -> Reading | None:
    root = Path(proc)
    try:
        fields = (root / "stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    machine = (user + nice + system + irq + softirq, steal, sum(int(v) for v in fields[:8]))
    ticks = {}
    for entry in root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            # The process's name may hold spaces and parentheses: the fields follow the last ")".
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        kind = _kind(int(entry.name), command)
        if kind is not None:
            ticks[int(entry.name)] = (kind, int(stat[11]) + int(stat[12]))
    return Reading(ticks, machine)


def processor(proc: str = "/proc") -> str:
    """The CPU as Linux describes it (« AMD EPYC, family 26 model 2 »: hosts may mask the
    model's name, not its generation), "" where it does not say: two runs' figures compare
    only on the same CPU (a vCPU's speed differs twofold between hosts)."""
    try:
        first = (Path(proc) / "cpuinfo").read_text().split("\n\n", 1)[0]
    except OSError:
        return ""
    fields = {}
    for line in first.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    name = fields.get("model name", "")
    if name and "cpu family" in fields and "model" in fields:
        return f"{name}, family {fields['cpu family']} model {fields['model']}"
    return name


def per_operation(before: Reading | None, after: Reading | None, operations: int) -> dict:
    """Milliseconds of CPU per operation by kind of process (those at 0.01 ms or more), and the
    machine's busy and stolen percentages, between two readings; {} without them. A process
    that started meanwhile counts from zero; one that ended is left out (its last ticks are
    lost with it)."""
    if before is None or after is None or operations <= 0:
        return {}
    seconds_per_tick = 1 / os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(ORDER, 0)
    for pid, (kind, ticks) in after.ticks.items():
        earlier = before.ticks.get(pid)
        used[kind] += ticks - (earlier[1] if earlier and earlier[0] == kind else 0)
    busy, stolen, total = (a - b for a, b in zip(after.machine, before.machine, strict=True))
    per_operation = {
        kind: round(ticks * seconds_per_tick * 1000 / operations, 2) for kind, ticks in used.items()
    }
    return {
        "ms_per_operation": {kind: ms for kind, ms in per_operation.items() if ms > 0},
        "busy_percent": round(100 * busy / total) if total else 0,
        "stolen_percent": round(100 * stolen / total) if total else 0,
    }


def describe(cpu: dict, operation: str) -> str:
    """« CPU per purchase (ms): the web workers 8.1, PostgreSQL 3.0, …; machine busy 97 %,
    stolen 1 % », or "" without a reading."""
    if not cpu:
        return ""
    kinds = ", ".join(f"{kind} {ms:.2f}" for kind, ms in cpu["ms_per_operation"].items())
    return (
        f"CPU per {operation} (ms): {kinds or 'none measured'}; machine busy "
        f"{cpu['busy_percent']} %, stolen {cpu['stolen_percent']} %"
    )
