"""The line of a waiting room: in Redis when the site has it, else in this process (the demo).

Both keep the same state per event, changed only by atomic steps:

- before the draw, the entries with their arrival time (``join``);
- the draw (``draw``, once, at or after the opening): the entries that arrived before the
  opening in ``fair_order``, then the later ones in order of arrival, become the line; an entry
  joining after the draw goes to its back;
- the admissions (``admit``): the next ``n`` of the line, in its order, each with its pass's
  expiry, appended to the admission log; ``admit`` also moves the pacing's clock, and only if
  nobody else moved it since the caller read it, so that several nodes admitting at once admit
  each slot once.

An entry is an account's for good: joining again gives the same entry and never a better place,
and nothing removes or moves one. Only once admitted, with a pass that expired, may
the account take a new entry, at the back of the line (``requeue``: its next round). A poll reads
the store only (no PostgreSQL, no session).
"""

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, cast

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac
from redis import Redis

from etickets.core.cache import redis_client

from .fairness import fair_order

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


class NotInLine(LookupError):
    """The entry has no place yet: the draw has not been made (or it never joined)."""


def entry_id(*, event_id: int, account_key: str, round: int = 0) -> str:
    """The account's opaque entry in the event's line (in its ``round``-th place in line): a
    keyed hash, so the same account always gets the same entry, which tells nothing of the
    account and owes nothing to the seed."""
    value = f"{event_id}:{account_key}" if round == 0 else f"{event_id}:{account_key}:{round}"
    return salted_hmac("etickets.waitingroom.entry", value, algorithm="sha256").hexdigest()[:32]


def _us(moment: datetime.datetime) -> int:
    """Exact microseconds since the epoch (a float timestamp could round two moments apart)."""
    return (moment - _EPOCH) // _MICROSECOND


def _moment(us: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=us)


@dataclass(frozen=True)
class Poll:
    """What a waiting buyer's page shows, read in one step."""

    joined: bool
    place: int | None  # in the line, from 0; None before the draw
    admitted: int  # how many of the line were admitted
    status: str | None  # as the last ``set_status`` left it
    pass_until: datetime.datetime | None = None  # the entry's pass, once admitted

    @property
    def ahead(self) -> int | None:
        """How many are ahead, None before the draw or once admitted."""
        if self.place is None or self.place < self.admitted:
            return None
        return self.place - self.admitted


@dataclass(frozen=True)
class Draw:
    """The line as the draw made it and the later arrivals extended it."""

    drawn: int  # how many entries, at its head, arrived before the opening and were drawn
    line: list[str]  # in order: all of it, or its head when asked for a part
    size: int  # how many entries the whole line has


