"""Reads of the waiting room: the draw's public record and the admission pass's check."""

import dataclasses
import datetime
import json
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import models

from etickets.catalog.models import Event

from . import store
from .models import QueueConfig


class SaleState(models.TextChoices):
    SOON = "soon"  # before the opening: joining puts you in the draw
    OPEN = "open"
    FULL = "full"  # every seat held or sold: some may come back
    SOLD_OUT = "sold_out"  # every seat sold: the queue is closed
    CLOSED = "closed"  # the queue was turned off


@dataclass(frozen=True)
class Status:
    """What a poll shows of the sale, kept in the store as JSON (no query on a poll)."""

    state: str
    opens_at: datetime.datetime
    admission_rate: int
    paused: bool

    def dumps(self) -> str:
        return json.dumps(
            {
                "state": self.state,
                "opens_at": self.opens_at.isoformat(),
                "rate": self.admission_rate,
                "paused": self.paused,
            }
        )

    @classmethod
    def loads(cls, text: str) -> "Status":
        data = json.loads(text)
        return cls(
            state=data["state"],
            opens_at=datetime.datetime.fromisoformat(data["opens_at"]),
            admission_rate=data["rate"],
            paused=data["paused"],
        )


_enabled: tuple[float, dict[int, QueueConfig]] | None = None
_enabled_lock = threading.Lock()


def enabled_queues() -> dict[int, QueueConfig]:
    """Every turned-on queue by event id, with its event, as this process read them at most
    QUEUE_CONFIG_CACHE_SECONDS ago: what each purchase asks, without a query (there are few,
    and they change seldom). The services that change them forget this process's copy."""
    global _enabled
    with _enabled_lock:
        if (
            _enabled is not None
            and time.monotonic() - _enabled[0] < settings.QUEUE_CONFIG_CACHE_SECONDS
        ):
            return _enabled[1]
    configs = {
        c.event_id: c for c in QueueConfig.objects.filter(enabled=True).select_related("event")
    }
    with _enabled_lock:
        _enabled = (time.monotonic(), configs)
    return configs


def forget_enabled_queues() -> None:
    global _enabled
    with _enabled_lock:
        _enabled = None


def queue_in_force(*, config: QueueConfig, now: datetime.datetime) -> bool:
    """Whether the event's buyers go through its queue now: from QUEUE_OPENS_MINUTES_BEFORE
    the opening, while it is turned on."""
    before = datetime.timedelta(minutes=settings.QUEUE_OPENS_MINUTES_BEFORE)
    return config.enabled and now >= config.opens_at - before


@dataclass(frozen=True)
class Line:
    """Where a waiting buyer stands, as their page and its polls show it (the store's reads
    only: no query)."""

    entry: str
    poll: store.Poll
    status: Status | None
    now: datetime.datetime

    @property
    def ahead(self) -> int | None:
        return self.poll.ahead

    @property
    def admitted(self) -> bool:
        return self.poll.place is not None and self.poll.ahead is None

    @property
    def let_in(self) -> bool:
        """Admitted, with a pass that still runs: the sale is theirs to buy from."""
        until = self.poll.pass_until
        return self.admitted and until is not None and until > self.now

    @property
    def pass_over(self) -> bool:
        """Admitted, and the pass expired: a new place is theirs to take."""
        return self.admitted and not self.let_in

    @property
    def ahead_rounded(self) -> int:
        """How many are ahead, to two digits (1,234 → 1,200): what is announced, so that a
        screen reader speaks when the place moves by a step, not at every poll."""
        ahead = self.ahead or 0
        step = max(10 ** (len(str(ahead)) - 2), 10)
        return ahead // step * step

    @property
    def state(self) -> str:
        return self.status.state if self.status else SaleState.SOON

    @property
    def wait_minutes(self) -> int | None:
        """The estimated wait at the current rate, None when it cannot be told (paused, not
        yet drawn)."""
        if self.ahead is None or self.status is None or self.status.paused:
            return None
        return math.ceil((self.ahead + 1) / self.status.admission_rate)

    @property
    def wait_hours(self) -> tuple[int, int] | None:
        """The estimated wait as hours and minutes, once it is an hour or more."""
        if self.wait_minutes is None or self.wait_minutes < 60:
            return None
        return divmod(self.wait_minutes, 60)

    @property
    def poll_seconds(self) -> int:
        """When the page should ask again: often near one's turn or the opening, seldom far from
        them, so that a long line does not poll for nothing."""
        if self.status is not None and self.state == SaleState.SOON:
            to_opening = (self.status.opens_at - self.now).total_seconds()
            return int(min(max(to_opening / 10, 2), 30))
        if self.ahead is None or self.status is None:
            return 5
        return int(min(max(self.ahead * 60 / self.status.admission_rate / 20, 3), 30))


def line_of(*, event_id: int, entry: str, now: datetime.datetime) -> Line:
    """The line as ``entry`` sees it: what a poll reads (Redis, one round trip)."""
    poll = store.queue_store().poll(event_id, entry)
    status = None if poll.status is None else Status.loads(poll.status)
    return Line(entry=entry, poll=poll, status=status, now=now)


