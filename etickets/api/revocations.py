"""Token revocations heard by every worker at once, without a round trip on every call.

Each worker keeps the identities of the tokens it served for a few seconds (auth.py). A
revocation, once committed, is announced on a Redis channel; each worker listens on it in a
thread of its own and keeps what it heard for a minute, longer than any copy lives: a token
heard of is refused whatever copy of its identity the worker holds, one written just after
the announcement from a read made just before the revocation included. A copy is trusted
only if it was written while the worker was listening without a break (a message may be lost
in a break). Without Redis (``make run``) there is one process, where revocations are made.
"""

import hashlib
import logging
import os
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

HEARD_SECONDS = 60
_HEARD_MAX = 100_000
_heard: dict[str, float] = {}
# The listener of this process, and since when it has been listening without a break.
_state: dict = {"pid": None, "since": None}


def channel() -> str:
    """One channel per Redis database (CI and a bench may share a server); the URL is hashed,
    as it may hold a password."""
    digest = hashlib.sha256(settings.REDIS_URL.encode()).hexdigest()[:16]
    return f"etickets:api-token-revoked:{digest}"


def is_heard(key_hash: str) -> bool:
    until = _heard.get(key_hash)
    return until is not None and until > time.monotonic()


def trusts_copy_from(written_at: float) -> bool:
    """Whether a copy of an identity written at ``written_at`` (monotonic) may be used: this
    worker has been listening since before then. Starts the worker's listener on first use
    (after the fork: one per process)."""
    if not settings.REDIS_URL:
        return True
    if _state["pid"] != os.getpid():
        _state.update(pid=os.getpid(), since=None)
        threading.Thread(target=_listen, name="api-token-revocations", daemon=True).start()
    since = _state["since"]
    return since is not None and written_at >= since


def hear(key_hashes: list[str]) -> None:
    """Refuse these tokens in this worker for HEARD_SECONDS, whatever its copies."""
    now = time.monotonic()
    if len(_heard) >= _HEARD_MAX:
        for key_hash, until in list(_heard.items()):
            if until <= now:
                _heard.pop(key_hash, None)
    for key_hash in key_hashes:
        _heard[key_hash] = now + HEARD_SECONDS


def announce(key_hashes: list[str], client) -> None:
    """Tell every worker, this one first (``client``: the shared cache's Redis client)."""
    hear(key_hashes)
    client.publish(channel(), ",".join(key_hashes))


def forget_heard() -> None:
    _heard.clear()


def _listen() -> None:
    while True:
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, health_check_interval=10)
            pubsub = client.pubsub()
            pubsub.subscribe(channel())
            for message in pubsub.listen():
                if message["type"] == "subscribe":
                    _state["since"] = time.monotonic()
                elif message["type"] == "message":
                    hear(message["data"].decode().split(","))
        except Exception:  # whatever broke, copies are not trusted until listening again
            logger.warning("Not hearing API token revocations; listening again", exc_info=True)
        _state["since"] = None
        time.sleep(1)