class QueueStore(Protocol):
    def join(self, event_id: int, account_key: str, now: datetime.datetime) -> str:
        """The account's entry, added to the event's queue unless it already is."""
        ...

    def join_all(self, event_id: int, account_keys: list[str], now: datetime.datetime) -> None:
        """``join`` for accounts that never joined, in this order, a microsecond apart from
        ``now`` (one round trip: the benchmark's line of 100,000)."""
        ...

    def draw(self, event_id: int, seed: str, opens_at: datetime.datetime) -> bool:
        """Make the line once; False when it was already made."""
        ...

    def draw_record(self, event_id: int, limit: int | None = None) -> Draw | None:
        """The line in order (its first ``limit`` entries), None before the draw."""
        ...

    def position(self, event_id: int, entry: str) -> int | None:
        """How many are ahead of ``entry``, None once admitted; NotInLine before the draw."""
        ...

    def length(self, event_id: int) -> int:
        """Entries still waiting."""
        ...

    def admitted_count(self, event_id: int) -> int: ...

    def admission_log(self, event_id: int) -> list[str]:
        """Every admitted entry, in the order of admission."""
        ...

    def pacing(self, event_id: int) -> datetime.datetime | None:
        """Up to when admissions were paced; None before the first."""
        ...

    def admit(
        self,
        event_id: int,
        n: int,
        *,
        paced_from: datetime.datetime | None,
        paced_to: datetime.datetime,
        pass_until: datetime.datetime,
    ) -> list[str]:
        """Admit the next ``n`` (fewer if fewer wait) and move the pacing to ``paced_to``, only
        if it still is at ``paced_from``; else admit none."""
        ...

    def passes_out(self, event_id: int, now: datetime.datetime) -> int:
        """Admitted entries whose pass has not expired."""
        ...

    def pass_expiry(self, event_id: int, entry: str) -> datetime.datetime | None:
        """When the entry's pass expires, None if it was never admitted."""
        ...

    def extend_pass(self, event_id: int, entry: str, until: datetime.datetime) -> None:
        """Move an admitted entry's pass expiry to ``until``."""
        ...

    def current_entry(self, event_id: int, account_key: str) -> str:
        """The account's entry in its latest round (joined or not)."""
        ...

    def requeue(self, event_id: int, account_key: str, now: datetime.datetime) -> str | None:
        """The account's entry in a next round, at the back of the line, if its current entry
        was admitted and its pass expired; else None (and nothing changes)."""
        ...

    def poll(self, event_id: int, entry: str) -> Poll: ...

    def set_status(self, event_id: int, status: str) -> None:
        """What the polls show of the sale (services.publish_status)."""
        ...

    def discard(self, event_id: int) -> None:
        """Forget the event's queue (its sale is over)."""
        ...


@dataclass
class _Queue:
    arrivals: dict[str, int] = field(default_factory=dict)  # before the draw: arrival (µs)
    line: dict[str, int] | None = None  # after it: position
    drawn: int = 0
    admitted: int = 0
    log: list[str] = field(default_factory=list)
    passes: dict[str, int] = field(default_factory=dict)  # expiry (µs)
    paced: int | None = None
    rounds: dict[str, int] = field(default_factory=dict)
    status: str | None = None


