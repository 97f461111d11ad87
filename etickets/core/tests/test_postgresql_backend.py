"""The PostgreSQL backend checks a persistent connection at most once a second."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from psycopg.pq import Format

from etickets.core.postgresql import base


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
