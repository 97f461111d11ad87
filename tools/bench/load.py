"""The sales-rush benchmark's load client (see `make bench` and docs/PERFORMANCE.md).

Runs in its own process, only against the given base URL on this machine, each phase bounded
in time or in work: the offers page, the rush of buyers for one event, the gate, and a sale
behind its waiting room.
"""

import argparse
import functools
import json
import os
import platform
import queue
import random
import socket
import statistics
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from tools.bench import cpumeter

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "08/30", "cvv": "123"}
REFUSED = {"sold_out", "not_enough_seats"}


class Client:
    """A buyer's or a scanner's HTTP client: one request per connection (``Connection:
    close``, as gunicorn's sync workers serve them anyway) over a bare socket. The client
    shares the machine's cores with the server, so it does as little work as it can (Python's
    http.client took a fifth of the CPU of a rush)."""

    def __init__(self, base: str, token: str | None = None):
        url = urllib.parse.urlsplit(base)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("The benchmark only targets this machine (127.0.0.1).")
        self.address = (url.hostname, url.port or 80)
        self.head = f"Host: {url.netloc}\r\nConnection: close\r\n"
        if token:
            self.head += f"Authorization: Bearer {token}\r\n"

    def call(self, method, path, body=None, headers=None):
        payload = json.dumps(body).encode() if body is not None else b""
        head = self.head + "".join(
            f"{name}: {value}\r\n" for name, value in (headers or {}).items()
        )
        if body is not None:
            head += "Content-Type: application/json\r\n"
        request = f"{method} {path} HTTP/1.1\r\n{head}Content-Length: {len(payload)}\r\n\r\n"
        for attempt in range(6):
            try:
                return _exchange(self.address, request.encode() + payload)
            except (OSError, ValueError):
                # A full listen queue or a worker restart: try again, as a browser would.
                if attempt == 5:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def json(self, method, path, body=None, headers=None):
        status, data = self.call(method, path, body, headers)
        try:
            return status, json.loads(data) if data else {}
        except ValueError:
            return status, {}


def _exchange(address, request: bytes) -> tuple[int, bytes]:
    """Send one request and read its response to the end of the connection.

    The server hangs up first (``Connection: close``), so the closed connection waits out its
    TIME_WAIT on the server's side: were the client first, every connection would hold one of
    the client's ephemeral ports for a minute, and the 28,000 of this machine are used up by a
    15-second phase (each further connection then costs the kernel a search for a free port).
    """
    with socket.create_connection(address, timeout=60) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    head, separator, body = b"".join(chunks).partition(b"\r\n\r\n")
    if not separator:
        raise ValueError("incomplete response")
    status = int(head.split(b" ", 2)[1])
    if _content_length(head) is None and b"\r\ntransfer-encoding: chunked" in head.lower():
        body = _dechunked(body)
    return status, body


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return None


def _dechunked(body: bytes) -> bytes:
    decoded: list[bytes] = []
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(decoded)
        decoded.append(body[:size])
        body = body[size + 2 :]


@dataclass
class Measures:
    latencies: list = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds, ok=True):
        with self.lock:
            self.latencies.append(seconds)
            self.errors += 0 if ok else 1

    def summary(self, elapsed):
        ordered = sorted(self.latencies) or [0.0]
        return {
            "count": len(self.latencies),
            "per_second": round(len(self.latencies) / elapsed, 1) if elapsed else 0,
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
            "errors": self.errors,
            "seconds": round(elapsed, 2),
        }


def run_threads(count, work):
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def page_load(base, path, concurrency, duration):
    """GET one page again and again for ``duration`` seconds."""
    measures = Measures()
    deadline = time.perf_counter() + duration

    def work(_n):
        client = Client(base)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status, _ = client.call("GET", path)
            measures.add(time.perf_counter() - start, status == 200)

    return measures.summary(run_threads(concurrency, work))


