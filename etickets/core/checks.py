"""System checks (``manage.py check``, and every start of the site)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning
from django.http.request import validate_host


def site_url_is_served(**kwargs: object) -> list[Warning]:
    """The links in e-mails point at SITE_URL: with DEBUG off, its host must be one this site
    serves, or every link a buyer receives leads elsewhere (a forgotten default, a typo)."""
    if settings.DEBUG:
        return []
    host = urlsplit(settings.SITE_URL).hostname or ""
    if validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            f"SITE_URL ({settings.SITE_URL}) is not served here: its host is not in "
            "ALLOWED_HOSTS, and the links in e-mails will lead elsewhere.",
            hint="Set SITE_URL to the site's public address, e.g. https://www.jo-etickets.fr.",
            id="etickets.W001",
        )
    ]
