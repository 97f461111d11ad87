"""The PostgreSQL backend checks a persistent connection at most once a second, and reads
timestamps with psycopg's loader. Both override parts of Django's backend that are not public:
the first tests fail when a Django upgrade changes them."""

import datetime
import inspect
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from psycopg.pq import Format

from etickets.core.postgresql import base


def test_the_backend_methods_we_override_keep_their_signatures():
    for name, signature in [
        ("close_if_health_check_failed", "(self)"),
        ("is_usable", "(self)"),
        ("get_new_connection", "(self, conn_params)"),
    ]:
        assert str(inspect.signature(getattr(base.base.DatabaseWrapper, name))) == signature
        assert str(inspect.signature(getattr(base.DatabaseWrapper, name))) == signature
    assert base.base.TIMESTAMPTZ_OID == 1184


@pytest.mark.django_db
def test_django_checks_a_connection_before_each_cursor_and_resets_after_each_request(
    monkeypatch,
):
    """What the trust window hooks into: the check runs as a cursor is taken, once per
    request (a new connection counts as checked), on any backend."""
    default = connections["default"]
    persistent = {**default.settings_dict, "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}
    probe = type(default)(persistent, alias="probe")
    checks = []
    monkeypatch.setattr(type(probe), "is_usable", lambda _self: checks.append(1) or True)
    try:
        probe.ensure_connection()
        assert probe.health_check_enabled and probe.health_check_done
        probe.close_if_unusable_or_obsolete()  # a request ends
        assert not probe.health_check_done
        probe.cursor().close()
        probe.cursor().close()
        assert checks == [1] and probe.health_check_done
    finally:
        probe.close()


@pytest.fixture
def connection(db):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend (CI runs the suite on PostgreSQL)")
    connection.ensure_connection()
    return connection


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(base.time, "monotonic", lambda: now[0])
    return now


def test_a_connection_checked_less_than_a_second_ago_is_not_checked_again(
    connection, clock, monkeypatch
):
    checks = []
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(
        base.base.DatabaseWrapper, "is_usable", lambda _self: checks.append(clock[0]) or True
    )

    connection._trusted_until = 0.0

    def new_request():
        connection.health_check_done = False
        connection.close_if_health_check_failed()

    new_request()
    new_request()
    clock[0] += 0.5
    new_request()
    assert checks == [1000.0]
    clock[0] += base.DatabaseWrapper.TRUSTED_SECONDS
    new_request()
    assert checks == [1000.0, 1001.5]


def test_a_connection_that_fails_its_check_is_closed_and_not_trusted(
    connection, clock, monkeypatch
):
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(base.base.DatabaseWrapper, "is_usable", lambda _self: False)
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    connection.health_check_done = False
    connection._trusted_until = clock[0] + 1
    clock[0] += 2
    connection.close_if_health_check_failed()
    assert closed == [True] and connection._trusted_until == 0.0


def test_timestamps_come_back_aware_in_utc_through_psycopgs_loader(connection):
    when = datetime.datetime(2024, 7, 26, 19, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT TIMESTAMPTZ '2024-07-26 19:30:00.123456+02'")
        (read,) = cursor.fetchone()
    assert read == when and read.tzinfo is datetime.UTC and read.microsecond == 123456
    loader = connection.connection.adapters.get_loader(base.base.TIMESTAMPTZ_OID, Format.TEXT)
    assert loader is base.UtcTimestamptzLoader


def test_django_leaves_psycopgs_loader_on_its_cursors(connection):
    """Django registers its own, parsing in Python, on a cursor unless the connection's has the
    ``timezone`` it wants."""
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(base.base.TIMESTAMPTZ_OID, Format.TEXT)
    assert loader is base.UtcTimestamptzLoader
