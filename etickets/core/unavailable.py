"""A part of the site that cannot be reached (PostgreSQL, Redis) is a 503 « réessayez », with
``Retry-After``, never a 500: the request wrote nothing (its transaction is rolled back) and
the same request, sent again in a few seconds, is expected to work."""

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5

# What a dependency that is down or restarting raises. PostgreSQL's lock timeouts are
# OperationalErrors too: the seat pool turns its own into « Forte affluence » first, and any
# other is as worth retrying.
UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The answer to a request a dependency failed: JSON for the API, a page otherwise (drawn
    without the request's context, which may need the very database that failed)."""
    message = _("Service momentanément indisponible, réessayez dans quelques secondes.")
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"code": "unavailable", "message": message}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
