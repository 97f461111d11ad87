"""core.attempts: one worker per call, and a worker whose lease ran out writes nothing over
the one that took the row after it."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from etickets.core.attempts import LEASE_SECONDS, attempt
from etickets.core.models import OutgoingEmail


def outgoing():
    return OutgoingEmail.objects.create(to="c@example.fr", subject="s", text="t", html="h")


def pending(email):
    return OutgoingEmail.objects.filter(pk=email.pk, sent_at__isnull=True)


@pytest.mark.django_db
def test_a_row_taken_by_a_worker_is_not_taken_by_another():
    email = outgoing()
    inner = []

    def call(row):
        inner.append(attempt(pending(email), lambda r: None, done={}, retry_seconds=30))

    assert attempt(pending(email), call, done={"sent_at": timezone.now()}, retry_seconds=30)
    assert inner == [False]
    email.refresh_from_db()
    assert (email.attempts, email.retry_at) == (1, None)


@pytest.mark.django_db
def test_a_worker_past_its_lease_does_not_overwrite_the_next_one():
    """The first call hangs past LEASE_SECONDS, a second worker takes the row for its own
    call; then the first one fails: the second one's lease stands (no third worker gets in)."""
    email = outgoing()
    second_lease = timezone.now() + datetime.timedelta(seconds=LEASE_SECONDS)

    def slow_then_refused(row):
        OutgoingEmail.objects.filter(pk=row.pk).update(
            retry_at=second_lease, attempts=F("attempts") + 1
        )
        raise ConnectionResetError("the first call's answer, at last")

    assert not attempt(pending(email), slow_then_refused, done={}, retry_seconds=30)
    email.refresh_from_db()
    assert (email.retry_at, email.attempts, email.last_error) == (second_lease, 2, "")
    assert not attempt(pending(email), lambda row: None, done={}, retry_seconds=30)
