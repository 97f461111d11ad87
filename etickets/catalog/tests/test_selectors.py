import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from etickets.catalog import selectors
from etickets.catalog.models import Event, OfferKind


def test_upcoming_offers_hides_unpublished_and_past(make_event, make_offer):
    shown = make_offer()
    make_offer(is_published=False)
    make_offer(event=make_event(starts_at=timezone.now() - datetime.timedelta(hours=1)))
    assert list(selectors.upcoming_offers()) == [shown]


def test_upcoming_offers_filters_by_kind_and_sorts_by_date(make_event, make_offer):
    later = make_event(starts_at=timezone.now() + datetime.timedelta(days=90))
    sooner = make_event(starts_at=timezone.now() + datetime.timedelta(days=3))
    duo_later = make_offer(event=later, kind=OfferKind.DUO)
    make_offer(event=later, kind=OfferKind.SOLO)
    duo_sooner = make_offer(event=sooner, kind=OfferKind.DUO)
    assert list(selectors.upcoming_offers(OfferKind.DUO)) == [duo_sooner, duo_later]
    assert len(selectors.upcoming_offers()) == 3


def test_availability_annotation_matches_the_pool(make_event, make_offer):
    event = make_event(capacity=9)
    make_offer(event=event, kind=OfferKind.FAMILIALE)
    Event.objects.filter(pk=event.pk).update(sold=2)
    (offer,) = selectors.upcoming_offers()
    assert offer.event_free_seats == 7
    assert offer.tickets_available == 1


def test_featured_offers_one_per_event_skipping_sold_out(make_event, make_offer):
    full = make_event(capacity=1, starts_at=timezone.now() + datetime.timedelta(days=1))
    Event.objects.filter(pk=full.pk).update(sold=1)
    make_offer(event=full)
    open_event = make_event()
    cheap = make_offer(event=open_event, kind=OfferKind.SOLO, price_cents=2400)
    make_offer(event=open_event, kind=OfferKind.DUO, price_cents=4600)
    assert selectors.featured_offers() == [cheap]


def test_featured_offers_respects_the_limit(make_offer):
    for _ in range(4):
        make_offer()
    assert len(selectors.featured_offers(limit=3)) == 3


def test_get_published_offer_refuses_unpublished(make_offer):
    hidden = make_offer(is_published=False)
    with pytest.raises(Http404):
        selectors.get_published_offer(hidden.slug)


def test_get_published_offer_still_shows_a_past_offer(make_event, make_offer):
    past = make_offer(event=make_event(starts_at=timezone.now() - datetime.timedelta(days=1)))
    found = selectors.get_published_offer(past.slug)
    assert found == past
    assert found.is_past


def test_calendar_clock_replays_the_games(settings, make_event, make_offer):
    import zoneinfo

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    offer = make_offer(
        event=make_event(starts_at=datetime.datetime(2024, 7, 26, 19, 30, tzinfo=paris))
    )
    assert list(selectors.upcoming_offers()) == []
    settings.ETICKETS_TODAY = "2024-07-20"
    assert list(selectors.upcoming_offers()) == [offer]