def line_of_account(
    *, user: AbstractBaseUser, event: Event, config: QueueConfig, now: datetime.datetime
) -> Line:
    """The line as the account's current entry sees it; until the store has the sale's status,
    as its settings tell it."""
    line = line_of(event_id=event.pk, entry=current_entry(user=user, event=event), now=now)
    if line.status is None:
        return dataclasses.replace(line, status=status_of(config=config, now=now))
    return line


def current_entry(*, user: AbstractBaseUser, event: Event) -> str:
    """The account's entry in the event's line (its latest round)."""
    return store.queue_store().current_entry(event.pk, str(user.pk))


def pass_expiry(*, user: AbstractBaseUser, event: Event) -> datetime.datetime | None:
    """When the user's admission ends (or ended), None if never admitted in this round."""
    queue = store.queue_store()
    return queue.pass_expiry(event.pk, queue.current_entry(event.pk, str(user.pk)))


def status_of(*, config: QueueConfig, now: datetime.datetime) -> Status:
    """The sale's status as its settings tell it (open: as far as they know; the admissions
    tell full or sold out, services.publish_status)."""
    if not config.enabled:
        state = SaleState.CLOSED
    else:
        state = SaleState.SOON if now < config.opens_at else SaleState.OPEN
    return Status(
        state=state,
        opens_at=config.opens_at,
        admission_rate=config.admission_rate,
        paused=config.paused,
    )


def pass_event_id(token: str) -> int | None:
    """The event a pass names, None if it is not one of ours."""
    try:
        return pass_signer().unsign_object(token).get("e")
    except signing.BadSignature:
        return None


def pass_signer() -> signing.Signer:
    # Its own salt: no other signed value of the site can pass for an admission pass.
    return signing.Signer(salt="etickets.waitingroom.pass")


def check_pass(*, token: str, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> bool:
    """Whether ``token`` is a pass of ``user`` for ``event`` still valid at ``now``: its
    signature says so, no query needed."""
    try:
        content = pass_signer().unsign_object(token)
    except signing.BadSignature:
        return False
    return (
        content.get("u") == user.pk
        and content.get("e") == event.pk
        and now.timestamp() < content.get("x", 0)
    )


def holds_pass(*, token: str, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> bool:
    """Whether ``token`` is ``user``'s pass for ``event`` and their admission still runs in the
    store: the pass of a round the account left, or extended no more, no longer buys."""
    if not check_pass(token=token, user=user, event=event, now=now):
        return False
    until = pass_expiry(user=user, event=event)
    return until is not None and until > now


@dataclass(frozen=True)
class FairnessRecord:
    commitment: str
    seed: str | None  # revealed once the draw is made
    drawn: int  # the line's first ``drawn`` entries are fair_order(seed, those entries)
    entry_ids: list[str] | None  # the line in order (or its head), once drawn
    size: int  # entries in the whole line
    admitted: int  # the line's first ``admitted`` entries were let in, in its order


def fairness_record(*, event: Event, limit: int | None = None) -> FairnessRecord | None:
    """What lets anyone check the draw of the event's queue (the line, or its first
    ``limit`` entries); None without a queue."""
    config = QueueConfig.objects.filter(event=event).first()
    if config is None:
        return None
    queue = store.queue_store()
    draw = queue.draw_record(event.pk, limit)
    if draw is None:
        return FairnessRecord(
            commitment=config.seed_commitment,
            seed=None,
            drawn=0,
            entry_ids=None,
            size=queue.length(event.pk),
            admitted=0,
        )
    return FairnessRecord(
        commitment=config.seed_commitment,
        seed=config.seed,
        drawn=draw.drawn,
        entry_ids=draw.line,
        size=draw.size,
        admitted=queue.admitted_count(event.pk),
    )


@dataclass(frozen=True)
class QueueOverview:
    enabled: bool
    opens_at: datetime.datetime
    paused: bool
    admission_rate: int
    waiting: int
    admitted: int
    passes_out: int
    minutes_to_clear: int | None  # at the current rate; None while paused
    seed_commitment: str
    is_open: bool


def queue_overview(*, event: Event, now: datetime.datetime) -> QueueOverview | None:
    """The back office's live figures of the event's queue; None without a queue. One query,
    the rest from the store."""
    config = QueueConfig.objects.filter(event=event).first()
    if config is None:
        return None
    queue = store.queue_store()
    waiting = queue.length(event.pk)
    return QueueOverview(
        enabled=config.enabled,
        opens_at=config.opens_at,
        paused=config.paused,
        admission_rate=config.admission_rate,
        waiting=waiting,
        admitted=queue.admitted_count(event.pk),
        passes_out=queue.passes_out(event.pk, now),
        # Ceiling division: a last, partial minute still takes a minute.
        minutes_to_clear=None if config.paused else -(-waiting // config.admission_rate),
        seed_commitment=config.seed_commitment,
        is_open=now >= config.opens_at,
    )