def rush(base, buyers, offers, concurrency, time_limit, admission=None):
    """Buyers queue up and buy, one ticket at a time, until the event is sold out: the first
    buyer refused a Solo (one seat) ends the rush, as nothing is left for anyone. A buyer who
    reaches the per-account limit (MAX_TICKETS_PER_EVENT) leaves the queue. ``admission``
    (a sale behind a waiting room): the headers a buyer's client sends once its turn came, None
    if it did not come in time."""
    measures = Measures()
    waiting: queue.Queue[str] = queue.Queue()
    for token in buyers:
        waiting.put(token)
    kinds = ["solo", "duo", "familiale"]
    deadline = time.perf_counter() + time_limit
    sold_out = threading.Event()

    def buy(client, headers):
        """One purchase; None when nothing is left for this buyer."""
        start = time.perf_counter()
        for kind in random.sample(kinds, len(kinds)):
            while True:
                status, body = client.json(
                    "POST", "/api/v1/cart/items", {"offer_id": offers[kind], "quantity": 1}, headers
                )
                if status != 503:
                    break
            if status == 409 and body.get("code") == "limit_reached":
                return None  # this buyer has the most tickets one account may have
            if status == 409 and body.get("code") in REFUSED:
                if kind == "solo":
                    sold_out.set()
                    return None
                continue
            if status != 201:
                measures.add(time.perf_counter() - start, ok=False)
                return True
            key = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            while True:
                status, body = client.json("POST", "/api/v1/checkout", CARD, key)
                if status != 503:
                    break
            measures.add(time.perf_counter() - start, ok=status == 201)
            return True
        return None

    def work(_n):
        while time.perf_counter() < deadline and not sold_out.is_set():
            try:
                token = waiting.get_nowait()
            except queue.Empty:
                return
            client = Client(base, token)
            headers = admission(token, client) if admission else {}
            if headers is None:
                return
            if buy(client, headers):
                waiting.put(token)

    return measures.summary(run_threads(concurrency, work))


def gate(base, event, controller_token, tickets, concurrency):
    """Every ticket but the first once, then the first by 50 gates at the same instant."""
    measures = Measures()
    pending: queue.Queue[str] = queue.Queue()
    for token in tickets[1:]:
        pending.put(token)

    def work(_n):
        client = Client(base, controller_token)
        while True:
            try:
                token = pending.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            status, body = client.json(
                "POST", "/api/v1/gate/scan", {"token": token, "event_id": event, "gate": "Bench"}
            )
            measures.add(time.perf_counter() - start, status == 200 and body["verdict"] == "valid")

    summary = measures.summary(run_threads(concurrency, work))

    verdicts = []
    barrier = threading.Barrier(50)

    def same_ticket(_n):
        client = Client(base, controller_token)
        barrier.wait()
        _status, body = client.json(
            "POST", "/api/v1/gate/scan", {"token": tickets[0], "event_id": event, "gate": "Double"}
        )
        verdicts.append(body.get("verdict"))

    run_threads(50, same_ticket)
    summary["same_ticket_50"] = {v: verdicts.count(v) for v in set(verdicts)}
    summary["same_ticket_valid_in_database"] = valid_scans(tickets[0], "Double")
    return summary


