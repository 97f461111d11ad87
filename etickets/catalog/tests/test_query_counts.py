"""The offers page costs the same queries whatever the number of offers."""

import pytest
from django.core.cache import caches

from conftest import count_queries
from etickets.core import pagecache


@pytest.mark.django_db
def test_offers_page(client, make_offers, django_assert_num_queries):
    make_offers(2)
    baseline = count_queries(lambda: client.get("/offres/"))
    make_offers(15)
    # Measure a miss of the list's and the page's few-seconds caches, as the first was.
    caches["default"].clear()
    caches[pagecache.CACHE_ALIAS].clear()
    with django_assert_num_queries(baseline):
        assert client.get("/offres/").status_code == 200
    with django_assert_num_queries(0):  # and a hit costs the database nothing
        assert client.get("/offres/").status_code == 200
