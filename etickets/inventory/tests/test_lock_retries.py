"""A change that timed out waiting for a seat pool is tried again before « Forte affluence »."""

import pytest
from django.db import OperationalError, connections

from etickets.core.errors import Busy
from etickets.inventory.services import busy_on_lock_timeout


def flaky(failures: int, error: str = "database is locked"):
    calls = []

    @busy_on_lock_timeout
    def change():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError(error)
        return "done"

    return change, calls


def test_a_timed_out_change_is_tried_again(settings):
    settings.SEAT_LOCK_RETRIES = 2
    change, calls = flaky(failures=2)
    assert change() == "done" and len(calls) == 3


def test_past_the_retries_the_buyer_is_told_to_try_again(settings):
    settings.SEAT_LOCK_RETRIES = 1
    change, calls = flaky(failures=5)
    with pytest.raises(Busy):
        change()
    assert len(calls) == 2


def test_inside_a_callers_transaction_a_timeout_is_busy_at_once(settings, monkeypatch):
    settings.SEAT_LOCK_RETRIES = 3
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    change, calls = flaky(failures=1)
    with pytest.raises(Busy):
        change()
    assert len(calls) == 1


def test_other_database_errors_are_not_retried(settings):
    settings.SEAT_LOCK_RETRIES = 3
    change, calls = flaky(failures=1, error="disk I/O error")
    with pytest.raises(OperationalError):
        change()
    assert len(calls) == 1
