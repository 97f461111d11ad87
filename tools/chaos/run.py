"""`make chaos`: a sales rush on the production stack while its parts fail, then the books;
`make soak`: the same stack under a steady load for 20 minutes, then the books and the
workers' memory.

scripts/chaos.sh starts the stack (scripts/prod.sh: gunicorn, PostgreSQL, a Redis of its own,
the Celery worker and beat) on a fresh database and seeds it; this runs a rush of buyers for
one event through the API and, meanwhile, kills a web worker, restarts PostgreSQL, stops Redis
for 10 s and the Celery worker for 20 s. Then it waits for the stack to settle by itself
(nothing is done by hand) and checks the books (books.py): it prints each invariant with its
figure and exits 1 if one breaks.

It restarts this machine's PostgreSQL cluster: run it on a machine of its own (never beside
a database that matters).
"""

import argparse
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django

from tools.bench.load import CARD, Client

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after setup, as a script)
from django.db import connection  # noqa: E402

from tools.bench.seed import Seeder  # noqa: E402
from tools.chaos import books  # noqa: E402

KINDS = ["solo", "duo", "familiale"]


def _processes(marker: str) -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of this run's processes: those whose environment
    carries ``CHAOS_RUN=marker`` (scripts/chaos.sh exports it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            if f"CHAOS_RUN={marker}".encode() not in environ:
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile, or not ours to read
        found.append((int(entry.name), parent, command))
    return found


@dataclass
class Stack:
    marker: str
    redis_port: int
    log_dir: Path
    started: list[subprocess.Popen] = field(default_factory=list)

    def web_workers(self) -> list[int]:
        procs = _processes(self.marker)
        gunicorns = {pid: parent for pid, parent, command in procs if "gunicorn" in command}
        return [pid for pid, parent in gunicorns.items() if parent in gunicorns]

    def celery_worker(self) -> list[int]:
        return [
            pid
            for pid, _parent, command in _processes(self.marker)
            if "celery" in command and " worker" in command
        ]

    def kill_web_worker(self) -> str:
        victim = random.choice(self.web_workers())
        os.kill(victim, signal.SIGKILL)
        return f"web worker {victim} killed (SIGKILL)"

    def restart_postgresql(self) -> str:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        start = time.perf_counter()
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
        subprocess.run([*command, "-m", "fast"], check=True, capture_output=True)
        return f"PostgreSQL {version} restarted (fast) in {time.perf_counter() - start:.1f} s"

    def stop_redis(self) -> str:
        subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True
        )
        return f"Redis :{self.redis_port} stopped"

    def start_redis(self) -> str:
        subprocess.run(redis_command(self.redis_port, self.log_dir), check=True)
        return f"Redis :{self.redis_port} started"

    def stop_celery(self) -> str:
        pids = self.celery_worker()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return f"Celery worker killed (SIGKILL, {len(pids)} processes)"

    def start_celery(self) -> str:
        log = open(self.log_dir / "celery-restarted.log", "ab")  # noqa: SIM115 (the process's)
        process = subprocess.Popen(
            [".venv/bin/celery", "-A", "config", "worker", "--concurrency", "2"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return f"Celery worker started again (pid {process.pid})"

    def stop_started(self) -> None:
        for process in self.started:
            os.killpg(process.pid, signal.SIGTERM)


def redis_command(port: int, log_dir: Path) -> list[str]:
    return [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "yes",
        "--logfile",
        str((log_dir / "redis.log").resolve()),
    ]


@dataclass
class Outcomes:
    statuses: Counter = field(default_factory=Counter)
    purchases: int = 0
    # Purchases per 2-second slice of the rush: sales went on through each fault, or not.
    slices: Counter = field(default_factory=Counter)
    unreachable: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str, status: int) -> None:
        with self.lock:
            self.statuses[f"{what} {status}"] += 1


def rush(base: str, buyers: list[str], offers: dict[str, int], concurrency: int) -> Outcomes:
    """Buyers buy one ticket at a time until a Solo is refused (nothing left). Each request
    answered 503 is sent again after a moment, the same payment with the same
    Idempotency-Key, as the site asks; a connection cut (a worker killed) too."""
    outcomes = Outcomes()
    started = time.perf_counter()
    waiting: queue.Queue[str] = queue.Queue()
    for token in buyers:
        waiting.put(token)
    sold_out = threading.Event()

    def send(client: Client, what: str, *args) -> tuple[int, dict]:
        while True:
            try:
                status, body = client.json(*args)
            except OSError:
                with outcomes.lock:
                    outcomes.unreachable += 1
                time.sleep(0.5)
                continue
            outcomes.note(what, status)
            if status != 503:
                return status, body
            time.sleep(0.2)

    def buy(client: Client) -> bool:
        for kind in random.sample(KINDS, len(KINDS)):
            item = {"offer_id": offers[kind], "quantity": 1}
            status, body = send(client, "add", "POST", "/api/v1/cart/items", item)
            if status == 409 and body.get("code") == "limit_reached":
                return False
            if status == 409 and body.get("code") in ("sold_out", "not_enough_seats"):
                if kind == "solo":
                    sold_out.set()
                    return False
                continue
            if status != 201:
                return True
            key = {"Idempotency-Key": str(uuid.uuid4())}
            status, _ = send(client, "checkout", "POST", "/api/v1/checkout", CARD, key)
            if status == 201:
                with outcomes.lock:
                    outcomes.purchases += 1
                    outcomes.slices[int((time.perf_counter() - started) // 2) * 2] += 1
            return True
        return False

    def work() -> None:
        while not sold_out.is_set():
            try:
                token = waiting.get_nowait()
            except queue.Empty:
                return
            if buy(Client(base, token)):
                waiting.put(token)

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def faults(stack: Stack) -> list[tuple[float, Callable[[], str]]]:
    """Seconds into the rush, and the fault."""
    return [
        (1, stack.kill_web_worker),
        (2.5, stack.restart_postgresql),
        (7, stack.stop_redis),
        (17, stack.start_redis),
        (9, stack.stop_celery),
        (29, stack.start_celery),
    ]


def inject(schedule: list[tuple[float, Callable[[], str]]], started: float, log: list[str]) -> None:
    for at, fault in sorted(schedule, key=lambda entry: entry[0]):
        time.sleep(max(0.0, started + at - time.perf_counter()))
        try:
            done = fault()
        except Exception as error:  # the run goes on, and says so
            done = f"{fault.__name__} failed: {error!r}"
        line = f"t+{time.perf_counter() - started:5.1f} s  {done}"
        log.append(line)
        print(line, flush=True)


def settled(timeout: float) -> float:
    """Wait until nothing is left in flight (payments to capture or void, confirmations,
    invoices and e-mails to send); how long it took."""
    from etickets.core.models import OutgoingEmail
    from etickets.orders.models import Order
    from etickets.payments.models import PaymentStatus, SandboxCharge

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            pending = (
                SandboxCharge.objects.filter(status=PaymentStatus.AUTHORISED).exists()
                or Order.objects.filter(confirmation_due=True).exists()
                or Order.objects.filter(invoicing_due=True).exists()
                or OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
            )
        except Exception:  # the database coming back
            connection.close()
            pending = True
        if not pending:
            break
        time.sleep(2)
    return time.perf_counter() - start


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def soak(base: str, data: dict, seconds: float) -> tuple[Counter, dict[str, float]]:
    """Pages, purchases and scans at a steady rate for ``seconds``: the answers counted, and
    each operation's rate per second."""
    answers: Counter = Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    buyers: queue.Queue[str] = queue.Queue()
    for token in data["buyers"]:
        buyers.put(token)
    tickets: queue.Queue[str] = queue.Queue()
    for token in data["gate"]["tickets"]:
        tickets.put(token)
    solo = data["rushes"][0]["offers"]["solo"]

    def note(what: str, status: int, expected: int) -> None:
        with lock:
            answers[what if status == expected else f"{what} {status}"] += 1

    def page(client: Client) -> None:
        path = random.choice(["/", "/offres/", "/offres/?type=duo", "/faq/", "/healthz"])
        note("page", client.call("GET", path)[0], 200)

    def purchase(_client: Client) -> None:
        token = buyers.get()
        client = Client(base, token)
        status, _ = client.json("POST", "/api/v1/cart/items", {"offer_id": solo, "quantity": 1})
        note("add", status, 201)
        if status == 201:
            key = {"Idempotency-Key": str(uuid.uuid4())}
            note("checkout", client.json("POST", "/api/v1/checkout", CARD, key)[0], 201)
        buyers.put(token)

    def scan(client: Client) -> None:
        body = {"token": tickets.get(), "event_id": data["gate"]["event"], "gate": "Soak"}
        status, answer = client.json("POST", "/api/v1/gate/scan", body)
        note("scan", 200 if answer.get("verdict") == "valid" else status, 200)

    def steady(work: Callable[[Client], None], per_second: float, token: str | None) -> None:
        client = Client(base, token)
        next_at = time.perf_counter()
        while next_at < deadline:
            work(client)
            next_at += 1 / per_second
            time.sleep(max(0.0, next_at - time.perf_counter()))

    rates = {"page": 10.0, "purchase": 2.0, "scan": 4.0}
    threads = [
        threading.Thread(target=steady, args=(page, rates["page"], None)),
        threading.Thread(target=steady, args=(purchase, rates["purchase"], None)),
        threading.Thread(
            target=steady, args=(scan, rates["scan"], data["gate"]["controller_token"])
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, rates


def run_soak(options: argparse.Namespace, stack: Stack, data: dict) -> int:
    workers = stack.web_workers()
    celery = stack.celery_worker()
    # After a minute of the same load: a worker's memory grows while it warms up (imports,
    # prepared statements, caches), which is not a leak.
    soak(options.base, data, 60)
    start = {pid: rss_kib(pid) for pid in [*workers, *celery]}
    print(f"Soak: {options.soak:.0f} s at a steady rate, after a minute of warm-up", flush=True)
    # The web workers' memory every minute: a leak grows steadily, a warm-up levels off.
    samples: list[int] = []
    soaking = threading.Event()

    def sample() -> None:
        while not soaking.wait(60):
            samples.append(sum(rss_kib(pid) for pid in workers))

    sampler = threading.Thread(target=sample)
    sampler.start()
    answers, rates = soak(options.base, data, options.soak)
    soaking.set()
    sampler.join()
    end = {pid: rss_kib(pid) for pid in start}
    settled(options.settle)
    invariants = books.check(
        event_id=data["rushes"][0]["event"],
        grace_seconds=settings.AUTHORISATION_GRACE_SECONDS,
        access_log=options.logs / "server.log",
    )
    print("Rates per second: " + ", ".join(f"{k} {v:g}" for k, v in rates.items()))
    print(
        "Web workers' memory each minute (MiB): "
        + ", ".join(f"{kib / 1024:.0f}" for kib in samples)
    )
    print("Answers: " + ", ".join(f"{k} ×{v}" for k, v in sorted(answers.items())))
    errors = sum(n for what, n in answers.items() if " " in what)
    invariants.append(books.Invariant("no error answered", f"{errors}", errors == 0))
    for pid, before in start.items():
        kind = "celery" if pid in celery else "web"
        grown = (end[pid] - before) / before * 100 if before and end[pid] else float("inf")
        invariants.append(
            books.Invariant(
                f"{kind} worker {pid}'s memory within 10 % of its start",
                f"{before / 1024:.1f} → {end[pid] / 1024:.1f} MiB ({grown:+.1f} %)",
                grown <= 10,
            )
        )
    return report(invariants)


def report(invariants: list[books.Invariant]) -> int:
    print()
    for invariant in invariants:
        print(invariant.line())
    broken = [invariant for invariant in invariants if not invariant.holds]
    print(f"\n{len(invariants) - len(broken)} of {len(invariants)} invariants hold")
    return 1 if broken else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--marker", required=True)
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--logs", type=Path, required=True)
    # Enough for the rush to outlast the faults (about 500 seats a second here).
    parser.add_argument("--seats", type=int, default=10_000)
    parser.add_argument("--buyers", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--settle", type=float, default=300)
    parser.add_argument("--soak", type=float, help="seconds of steady load instead of the rush")
    options = parser.parse_args()

    data = Seeder().seed(
        output=str(options.logs / "data.json"),
        buyers=options.buyers,
        seats=options.seats,
        rushes=1,
        # The soak scans 4 tickets a second.
        gate_tickets=int((options.soak + 60) * 4) + 100 if options.soak else 1,
        warmup_seats=1,
    )
    connection.close()
    (event,) = data["rushes"]
    stack = Stack(options.marker, options.redis_port, options.logs)
    if options.soak:
        return run_soak(options, stack, data)
    print(
        f"Rush: {options.seats} seats, {options.buyers} buyers, concurrency "
        f"{options.concurrency}; {len(stack.web_workers())} web workers",
        flush=True,
    )
    log: list[str] = []
    started = time.perf_counter()
    injector = threading.Thread(target=inject, args=(faults(stack), started, log))
    injector.start()
    outcomes = rush(options.base, data["buyers"], event["offers"], options.concurrency)
    rushed = time.perf_counter() - started
    injector.join()
    waited = settled(options.settle)
    stack.stop_started()

    invariants = books.check(
        event_id=event["event"],
        grace_seconds=settings.AUTHORISATION_GRACE_SECONDS,
        access_log=options.logs / "server.log",
    )
    print(f"\nRush over in {rushed:.1f} s: {outcomes.purchases} purchases")
    print("Answers: " + ", ".join(f"{k} ×{v}" for k, v in sorted(outcomes.statuses.items())))
    print(
        "Purchases per 2 s: " + ", ".join(f"t+{t}: {n}" for t, n in sorted(outcomes.slices.items()))
    )
    print(f"Connections refused or cut, sent again: {outcomes.unreachable}")
    print(f"Settled by itself {waited:.0f} s after the rush; {books.repairs()}")
    return report(invariants)


if __name__ == "__main__":
    sys.exit(main())
