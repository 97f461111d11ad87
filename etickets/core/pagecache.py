"""A few seconds' copy of the busiest public pages, served to visitors who are not signed in.

Django's cache middleware, narrowed to the pages of ``settings.ANONYMOUS_PAGE_CACHE`` and to
visitors with no cookie but the CSRF and language ones: they all share one copy per page,
language and query string. (Django keys a page by the ``Vary`` headers of its response, and the
session's ``Vary: Cookie`` would give each visitor with a cookie a copy of their own.) The
pages carry no CSRF token for such visitors (templates/base.html), so a copy is everyone's.
"""

import re

from django.conf import settings
from django.http import QueryDict
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control

# Stored in the cache of that name (settings.CACHES): each worker's memory, no round trip.
CACHE_ALIAS = "pages"


def _query_is_cacheable(query_string: str, allowed: dict[str, str]) -> bool:
    """Only the listed parameters, once each, with values matching their pattern, spelled as
    Django writes them: then the query strings that can be cached are few, and each is one key."""
    params = QueryDict(query_string)
    if params.urlencode() != query_string:
        return False
    return all(
        name in allowed and len(values) == 1 and re.fullmatch(allowed[name], values[0])
        for name, values in params.lists()
    )


class AnonymousPageCacheMiddleware(CacheMiddleware):
    """Placed after SiteLanguageMiddleware (the active language is part of Django's key) and
    after the middlewares that add security headers, which thus run on every response; before
    those of the session, CSRF, authentication and messages, which a copy skips.

    Only plain GET/HEAD requests (not htmx) from visitors with no cookie but the CSRF and
    language ones: a session or a pending message means a page of one's own.
    """

    def __init__(self, get_response):
        super().__init__(get_response, cache_alias=CACHE_ALIAS, key_prefix="anonymous")
        self.anonymous_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    def process_request(self, request):
        if self._rule(request) is None:
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        rule = self._rule(request)
        if rule is None or not self._is_shareable(request, response):
            return response  # a copy served, or a page that is not everyone's
        # Django keeps the copy for the response's max-age.
        patch_cache_control(response, max_age=rule["seconds"])
        return super().process_response(request, response)

    def _rule(self, request) -> dict | None:
        """The page's caching rule if this request may be served a shared copy, else None."""
        rule = settings.ANONYMOUS_PAGE_CACHE.get(request.path)
        if (
            rule is None
            or rule["seconds"] <= 0
            or request.method not in ("GET", "HEAD")
            or "HX-Request" in request.headers
            or not self.anonymous_cookies.issuperset(request.COOKIES)
            or not _query_is_cacheable(request.META.get("QUERY_STRING", ""), rule.get("query", {}))
        ):
            return None
        return rule

    def _is_shareable(self, request, response) -> bool:
        """A page the view made for anyone: no cookie set, no session written, and nothing
        said about its caching (a copy already says its max-age)."""
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and "Cache-Control" not in response
            and not response.cookies
            and not (session is not None and session.modified)
        )
