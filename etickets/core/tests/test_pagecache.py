"""The anonymous visitors' page copies: which responses are copied, and the store's bound."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from etickets.core import pagecache


def _with_a_cookie():
    response = HttpResponse("mine")
    response.set_cookie("cart", "3")
    return response


@pytest.mark.parametrize(
    ("make_response", "copied"),
    [
        (lambda: HttpResponse("shared"), True),
        (lambda: HttpResponse("?", status=404), False),
        (lambda: HttpResponse("mine", headers={"Cache-Control": "private"}), False),
        (_with_a_cookie, False),
    ],
    ids=["plain", "not found", "private", "sets a cookie"],
)
def test_only_plain_successful_pages_are_copied(settings, make_response, copied):
    settings.ANONYMOUS_PAGE_CACHE = {"/essai/": {"seconds": 5}}
    calls = []

    def view(request):
        calls.append(request)
        return make_response()

    middleware = pagecache.AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        request = RequestFactory().get("/essai/")
        request.LANGUAGE_CODE = "fr"
        middleware(request)
    assert len(calls) == (1 if copied else 2)


def test_the_store_is_bounded(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(pagecache, "monotonic", lambda: now[0])
    store = pagecache.PageStore(max_pages=2)
    page = pagecache.CachedPage(expires_at=5.0, headers=(), body=b"", has_token=False)
    for key in ("a", "b", "c"):
        store.put((key,), page)
    assert len(store) == 2 and store.get(("c",)) is None
    now[0] = 6.0  # expired pages make room
    store.put(("c",), pagecache.CachedPage(10.0, (), b"", False))
    assert len(store) == 1 and store.get(("c",)) is not None
