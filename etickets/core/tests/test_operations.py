import json
import logging

import pytest

from etickets.core.logging import JsonFormatter, RequestIdFilter, request_id


@pytest.mark.django_db
def test_healthz_reports_the_database(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    if settings.REDIS_URL:
        assert body["redis"] == "ok"


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234-abcd")["X-Request-ID"] == "lb-1234-abcd"
    )
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord(
        "etickets", logging.WARNING, __file__, 1, "Paiement %s", ("refusé",), None
    )
    token = request_id.set("abc123def456")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123def456"
    assert line["message"] == "Paiement refusé" and line["level"] == "WARNING"
