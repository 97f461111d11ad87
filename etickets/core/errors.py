"""Domain errors: what services raise when a rule says no.

Each carries the French message (English through i18n) the user reads; views and the API turn
them into messages and status codes, never into a 500.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    message = _("Cette opération n'est pas possible.")
    code = "refused"
    # The HTTP status the API answers it with (a page shows the message instead).
    status = 400

    def __init__(self, message=None, **params):
        self.params = params
        if message is not None:
            self.message = message
        super().__init__(str(self))

    def __str__(self):
        return str(self.message % self.params) if self.params else str(self.message)

    def details(self) -> dict[str, str]:
        """What the API adds to the error's code and message."""
        return {}


class Busy(DomainError):
    """The seat pool stayed locked longer than SEAT_LOCK_TIMEOUT_MS: a sales rush."""

    message = _("Forte affluence, veuillez réessayer dans un instant.")
    code = "busy"
    status = 503
