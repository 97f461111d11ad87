"""A few seconds' copy of the busiest public pages, served to visitors who are not signed in.

Each worker process keeps its own copies in memory: a hit costs no cache round trip, no view and
none of the middlewares below this one. The pages carry a CSRF token, which must stay each
visitor's own: the stored copy holds a placeholder where the token was, and every hit puts in a
token masked from that visitor's own CSRF cookie, given to them as Django would.
"""

import re
import secrets
import threading
from dataclasses import dataclass
from time import monotonic

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase, QueryDict
from django.middleware.csrf import (  # type: ignore[attr-defined]  # _unmask_cipher_token is private
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)

# Every run of letters and digits as long as a masked token, overlapping: a token glued to other
# letters is found too, so that none is left in a copy.
_TOKEN_CANDIDATE = re.compile(rb"(?=([A-Za-z0-9]{%d}))" % CSRF_TOKEN_LENGTH)
# Random per process, so that no page content can contain it.
_TOKEN_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}".encode()
# Headers never copied: cookies belong to the visitor who was served, and the length changes
# with the token.
_UNCACHED_HEADERS = {"set-cookie", "content-length"}


@dataclass(frozen=True)
class CachedPage:
    expires_at: float
    headers: tuple[tuple[str, str], ...]
    body: bytes
    has_token: bool


class PageStore:
    """Copies by key, each until it expires, and no more than ``max_pages`` of them."""

    def __init__(self, max_pages: int):
        self.max_pages = max_pages
        self._pages: dict[tuple, CachedPage] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> CachedPage | None:
        page = self._pages.get(key)
        if page is None or page.expires_at <= monotonic():
            return None
        return page

    def put(self, key: tuple, page: CachedPage) -> None:
        with self._lock:
            if key not in self._pages and len(self._pages) >= self.max_pages:
                now = monotonic()
                for stale in [k for k, p in self._pages.items() if p.expires_at <= now]:
                    del self._pages[stale]
                if len(self._pages) >= self.max_pages:
                    return
            self._pages[key] = page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


# Two pages × two languages × a few filters: far fewer than this.
pages = PageStore(max_pages=100)


def clear() -> None:
    pages.clear()


def _query_is_cacheable(query_string: str, allowed: dict[str, list[str]]) -> bool:
    """Only the listed parameters, once each, with listed values, spelled as Django writes them:
    then the query strings that can be cached are few, and each is one key."""
    params = QueryDict(query_string)
    if params.urlencode() != query_string:
        return False
    return all(
        name in allowed and len(values) == 1 and values[0] in allowed[name]
        for name, values in params.lists()
    )


def _with_placeholder(body: bytes, secret: str) -> tuple[bytes, bool]:
    """The body with every CSRF token masked from ``secret`` replaced by the placeholder.

    Each token in a page has its own random mask, so the tokens are found by unmasking.
    """
    parts, end = [], 0
    for match in _TOKEN_CANDIDATE.finditer(body):
        start = match.start()
        if start >= end and _unmask_cipher_token(match.group(1).decode()) == secret:
            parts += [body[end:start], _TOKEN_PLACEHOLDER]
            end = start + CSRF_TOKEN_LENGTH
    if not parts:
        return body, False
    parts.append(body[end:])
    return b"".join(parts), True


class AnonymousPageCacheMiddleware:
    """Serve the pages of ``settings.ANONYMOUS_PAGE_CACHE`` from a copy a few seconds old.

    Only plain GET/HEAD requests (not htmx) from visitors with no cookie but the CSRF and
    language ones: a session or a pending message means a page of one's own. Placed after
    SiteLanguageMiddleware (the language is part of the key) and after the middlewares that add
    security headers, which thus run on every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.anonymous_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
        # A hit skips CsrfViewMiddleware: its cookie handling is replayed with this one.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        rule = self._rule(request)
        if rule is None:
            return self.get_response(request)
        key = (request.path, request.LANGUAGE_CODE, request.META.get("QUERY_STRING", ""))
        page = pages.get(key)
        if page is not None:
            return self._serve(request, page)
        response = self.get_response(request)
        if request.method == "GET" and self._is_shareable(request, response):
            self._store(key, rule["seconds"], request, response)
        return response

    def _rule(self, request) -> dict | None:
        """The page's caching rule if this request may be served a shared copy, else None."""
        rule = settings.ANONYMOUS_PAGE_CACHE.get(request.path)
        if (
            rule is None
            or request.method not in ("GET", "HEAD")
            or "HX-Request" in request.headers
            or not self.anonymous_cookies.issuperset(request.COOKIES)
            or not _query_is_cacheable(request.META.get("QUERY_STRING", ""), rule.get("query", {}))
        ):
            return None
        return rule

    def _is_shareable(self, request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        set_cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not set_cookies
            and not (session is not None and session.modified)
        )

    def _store(self, key, seconds, request, response):
        if seconds <= 0:
            return
        secret = request.META.get("CSRF_COOKIE")
        body, has_token = (
            _with_placeholder(response.content, secret) if secret else (response.content, False)
        )
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in _UNCACHED_HEADERS
        )
        pages.put(key, CachedPage(monotonic() + seconds, headers, body, has_token))

    def _serve(self, request, page: CachedPage) -> HttpResponseBase:
        # Refuse a host not allowed, as CommonMiddleware would have on the way to the view.
        request.get_host()
        self.csrf.process_request(request)
        body = page.body
        if page.has_token:
            body = body.replace(_TOKEN_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body)
        for name, value in page.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(body))
        return self.csrf.process_response(request, response)