def waiting_room(base, sale, buyers, duration, concurrency=16):
    """A sale behind its waiting room, for ``duration`` seconds from its admissions' start:
    ``concurrency`` connections poll the places of many visitors of its line in turns, while
    the buyers (at its head) wait for their turn through the API and buy with their pass. Then
    the admissions, read from the store: their rate, their order against the line's."""
    _database()
    from etickets.catalog.models import Event
    from etickets.waitingroom import services, store

    event = Event.objects.get(pk=sale["event"])
    line = store.queue_store()
    polls = Measures()
    admissions: list[tuple[float, int]] = []  # (when, how many admitted) at each change
    passes: dict[str, dict] = {}
    services.set_paused(event=event, paused=False)
    deadline = time.perf_counter() + duration

    def poll(n):
        client = Client(base)
        entries = sale["pollers"]
        turn = n
        while time.perf_counter() < deadline:
            path = f"/file-attente/{event.pk}/etat/{entries[turn % len(entries)]}/"
            start = time.perf_counter()
            status, _ = client.call("GET", path)
            polls.add(time.perf_counter() - start, status == 200)
            turn += concurrency

    def admitted(token, client):
        """The buyer's pass header once its turn came (asking every 0.2 s, as the API's
        ``poll_seconds`` would not for a buyer this close to it), None past the phase."""
        while token not in passes and time.perf_counter() < deadline:
            _status, body = client.json("GET", f"/api/v1/events/{event.pk}/queue")
            if body.get("queue_pass"):
                passes[token] = {"X-Queue-Pass": body["queue_pass"]}
            else:
                time.sleep(0.2)
        return passes.get(token)

    def watch():
        # Redis's reads, cheap: the beat admits once a second.
        while time.perf_counter() < deadline:
            count = line.admitted_count(event.pk)
            if not admissions or admissions[-1][1] != count:
                admissions.append((time.perf_counter(), count))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    purchases = {}

    def buy():
        purchases.update(rush(base, buyers, sale["offers"], concurrency, duration, admitted))

    buyer_thread = threading.Thread(target=buy)
    buyer_thread.start()
    summary = polls.summary(run_threads(concurrency, poll))
    buyer_thread.join()
    watcher.join()
    services.set_paused(event=event, paused=True)
    record = line.draw_record(event.pk)
    log = line.admission_log(event.pk)
    summary.update(
        visitors=sale["visitors"],
        pollers=len(sale["pollers"]),
        purchases=purchases,
        rate_per_minute=sale["rate"],
        admitted=len(log),
        admitted_per_minute=admission_rate(admissions),
        out_of_order=out_of_order(log, record.line if record else []),
    )
    return summary


def admission_rate(changes: list[tuple[float, int]]) -> float | None:
    """Admissions a minute between the first and the last admission seen (``changes``: when,
    and how many had been admitted by then), None without two: the first one's batch, and
    anything admitted before it, is not counted against the time since it."""
    admitting = [(when, count) for when, count in changes if count > 0]
    if len(admitting) < 2:
        return None
    (first, before), (last, after) = admitting[0], admitting[-1]
    return round((after - before) * 60 / (last - first), 1)


def out_of_order(log: list[str], line: list[str]) -> int | None:
    """The index in the admission log of the first entry admitted out of the line's order
    (the log must be the line's head), None if none was."""
    for index, entry in enumerate(log):
        if index >= len(line) or line[index] != entry:
            return index
    return None


def _database():
    """The server's database, read back to check the figures (this process shares its
    settings)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def seats_sold(event_ids):
    _database()
    from etickets.catalog.models import Event

    return {e.pk: (e.sold, e.capacity) for e in Event.objects.filter(pk__in=event_ids)}


def valid_scans(token, gate_name):
    _database()
    from etickets.gate.models import Scan
    from etickets.tickets.tokens import read_token

    ticket_id = read_token(token).ticket_id
    return Scan.objects.filter(ticket_id=ticket_id, gate=gate_name, verdict="valid").count()


def settle(timeout=180):
    """Wait until the Celery worker has done what a phase left to do (the buyers'
    confirmation e-mails and invoices), so that each phase is measured on its own."""
    _database()
    from django.conf import settings
    from django.db.models import Q

    from etickets.orders.models import Order

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    import redis

    from config.celery import app

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        inspect = app.control.inspect(timeout=1)
        running = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
        due = Order.objects.filter(Q(confirmation_due=True) | Q(invoicing_due=True)).exists()
        if not due and not broker.llen("celery") and not any(running) and not _vacuuming():
            return
        time.sleep(1)


def _vacuuming() -> bool:
    """Whether PostgreSQL is cleaning up after a phase's writes (autovacuum) right now."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        )
        return cursor.fetchone()[0] > 0


def metered(work, operations=lambda summary: summary["count"]):
    """A phase's summary with where its CPU went per operation (``cpumeter``)."""
    before = cpumeter.read()
    summary = work()
    summary["cpu"] = cpumeter.per_operation(before, cpumeter.read(), operations(summary))
    return summary