class InProcessQueueStore:
    """The queue in this process's memory, behind one lock: the demo without Redis (one web
    process), and the tests."""

    def __init__(self) -> None:
        self._queues: dict[int, _Queue] = {}
        self._lock = threading.Lock()

    def _queue(self, event_id: int) -> _Queue:
        return self._queues.setdefault(event_id, _Queue())

    def join(self, event_id: int, account_key: str, now: datetime.datetime) -> str:
        with self._lock:
            queue = self._queue(event_id)
            entry = self._current(event_id, queue, account_key)
            if queue.line is not None:
                queue.line.setdefault(entry, len(queue.line))
            elif entry not in queue.arrivals:
                queue.arrivals[entry] = _us(now)
        return entry

    def join_all(self, event_id: int, account_keys: list[str], now: datetime.datetime) -> None:
        for n, account_key in enumerate(account_keys):
            self.join(event_id, account_key, now + n * _MICROSECOND)

    @staticmethod
    def _current(event_id: int, queue: _Queue, account_key: str) -> str:
        return entry_id(
            event_id=event_id, account_key=account_key, round=queue.rounds.get(account_key, 0)
        )

    def current_entry(self, event_id: int, account_key: str) -> str:
        with self._lock:
            return self._current(event_id, self._queue(event_id), account_key)

    def requeue(self, event_id: int, account_key: str, now: datetime.datetime) -> str | None:
        with self._lock:
            queue = self._queue(event_id)
            current = self._current(event_id, queue, account_key)
            if queue.line is None or queue.line.get(current, queue.admitted) >= queue.admitted:
                return None
            if queue.passes.get(current, 0) > _us(now):
                return None
            queue.rounds[account_key] = queue.rounds.get(account_key, 0) + 1
            entry = self._current(event_id, queue, account_key)
            queue.line[entry] = len(queue.line)
            return entry

    def draw(self, event_id: int, seed: str, opens_at: datetime.datetime) -> bool:
        with self._lock:
            queue = self._queue(event_id)
            if queue.line is not None:
                return False
            early, late = _split(list(queue.arrivals.items()), _us(opens_at))
            order = fair_order(seed=seed, entry_ids=early) + late
            queue.line = {entry: position for position, entry in enumerate(order)}
            queue.drawn = len(early)
            queue.arrivals = {}
            return True

    def draw_record(self, event_id: int, limit: int | None = None) -> Draw | None:
        with self._lock:
            queue = self._queue(event_id)
            if queue.line is None:
                return None
            line = list(queue.line)
            return Draw(drawn=queue.drawn, line=line[:limit], size=len(line))

    def position(self, event_id: int, entry: str) -> int | None:
        with self._lock:
            queue = self._queue(event_id)
            if queue.line is None or entry not in queue.line:
                raise NotInLine(entry)
            ahead = queue.line[entry] - queue.admitted
            return ahead if ahead >= 0 else None

    def length(self, event_id: int) -> int:
        with self._lock:
            queue = self._queue(event_id)
            return len(queue.arrivals) + len(queue.line or ()) - queue.admitted

    def admitted_count(self, event_id: int) -> int:
        with self._lock:
            return self._queue(event_id).admitted

    def admission_log(self, event_id: int) -> list[str]:
        with self._lock:
            return list(self._queue(event_id).log)

    def pacing(self, event_id: int) -> datetime.datetime | None:
        with self._lock:
            paced = self._queue(event_id).paced
            return None if paced is None else _moment(paced)

    def admit(
        self,
        event_id: int,
        n: int,
        *,
        paced_from: datetime.datetime | None,
        paced_to: datetime.datetime,
        pass_until: datetime.datetime,
    ) -> list[str]:
        with self._lock:
            queue = self._queue(event_id)
            if queue.paced != (None if paced_from is None else _us(paced_from)):
                return []
            queue.paced = _us(paced_to)
            if queue.line is None or n <= 0:
                return []
            # Dicts keep their insertion order, which is the positions' order.
            entries = list(queue.line)[queue.admitted : queue.admitted + n]
            queue.admitted += len(entries)
            queue.log += entries
            queue.passes.update(dict.fromkeys(entries, _us(pass_until)))
            return entries

    def passes_out(self, event_id: int, now: datetime.datetime) -> int:
        with self._lock:
            return sum(until > _us(now) for until in self._queue(event_id).passes.values())

    def pass_expiry(self, event_id: int, entry: str) -> datetime.datetime | None:
        with self._lock:
            until = self._queue(event_id).passes.get(entry)
            return None if until is None else _moment(until)

    def extend_pass(self, event_id: int, entry: str, until: datetime.datetime) -> None:
        with self._lock:
            passes = self._queue(event_id).passes
            if entry in passes:
                passes[entry] = _us(until)

    def poll(self, event_id: int, entry: str) -> Poll:
        with self._lock:
            queue = self._queue(event_id)
            place = None if queue.line is None else queue.line.get(entry)
            joined = place is not None or entry in queue.arrivals
            until = queue.passes.get(entry)
            return Poll(
                joined=joined,
                place=place,
                admitted=queue.admitted,
                status=queue.status,
                pass_until=None if until is None else _moment(until),
            )

    def set_status(self, event_id: int, status: str) -> None:
        with self._lock:
            self._queue(event_id).status = status

    def discard(self, event_id: int) -> None:
        with self._lock:
            self._queues.pop(event_id, None)


def _split(arrivals: list[tuple[str, int]], opens_at_us: int) -> tuple[list[str], list[str]]:
    """The entries that arrived before the opening, and the later ones in order of arrival
    (ties, within a microsecond, by entry id)."""
    early = [entry for entry, arrived in arrivals if arrived < opens_at_us]
    late = sorted(
        ((arrived, entry) for entry, arrived in arrivals if arrived >= opens_at_us),
    )
    return early, [entry for _arrived, entry in late]


