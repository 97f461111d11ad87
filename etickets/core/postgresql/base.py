"""Django's PostgreSQL backend, with a cheaper health check (``ENGINE`` set in settings).

Django checks a persistent connection with a ``SELECT 1`` before the first query of every
request: a round trip per request, a third of a scan's. Here a connection that passed the
check less than ``TRUSTED_SECONDS`` ago is taken as alive. What this risks: a database that
restarts within that second fails the next request of each worker once (Django then closes the
connection, as it does for any connection with an error), as it would with no check at all.
"""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    TRUSTED_SECONDS = 1.0
    _trusted_until = 0.0

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
