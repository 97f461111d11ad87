"""Suite-wide set-up: the CI guard, and factories for the catalogue."""

import datetime
import itertools
import os
import re
import shutil
import uuid

import pytest
from django.utils import timezone

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    """Under CI, PostgreSQL and Chromium are required: missing either fails the run at once.
    CI's second run, of the unit tests on the SQLite that `make run` uses, says so with
    CI_DATABASE=sqlite."""
    if not IN_CI or os.environ.get("CI_DATABASE") == "sqlite":
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError("CI=true: DATABASE_URL must point at PostgreSQL.")
    if not (shutil.which("chromium") or os.environ.get("PLAYWRIGHT_BROWSERS_PATH")):
        raise pytest.UsageError("CI=true: Chromium is required for the browser tests.")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    from etickets.api.auth import forget_local_tokens
    from etickets.core import pagecache
    from etickets.waitingroom.selectors import forget_enabled_queues

    caches["default"].clear()
    forget_local_tokens()
    forget_enabled_queues()
    # The live server of the browser tests runs in this process: this clears its pages too.
    caches[pagecache.CACHE_ALIAS].clear()
    yield


_sequence = itertools.count(1)


@pytest.fixture
def generous_limits(settings):
    """The per-account limits out of the way, for tests of something else that let one buyer
    fill an event (sold out, query counts) with the per-offer limit of 20."""
    settings.MAX_TICKETS_PER_EVENT = 1000
    settings.MAX_SEATS_HELD = 4000


@pytest.fixture
def make_event(db):
    from etickets.catalog.models import Event, Sport

    def make(**fields):
        n = next(_sequence)
        values = {
            "sport": Sport.ATHLETISME,
            "title": f"Épreuve {n}",
            "slug": f"epreuve-{n}",
            "description": "Une belle épreuve.",
            "venue": "Stade de France",
            "city": "Saint-Denis",
            "starts_at": timezone.now() + datetime.timedelta(days=30 + n),
            "capacity": 100,
            # Static QR codes, as before « Codes dynamiques » (what most tests describe); the
            # rotating codes' tests ask for them.
            "rotating_codes": False,
        }
        values.update(fields)
        return Event.objects.create(**values)

    return make


@pytest.fixture
def make_offer(db, make_event):
    from etickets.catalog.models import Offer, OfferKind

    def make(event=None, kind=OfferKind.SOLO, **fields):
        event = event or make_event()
        values = {"slug": f"{event.slug}-{kind.lower()}", "price_cents": 5000}
        values.update(fields)
        return Offer.objects.create(event=event, kind=kind, **values)

    return make


@pytest.fixture
def make_offers(make_event, make_offer):
    """A Solo, a Duo and a Familiale offer for each of ``events`` new events of 500 seats."""
    from etickets.catalog.models import OfferKind

    def make(events):
        made = []
        for _ in range(events):
            event = make_event(capacity=500)
            made += [make_offer(event=event, kind=kind) for kind in OfferKind]
        return made

    return make


def count_queries(action) -> int:
    """How many SQL statements ``action()`` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def password_values(html: str) -> dict[str, str]:
    """The value each password input of a page was rendered with, by name ("" for none)."""
    from html import unescape

    inputs = re.findall(r'<input type="password" name="(\w+)"(?: value="([^"]*)")?', html)
    return {name: unescape(value) for name, value in inputs}


PASSWORD = "Sésame-Ouvre-Toi-2024!"
TEST_CARD = "4242424242424242"  # the sandbox approves it


def pay(user, *, key=None, number=TEST_CARD, run_on_commit=False):
    """Pay ``user``'s cart with a card of the sandbox (the test card by default): the order.
    ``run_on_commit``: run the jobs queued after the commit (the confirmation) at once."""
    from django.test import TestCase

    from etickets.orders.services import place_order
    from etickets.payments.cards import Card
    from etickets.payments.services import card_authoriser

    key = key or uuid.uuid4()
    card = Card(number=number, exp_month=8, exp_year=2030, cvv="123")
    authorise = card_authoriser(card, idempotency_key=str(key))
    if not run_on_commit:
        return place_order(user=user, idempotency_key=key, authorise=authorise)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return place_order(user=user, idempotency_key=key, authorise=authorise)


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(**fields):
        n = next(_sequence)
        values = {
            "email": f"client{n}@example.fr",
            "username": f"client{n}",
            "first_name": "Camille",
            "last_name": "Martin",
            "password": PASSWORD,
        }
        values.update(fields)
        return get_user_model().objects.create_user(**values)

    return make
