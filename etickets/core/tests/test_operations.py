import datetime
import io
import json
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from etickets.core.access_log import JsonAccessLogger
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


def test_gunicorns_access_log_is_json_with_the_request_id():
    cfg = Config()
    cfg.set("accesslog", "-")
    access_logger = JsonAccessLogger(cfg)
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    access_logger.access_log.handlers = [handler]
    response = SimpleNamespace(
        status="201 Created", headers=[("X-Request-ID", "abc123def456")], sent=512
    )
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": '/api/v1/"checkout"',
        "QUERY_STRING": "",
        "REMOTE_ADDR": "127.0.0.1",
    }
    access_logger.access(response, None, environ, datetime.timedelta(milliseconds=12.34))
    entry = json.loads(written.getvalue())
    assert entry["request_id"] == "abc123def456" and entry["logger"] == "gunicorn.access"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", '/api/v1/"checkout"', 201)
    assert entry["bytes"] == 512 and entry["duration_ms"] == 12.3
    # With its UTC offset: gunicorn's master logs in the machine's zone, Django's workers in
    # Paris time.
    assert datetime.datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S%z").tzinfo is not None