def run(base, data, duration, concurrencies=(16, 64), calibration=None):
    def calibrate():
        # How fast the machine serves the least Django can do, now: a shared machine's speed
        # drifts (measured here: by up to a third within an hour), hence before and after.
        parts = urllib.parse.urlsplit(calibration)
        origin = f"{parts.scheme}://{parts.netloc}"
        return metered(
            functools.partial(page_load, origin, parts.path or "/", 16, min(duration, 5))
        )

    results = {"calibration": calibrate()} if calibration else {}
    results["offers_page"] = metered(
        functools.partial(page_load, base, data["offers_page"], 16, duration)
    )
    # Not measured: a sale opens on servers that have run the API before, not on workers
    # meeting its code and statements for the first time.
    warmup = data["warmup"]
    results["warmup"] = rush(base, warmup["buyers"], warmup["offers"], 16, max(duration, 10))
    settle()
    # A rush lasts about two seconds, at the mercy of one hiccup of a shared machine: each
    # concurrency gets as many rushes as the data set has events for it (seed.py: three),
    # taken in turns so that the machine's drift falls on all of them alike, and the report
    # shows the median one with the range.
    per_concurrency = max(len(data["rushes"]) // len(concurrencies), 1)
    rushes = []
    for index, event in enumerate(data["rushes"][: per_concurrency * len(concurrencies)]):
        concurrency = concurrencies[index % len(concurrencies)]
        time_limit = max(duration * 8, 30)
        summary = metered(
            functools.partial(rush, base, data["buyers"], event["offers"], concurrency, time_limit)
        )
        rushes.append((concurrency, event, summary))
        settle()
    gate_data = data["gate"]
    results["gate"] = metered(
        functools.partial(
            gate, base, gate_data["event"], gate_data["controller_token"], gate_data["tickets"], 16
        ),
        # The 50 scans of one ticket included.
        lambda summary: summary["count"] + sum(summary["same_ticket_50"].values()),
    )
    settle()
    sale = data["queue"]
    results["waiting_room"] = metered(
        functools.partial(waiting_room, base, sale, data["buyers"], duration),
        lambda summary: summary["count"] + summary["purchases"]["count"],
    )
    if calibration:
        results["calibration_after"] = calibrate()
    sold = seats_sold(
        [
            warmup["event"],
            sale["event"],
            *(event["event"] for _concurrency, event, _summary in rushes),
        ]
    )
    results["warmup"]["sold"], results["warmup"]["capacity"] = sold[warmup["event"]]
    room = results["waiting_room"]
    room["sold"], room["capacity"] = sold[sale["event"]]
    for _concurrency, event, summary in rushes:
        summary["sold"], summary["capacity"] = sold[event["event"]]
    for concurrency in concurrencies:
        runs = sorted(
            (summary for c, _event, summary in rushes if c == concurrency),
            key=lambda summary: summary["per_second"],
        )
        if runs:
            results[f"rush_{concurrency}"] = {**runs[(len(runs) - 1) // 2], "runs": runs}
    return results


def cpu_note(summary, operation) -> str:
    described = cpumeter.describe(summary.get("cpu", {}), operation)
    return f"; {described}" if described else ""


def report(results, duration) -> str:
    def versions():
        import django

        return f"Python {platform.python_version()}, Django {django.get_version()}"

    def cpus():
        model = cpumeter.processor()
        return f"{os.cpu_count()} CPU ({model})" if model else f"{os.cpu_count()} CPU"

    lines = [
        "## Latest run",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; machine: {cpus()}, {platform.machine()}, "
        f"{versions()}; client and server on the same machine.",
        f"- Phase length: {duration} s (offers page, waiting room); the rushes run until sold out.",
        "",
        "| phase | count | per second | p50 (ms) | p99 (ms) | errors | notes |",
        "|---|---|---|---|---|---|---|",
    ]

    def calibration_row(key, when):
        bare = results.get(key)
        if bare:
            lines.append(
                f"| calibration {when}: a bare Django view, concurrency 16 | {bare['count']} | "
                f"{bare['per_second']} | {bare['p50_ms']} | {bare['p99_ms']} | "
                f"{bare['errors']} | no middleware, no database; the machine of issue 9's "
                f"targets: 6,800 req/s{cpu_note(bare, 'request')} |"
            )

    calibration_row("calibration", "before")
    page = results["offers_page"]
    lines.append(
        f"| offers page, concurrency 16 | {page['count']} | {page['per_second']} | "
        f"{page['p50_ms']} | {page['p99_ms']} | {page['errors']} | "
        f"{cpu_note(page, 'request').removeprefix('; ')} |"
    )
    for key in sorted((k for k in results if k.startswith("rush_")), key=lambda k: int(k[5:])):
        r = results[key]
        concurrency = key.split("_")[1]
        runs = r["runs"]
        sold = ", ".join(f"{run['sold']} of {run['capacity']}" for run in runs)
        lines.append(
            f"| rush, concurrency {concurrency} | {r['count']} purchases | {r['per_second']} "
            f"| {r['p50_ms']} | {r['p99_ms']} | {r['errors']} | the median of {len(runs)} "
            f"rushes (all: {runs[0]['per_second']}–{runs[-1]['per_second']}/s, p99 "
            f"{min(run['p99_ms'] for run in runs)}–{max(run['p99_ms'] for run in runs)} ms, "
            f"{sum(run['errors'] for run in runs)} errors); seats sold {sold}"
            f"{cpu_note(r, 'purchase')} |"
        )
    g = results["gate"]
    lines.append(
        f"| gate, concurrency 16 | {g['count']} scans | {g['per_second']} | {g['p50_ms']} | "
        f"{g['p99_ms']} | {g['errors']} | 50 simultaneous scans of one ticket: "
        f"{g['same_ticket_valid_in_database']} valid ({g['same_ticket_50']})"
        f"{cpu_note(g, 'scan')} |"
    )
    q = results["waiting_room"]
    bought = q["purchases"]
    rate = q["admitted_per_minute"]
    pace = "n/a" if rate is None else f"{rate:,.0f}/min ({(rate / q['rate_per_minute'] - 1):+.1%})"
    order = (
        "all in the line's order"
        if q["out_of_order"] is None
        else f"out of the line's order from the {q['out_of_order'] + 1}th"
    )
    lines += [
        f"| waiting room polls, concurrency 16 | {q['count']} polls | {q['per_second']} | "
        f"{q['p50_ms']} | {q['p99_ms']} | {q['errors']} | the places of {q['pollers']:,} of "
        f"the {q['visitors']:,} visitors in line, in turns; admissions {pace} for "
        f"{q['rate_per_minute']:,}/min set, {q['admitted']:,} admitted, {order}"
        f"{cpu_note(q, 'poll or purchase')} |",
        f"| waiting room purchases, concurrency 16 | {bought['count']} purchases | "
        f"{bought['per_second']} | {bought['p50_ms']} | {bought['p99_ms']} | "
        f"{bought['errors']} | meanwhile, by the buyers at the head of the line with their "
        f"pass; seats sold {q['sold']} of {q['capacity']} |",
    ]
    calibration_row("calibration_after", "after")
    w = results["warmup"]
    lines += [
        "",
        f"Before the rushes, not counted: a warm-up of {w['count']} purchases at concurrency 16 "
        f"by buyers of its own, on an event of its own ({w['sold']} of {w['capacity']} seats "
        "sold).",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--data", required=True)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--report", help="a file to write the report to (var/bench/)")
    parser.add_argument("--calibration", help="URL of a bare Django view (bare_wsgi.py)")
    options = parser.parse_args()
    with open(options.data) as file:
        data = json.load(file)
    results = run(options.base, data, options.duration, calibration=options.calibration)
    text = report(results, options.duration)
    print(text)
    if options.report:
        with open(options.report, "w") as file:
            file.write(text)


if __name__ == "__main__":
    main()
