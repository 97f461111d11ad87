"""The anonymous visitors' page copies (core/pagecache.py), through the site's middlewares, on
pages of this module's own: which requests are served a copy, and which responses are copied."""

import time

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.utils.translation import get_language

from etickets.core import pagecache

calls = []


def page(request):
    calls.append(request.path)
    return HttpResponse(f"page in {get_language()}: {request.GET.urlencode()}")


def not_found(request):
    calls.append(request.path)
    return HttpResponse("?", status=404)


def private(request):
    calls.append(request.path)
    return HttpResponse("mine", headers={"Cache-Control": "private"})


def with_a_cookie(request):
    calls.append(request.path)
    response = HttpResponse("mine")
    response.set_cookie("cart", "3")
    return response


def writing_the_session(request):
    calls.append(request.path)
    request.session["seen"] = True
    return HttpResponse("mine")


urlpatterns = [
    path("essai/", page),
    path("ailleurs/", page),
    path("absente/", not_found),
    path("privee/", private),
    path("cookie/", with_a_cookie),
    path("session/", writing_the_session),
    path("", include("config.urls")),  # for the error pages' links
]

RULES = {
    "/essai/": {"seconds": 5, "query": {"type": "|solo"}},
    **{url: {"seconds": 5} for url in ("/absente/", "/privee/", "/cookie/", "/session/")},
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
    pytest.mark.usefixtures("rules"),
]


@pytest.fixture
def rules(settings):
    settings.ANONYMOUS_PAGE_CACHE = RULES
    calls.clear()


def views_run(client, url, times=2, **extra) -> int:
    """How many of ``times`` GET requests reached the view."""
    before = len(calls)
    for _ in range(times):
        assert client.get(url, **extra).status_code in (200, 404)
    return len(calls) - before


@pytest.mark.parametrize("url", ["/essai/", "/essai/?type=solo", "/essai/?type="])
def test_a_second_anonymous_visit_is_served_the_copy(client, url):
    first = client.get(url)
    copy = client.get(url)
    assert len(calls) == 1
    assert copy.content == first.content
    assert client.head(url).status_code == 200 and len(calls) == 1


@pytest.mark.parametrize("cookie", [settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME])
def test_the_csrf_and_language_cookies_still_get_the_copy(client, cookie):
    client.get("/essai/")
    client.cookies[cookie] = "fr"
    assert views_run(client, "/essai/") == 0


@pytest.mark.parametrize("cookie", [settings.SESSION_COOKIE_NAME, "messages", "anything-else"])
def test_a_visitor_with_another_cookie_is_not_served_the_copy(client, cookie):
    client.get("/essai/")
    client.cookies[cookie] = "x"
    assert views_run(client, "/essai/") == 2


@pytest.mark.parametrize(
    "query",
    [
        "type=vip",
        "type=SOLO",  # only the listed spelling
        "type=%73olo",
        "type=solo&type=solo",
        "type=solo&page=2",
        "utm_source=newsletter",
        "type=solo&",
    ],
)
def test_other_queries_go_to_the_view(client, query):
    assert views_run(client, f"/essai/?{query}") == 2


def test_a_page_not_listed_is_not_copied(client):
    assert views_run(client, "/ailleurs/") == 2


def test_htmx_requests_and_posts_go_to_the_view(client):
    client.get("/essai/")
    assert views_run(client, "/essai/", HTTP_HX_REQUEST="true") == 2
    client.post("/essai/")
    assert len(calls) == 4


def test_each_language_has_its_own_copy(client):
    french = client.get("/essai/").content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/essai/").content
    assert views_run(client, "/essai/") == 0
    assert (french, english) == (b"page in fr: ", b"page in en: ")


@pytest.mark.parametrize(
    "url", ["/absente/", "/privee/", "/cookie/", "/session/"], ids=lambda url: url.strip("/")
)
def test_only_plain_successful_pages_for_anyone_are_copied(client, url):
    assert views_run(client, url) == 2


def test_a_copy_carries_the_headers_of_the_middlewares_above(client):
    first = client.get("/essai/")
    copy = client.get("/essai/")
    assert len(calls) == 1
    assert "default-src 'self'" in copy["Content-Security-Policy"]
    assert copy["X-Frame-Options"] == "DENY"
    assert copy["X-Content-Type-Options"] == "nosniff"
    assert "geolocation=()" in copy["Permissions-Policy"]
    assert copy["Content-Language"] == "fr"
    assert "Cookie" in copy["Vary"]
    assert copy["X-Request-ID"] != first["X-Request-ID"]
    assert int(copy["Content-Length"]) == len(copy.content)
    assert copy["Cache-Control"] == "max-age=5"


def test_no_cookie_comes_with_a_copy():
    Client().get("/essai/")
    copy = Client().get("/essai/")
    assert len(calls) == 1 and not copy.cookies


def test_a_copy_refuses_a_host_not_allowed(client):
    client.get("/essai/")
    assert client.get("/essai/", headers={"host": "evil.example.com"}).status_code == 400


def test_a_copy_expires(client, settings):
    settings.ANONYMOUS_PAGE_CACHE = {"/essai/": {"seconds": 1}}
    client.get("/essai/")
    assert views_run(client, "/essai/", times=1) == 0
    time.sleep(1.05)
    assert views_run(client, "/essai/", times=1) == 1


def test_zero_seconds_means_no_copy(client, settings):
    settings.ANONYMOUS_PAGE_CACHE = {"/essai/": {"seconds": 0}}
    assert views_run(client, "/essai/") == 2


def test_the_copies_stay_in_each_workers_memory():
    """Served from Redis, a copy costs two round trips: measured, a third of the offers page's
    throughput."""
    assert settings.CACHES[pagecache.CACHE_ALIAS]["BACKEND"].endswith("LocMemCache")