# The state of a queue in Redis, keys of one hash slot (``{event}``):
# arrivals: ZSET entry → arrival µs (before the draw); pending: ZSET entry → order of arrival
# (joins while the draw is being made); line: ZSET entry → position; tail: the next position;
# state: absent, "closing" (the draw is being made) or "drawn"; drawn: how many were drawn;
# admitted: how many were admitted; log: LIST of admitted entries; passes: ZSET entry →
# pass expiry µs; paced: µs up to which admissions were paced; rounds: HASH account → its
# latest round; status: what the polls show of the sale.
_KEYS = ("arrivals", "pending", "line", "tail", "state", "drawn", "admitted", "log", "passes")
_ALL_KEYS = (*_KEYS, "paced", "rounds", "status")

_JOIN = """
local arrivals, pending, line, tail, state = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local entry = ARGV[1]
if redis.call('ZSCORE', line, entry) or redis.call('ZSCORE', arrivals, entry)
    or redis.call('ZSCORE', pending, entry) then
  return 0
end
local now = redis.call('GET', state)
if not now then
  redis.call('ZADD', arrivals, ARGV[2], entry)
elseif now == 'closing' then
  redis.call('ZADD', pending, redis.call('INCR', tail), entry)
else
  redis.call('ZADD', line, redis.call('INCR', tail) - 1, entry)
end
return 1
"""

# ARGV: how many were drawn, then the line made from the arrivals (frozen by "closing").
_FINISH_DRAW = """
local pending, line, tail, state, drawn = KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
if redis.call('GET', state) == 'drawn' then
  return 0
end
local position = 0
for i = 2, #ARGV do
  redis.call('ZADD', line, position, ARGV[i])
  position = position + 1
end
for _, entry in ipairs(redis.call('ZRANGE', pending, 0, -1)) do
  redis.call('ZADD', line, position, entry)
  position = position + 1
end
redis.call('SET', tail, position)
redis.call('SET', drawn, ARGV[1])
redis.call('SET', state, 'drawn')
redis.call('DEL', KEYS[1], pending)
return 1
"""

# ARGV: n, paced_from ("" for none), paced_to, pass_until.
_ADMIT = """
local line, state, admitted, log, passes, paced = KEYS[3], KEYS[5], KEYS[7], KEYS[8], KEYS[9],
    KEYS[10]
if (redis.call('GET', paced) or '') ~= ARGV[2] then
  return {}
end
redis.call('SET', paced, ARGV[3])
local n = tonumber(ARGV[1])
if redis.call('GET', state) ~= 'drawn' or n <= 0 then
  return {}
end
local done = tonumber(redis.call('GET', admitted) or '0')
local entries = redis.call('ZRANGEBYSCORE', line, done, done + n - 1)
if #entries > 0 then
  redis.call('INCRBY', admitted, #entries)
  for _, entry in ipairs(entries) do
    redis.call('RPUSH', log, entry)
    redis.call('ZADD', passes, ARGV[4], entry)
  end
end
return entries
"""


# KEYS: line, tail, state, admitted, passes, rounds. ARGV: account, its round as read, the
# entry of that round, the entry of the next, now (µs).
_REQUEUE = """
local line, tail, state, admitted, passes, rounds = KEYS[1], KEYS[2], KEYS[3], KEYS[4],
    KEYS[5], KEYS[6]
if redis.call('GET', state) ~= 'drawn'
    or (redis.call('HGET', rounds, ARGV[1]) or '0') ~= ARGV[2] then
  return 0
end
local place = redis.call('ZSCORE', line, ARGV[3])
if not place or tonumber(place) >= tonumber(redis.call('GET', admitted) or '0') then
  return 0
end
local expiry = redis.call('ZSCORE', passes, ARGV[3])
if expiry and tonumber(expiry) > tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', rounds, ARGV[1], tonumber(ARGV[2]) + 1)
redis.call('ZADD', line, redis.call('INCR', tail) - 1, ARGV[4])
return 1
"""


