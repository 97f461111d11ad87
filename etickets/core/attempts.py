"""Calls to another service that must succeed in the end (the payment provider, the mail
server), each recorded as a row with ``core.models.Attempts``.

A worker takes the row for one attempt with a conditional UPDATE, which sets its lease in
``retry_at`` (LEASE_SECONDS: longer than any call may take, the callers' clients time out
sooner), makes the call outside any transaction, then writes the answer. A failure sets the
next attempt, ``retry_seconds`` later, then twice as long each time, an hour at most. Two
workers, on one node or several, never make the same call at once; a call repeated after a
crash must therefore be harmless (the provider's idempotency, an e-mail sent twice).
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

LEASE_SECONDS = 60
_MAX_BACKOFF_SECONDS = 3600


def due(now: datetime.datetime) -> Q:
    """Rows whose next attempt may be made at ``now``."""
    return Q(retry_at__isnull=True) | Q(retry_at__lte=now)


def attempt(
    rows: QuerySet[Any],
    call: Callable[[Any], object],
    *,
    done: dict[str, Any],
    retry_seconds: float,
) -> bool:
    """One attempt at ``call`` for the one row of ``rows`` (a query that also says the work
    is still undone): whether this attempt succeeded, ``done`` then written on the row. False
    when the row is not due, or taken by another worker."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=LEASE_SECONDS)
    if not rows.filter(due(now)).update(retry_at=lease, attempts=F("attempts") + 1):
        return False
    held = rows.filter(retry_at=lease)
    row = held.first()
    if row is None:  # done meanwhile by the request that made it
        return False
    try:
        call(row)
    except Exception as error:
        logger.warning("%s %s failed, tried again later: %r", row._meta.label, row.pk, error)
        delay = min(retry_seconds * 2 ** max(row.attempts - 1, 0), _MAX_BACKOFF_SECONDS)
        # Only while the lease is still ours: another worker may have taken the row since.
        held.update(
            last_error=repr(error)[:200],
            retry_at=timezone.now() + datetime.timedelta(seconds=delay),
        )
        return False
    rows.update(retry_at=None, last_error="", **done)
    return True
