"""Django's PostgreSQL backend, with a cheaper health check and timestamps read by psycopg's
own loader (``ENGINE`` set in settings).

Django checks a persistent connection with a ``SELECT 1`` before the first query of every
request: a round trip per request, a third of a scan's. Here a connection that passed the
check less than ``TRUSTED_SECONDS`` ago is taken as alive. What this risks: a database that
restarts within that second fails the next request of each worker once (Django then closes the
connection, as it does for any connection with an error), as it would with no check at all.
"""

import datetime
import time

from django.db.backends.postgresql import base
from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format


class UtcTimestamptzLoader(Loader):
    """Timestamps read by psycopg's own loader (compiled, with psycopg's binary package): the
    session's zone is UTC (Django sets it), so it returns what Django's loader does, which
    parses in Python to force the zone (~5 % of a purchase's CPU). ``timezone`` is what
    Django checks before it would register its own on a cursor."""

    timezone = datetime.UTC

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        loader = adapters.get_loader(oid, Format.TEXT)
        if loader is None:
            raise LookupError(f"psycopg has no text loader for the type {oid}")
        self._load = loader(oid, context).load

    def load(self, data):
        return self._load(data)


class DatabaseWrapper(base.DatabaseWrapper):
    TRUSTED_SECONDS = 1.0
    _trusted_until = 0.0
    health_check_done: bool  # Django's (5.1), not yet in its stubs

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and not self.health_check_done
            and time.monotonic() < self._trusted_until
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def is_usable(self):
        usable = super().is_usable()
        self._trusted_until = time.monotonic() + self.TRUSTED_SECONDS if usable else 0.0
        return usable

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.timezone is datetime.UTC:
            connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
        return connection