# KEYS: line, arrivals, pending, passes, admitted, status. ARGV: the entry. One script, atomic
# as a transaction of six reads would be (a draw cannot hide the entry between two of them),
# and its reply parsed once: a poll is the busiest call.
_POLL = """
local entry = ARGV[1]
return {redis.call('ZSCORE', KEYS[1], entry), redis.call('ZSCORE', KEYS[2], entry),
    redis.call('ZSCORE', KEYS[3], entry), redis.call('ZSCORE', KEYS[4], entry),
    redis.call('GET', KEYS[5]), redis.call('GET', KEYS[6])}
"""


class RedisQueueStore:
    """The queue in Redis, shared by every web node; each step is one script or transaction."""

    def __init__(self, client: Redis, *, key: Callable[[str], str]) -> None:
        self._client = client
        self._key = key
        self._join = client.register_script(_JOIN)
        self._finish_draw = client.register_script(_FINISH_DRAW)
        self._admit = client.register_script(_ADMIT)
        self._requeue = client.register_script(_REQUEUE)
        self._poll = client.register_script(_POLL)

    def _keys(self, event_id: int, *names: str) -> list[str]:
        return [self._key(f"waitingroom:{{{event_id}}}:{name}") for name in names]

    def join(self, event_id: int, account_key: str, now: datetime.datetime) -> str:
        # A requeue between these two steps leaves this join a no-op on an entry in line.
        entry = self.current_entry(event_id, account_key)
        self._join(keys=self._keys(event_id, *_KEYS[:5]), args=[entry, _us(now)])
        return entry

    def join_all(self, event_id: int, account_keys: list[str], now: datetime.datetime) -> None:
        keys, start = self._keys(event_id, *_KEYS[:5]), _us(now)
        pipeline = self._client.pipeline(transaction=False)
        for n, account_key in enumerate(account_keys):
            entry = entry_id(event_id=event_id, account_key=account_key)
            self._join(keys=keys, args=[entry, start + n], client=pipeline)
        pipeline.execute()

    def _round(self, event_id: int, account_key: str) -> int:
        (rounds,) = self._keys(event_id, "rounds")
        return int(self._client.hget(rounds, account_key) or 0)

    def current_entry(self, event_id: int, account_key: str) -> str:
        return entry_id(
            event_id=event_id,
            account_key=account_key,
            round=self._round(event_id, account_key),
        )

    def requeue(self, event_id: int, account_key: str, now: datetime.datetime) -> str | None:
        round = self._round(event_id, account_key)
        current, following = (
            entry_id(event_id=event_id, account_key=account_key, round=number)
            for number in (round, round + 1)
        )
        moved = self._requeue(
            keys=self._keys(event_id, "line", "tail", "state", "admitted", "passes", "rounds"),
            args=[account_key, round, current, following, _us(now)],
        )
        return following if moved else None

    def draw(self, event_id: int, seed: str, opens_at: datetime.datetime) -> bool:
        arrivals, state = self._keys(event_id, "arrivals", "state")
        # Closing first freezes the arrivals (joins wait in "pending"), so that the line is
        # computed here, where SHA-256 is at hand, from entries that no longer change.
        if self._client.get(state) == b"drawn":
            return False
        self._client.set(state, "closing", nx=True)
        # redis-py's stubs type replies loosely: without decode_responses they are bytes.
        found = cast(
            list[tuple[bytes, float]], self._client.zrange(arrivals, 0, -1, withscores=True)
        )
        early, late = _split(
            [(entry.decode(), int(arrived)) for entry, arrived in found], _us(opens_at)
        )
        order = fair_order(seed=seed, entry_ids=early) + late
        return bool(
            self._finish_draw(keys=self._keys(event_id, *_KEYS[:6]), args=[len(early), *order])
        )

    def draw_record(self, event_id: int, limit: int | None = None) -> Draw | None:
        line, state, drawn = self._keys(event_id, "line", "state", "drawn")
        pipeline = self._client.pipeline(transaction=True)
        pipeline.get(state)
        pipeline.get(drawn)
        pipeline.zrange(line, 0, -1 if limit is None else limit - 1)
        pipeline.zcard(line)
        now, count, entries, size = pipeline.execute()
        if now != b"drawn":
            return None
        return Draw(drawn=int(count), line=[entry.decode() for entry in entries], size=size)

    def position(self, event_id: int, entry: str) -> int | None:
        line, admitted = self._keys(event_id, "line", "admitted")
        pipeline = self._client.pipeline(transaction=True)
        pipeline.zscore(line, entry)
        pipeline.get(admitted)
        place, done = pipeline.execute()
        if place is None:
            raise NotInLine(entry)
        ahead = int(place) - int(done or 0)
        return ahead if ahead >= 0 else None

    def length(self, event_id: int) -> int:
        arrivals, pending, line, admitted = self._keys(
            event_id, "arrivals", "pending", "line", "admitted"
        )
        pipeline = self._client.pipeline(transaction=True)
        for key in (arrivals, pending, line):
            pipeline.zcard(key)
        pipeline.get(admitted)
        *counts, done = pipeline.execute()
        return sum(counts) - int(done or 0)

    def admitted_count(self, event_id: int) -> int:
        (admitted,) = self._keys(event_id, "admitted")
        return int(self._client.get(admitted) or 0)

    def admission_log(self, event_id: int) -> list[str]:
        (log,) = self._keys(event_id, "log")
        return [entry.decode() for entry in cast(list[bytes], self._client.lrange(log, 0, -1))]

    def pacing(self, event_id: int) -> datetime.datetime | None:
        (paced,) = self._keys(event_id, "paced")
        value = self._client.get(paced)
        return None if value is None else _moment(int(value))

    def admit(
        self,
        event_id: int,
        n: int,
        *,
        paced_from: datetime.datetime | None,
        paced_to: datetime.datetime,
        pass_until: datetime.datetime,
    ) -> list[str]:
        entries = self._admit(
            keys=self._keys(event_id, *_KEYS, "paced"),
            args=[
                n,
                "" if paced_from is None else _us(paced_from),
                _us(paced_to),
                _us(pass_until),
            ],
        )
        return [entry.decode() for entry in entries]

    def passes_out(self, event_id: int, now: datetime.datetime) -> int:
        (passes,) = self._keys(event_id, "passes")
        return self._client.zcount(passes, f"({_us(now)}", "+inf")

    def pass_expiry(self, event_id: int, entry: str) -> datetime.datetime | None:
        (passes,) = self._keys(event_id, "passes")
        until = self._client.zscore(passes, entry)
        return None if until is None else _moment(int(until))

    def extend_pass(self, event_id: int, entry: str, until: datetime.datetime) -> None:
        (passes,) = self._keys(event_id, "passes")
        self._client.zadd(passes, {entry: _us(until)}, xx=True)

    def poll(self, event_id: int, entry: str) -> Poll:
        keys = self._keys(event_id, "line", "arrivals", "pending", "passes", "admitted", "status")
        # A missing value is false in Lua, hence a nil reply (None) in the script's array.
        place, arrived, waiting, until, done, shown = self._poll(keys=keys, args=[entry])
        return Poll(
            joined=place is not None or arrived is not None or waiting is not None,
            place=None if place is None else int(place),
            admitted=int(done or 0),
            status=None if shown is None else shown.decode(),
            pass_until=None if until is None else _moment(int(until)),
        )

    def set_status(self, event_id: int, status: str) -> None:
        (key,) = self._keys(event_id, "status")
        self._client.set(key, status)

    def discard(self, event_id: int) -> None:
        self._client.delete(*self._keys(event_id, *_ALL_KEYS))


_store: QueueStore | None = None
_store_lock = threading.Lock()


def queue_store() -> QueueStore:
    """Redis's store when the shared cache is Redis (REDIS_URL set), else this process's."""
    global _store
    with _store_lock:
        if _store is None:
            cache = caches["default"]
            if isinstance(cache, RedisCache):
                _store = RedisQueueStore(redis_client(cache), key=cache.make_key)
            else:
                _store = InProcessQueueStore()
        return _store
