"""Schemathesis against the OpenAPI schema: whatever it sends, the API never answers 500.

Each operation of the schema gets a bounded number of generated requests, sent in-process to
the WSGI application with a valid customer token.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from etickets.api.models import ApiToken


@pytest.fixture
def wsgi_without_connection_closing(db):
    # As Django's test client does: the handler must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_no_input_makes_a_server_error(wsgi_without_connection_closing, make_user, make_offer):
    make_offer()
    _record, token = ApiToken.issue(make_user(), "fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
