import sys

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .cache import redis_client
from .unavailable import is_unavailable, unavailable_response


@never_cache
@require_safe
def healthz(request):
    """For the load balancer and the operator: each dependency's state. 503 when the database
    cannot be reached (this node cannot sell); 200 « degraded » when only Redis cannot, since
    the site goes on from PostgreSQL alone (and every node shares the same Redis: taking them
    all out of the pool would stop the sales it can still make)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure is the answer here
        checks["database"] = f"error: {type(error).__name__}"
    shared = caches["default"]
    if isinstance(shared, RedisCache):
        try:
            redis_client(shared).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"error: {type(error).__name__}"
    if checks["database"] != "ok":
        status = "error"
    else:
        status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    return JsonResponse({"status": status, **checks}, status=503 if status == "error" else 200)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a dependency that is down is a 503 « réessayez » (core.unavailable),
    anything else the site's 500 page."""
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
