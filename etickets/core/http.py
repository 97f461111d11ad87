from django.conf import settings


def client_ip(request, *args) -> str:
    """The client's address, as the last trusted reverse proxy saw it.

    ``X-Forwarded-For`` is trusted only for the ``TRUSTED_PROXY_COUNT`` hops our own proxies
    added; a client can prepend anything it likes to that header.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
