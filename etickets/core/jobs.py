"""Background jobs queued after the transaction that needs them commits.

A job queued this way may be lost (the broker unreachable when it is queued, a worker killed
while it runs): each one therefore has a periodic sweep that finds, from the database, the
work still undone and does it. Queuing is only the fast path.
"""

import logging
from typing import Any

import kombu.exceptions
from celery import Task
from django.db import transaction

from .cache import DOWN

logger = logging.getLogger(__name__)

BROKER_DOWN = (kombu.exceptions.OperationalError, *DOWN)


def queue_on_commit(task: Task, *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits; with the broker down, leave
    the work to the task's sweep instead of failing a request whose data is committed."""

    def queue() -> None:
        try:
            task.delay(*args)
        except BROKER_DOWN as error:
            logger.warning(
                "%s%r left to its sweep, the broker is unreachable: %r", task.name, args, error
            )

    transaction.on_commit(queue)
