"""The offers page costs the same queries whatever the number of offers."""

import pytest
from django.core.cache import caches

from conftest import count_queries
from etickets.core import pagecache

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "offer-catalogue"}


def without_copies():
    """A miss of the results' and the page's few-seconds caches."""
    caches["default"].clear()
    caches[pagecache.CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_offers_page(client, make_offers, django_assert_num_queries):
    make_offers(2)
    baseline = count_queries(lambda: client.get("/offres/"))
    make_offers(15)
    without_copies()
    # The filters' choices; the count, the page's events and their offers with their seats.
    with django_assert_num_queries(baseline) as queries:
        assert client.get("/offres/").status_code == 200
    assert len(queries) == 4
    with django_assert_num_queries(0):  # and a hit costs the database nothing
        assert client.get("/offres/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("q=epreuve+stade&type=duo&page=2", {}),
        ("sport=athletisme&lieu=Stade+de+France&type=familiale", HTMX),
    ],
)
def test_searched_and_filtered_pages(client, make_offers, make_user, query, headers):
    make_offers(14)
    client.force_login(make_user())
    baseline = count_queries(lambda: client.get(f"/offres/?{query}", **headers))
    make_offers(15)
    without_copies()
    assert count_queries(lambda: client.get(f"/offres/?{query}", **headers)) == baseline
    # The results' copy, for a few seconds: only the filters' choices and the session's reads.
    assert count_queries(lambda: client.get(f"/offres/?{query}", **headers)) == baseline - 3
