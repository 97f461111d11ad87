"""gunicorn's logs in the format of the application's own: one JSON object per line, each access
with the id the application gave the request (``--logger-class``, see scripts/prod.sh)."""

from gunicorn.glogging import Logger

from .logging import JsonFormatter


class JsonAccessLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in [*self.error_log.handlers, *self.access_log.handlers]:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), "-"
        )
        method, path = environ.get("REQUEST_METHOD", "-"), environ.get("PATH_INFO", "-")
        self.access_log.info(
            "%s %s %s",
            method,
            path,
            status,
            extra={
                "request_id": request_id,
                "fields": {
                    "method": method,
                    "path": path,
                    "query": environ.get("QUERY_STRING", ""),
                    "status": int(status),
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": round(request_time.total_seconds() * 1000, 1),
                    "remote": environ.get("REMOTE_ADDR", "-"),
                },
            },
        )
