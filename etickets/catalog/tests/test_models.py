import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.utils import translation

from etickets.catalog.models import Event, OfferKind, SeatsNotCounted, Sport, sport_picture
from etickets.catalog.selectors import offer_on_sale


@pytest.mark.parametrize(
    ("kind", "persons", "expected"),
    [(OfferKind.SOLO, 1, 7), (OfferKind.DUO, 2, 3), (OfferKind.FAMILIALE, 4, 1)],
)
def test_tickets_available_is_free_seats_divided_by_persons(
    make_event, make_offer, kind, persons, expected
):
    event = make_event(capacity=10)
    Event.objects.filter(pk=event.pk).update(sold=3)
    event.refresh_from_db()
    offer = offer_on_sale(make_offer(event=event, kind=kind).pk)
    assert offer.persons == persons
    assert offer.tickets_available == expected
    assert not offer.is_sold_out


def test_offer_sold_out_when_fewer_free_seats_than_persons(make_event, make_offer):
    event = make_event(capacity=3)
    familiale = offer_on_sale(make_offer(event=event, kind=OfferKind.FAMILIALE).pk)
    duo = offer_on_sale(make_offer(event=event, kind=OfferKind.DUO).pk)
    assert familiale.tickets_available == 0
    assert familiale.is_sold_out
    assert duo.tickets_available == 1


def test_an_offer_read_without_its_free_seats_says_so_loudly(make_offer):
    """Not an AttributeError, which a template would silently turn into « nothing »."""
    with pytest.raises(SeatsNotCounted):
        _ = make_offer().tickets_available


def test_max_quantity_is_capped_by_the_limit_per_order(make_event, make_offer):
    def max_quantity(capacity, **options):
        return offer_on_sale(make_offer(event=make_event(capacity=capacity), **options).pk)

    assert max_quantity(50, max_per_order=4).max_quantity == 4
    assert max_quantity(2, max_per_order=4).max_quantity == 2
    assert max_quantity(500).max_quantity == 6  # the site's own cap (MAX_TICKETS_PER_EVENT)


def test_database_refuses_more_sold_than_capacity(make_event):
    event = make_event(capacity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(sold=6)


def test_one_offer_per_kind_and_event(make_event, make_offer):
    event = make_event()
    make_offer(event=event, kind=OfferKind.DUO)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_offer(event=event, kind=OfferKind.DUO, slug="autre-slug")


def test_price_must_be_positive(make_offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_offer(price_cents=0)


def test_offer_title_names_the_event_and_the_kind(make_event, make_offer):
    offer = make_offer(event=make_event(title="Judo — Finales"), kind=OfferKind.FAMILIALE)
    assert offer.title == "Judo — Finales — Familiale"


def test_event_picture_is_the_sport_picture_or_the_games_one(make_event):
    assert make_event(sport="athletisme").image_url.endswith("/catalog/sports/athletisme.svg")
    sport_picture.cache_clear()
    assert sport_picture("sport-sans-image") == "catalog/sports/jeux.svg"
    assert finders.find("catalog/sports/jeux.svg")


def test_an_event_reads_in_the_active_language_and_falls_back_to_french(make_event):
    event = make_event(title="Voile — Finale", title_en="Sailing — Final", venue="Marina")
    with translation.override("en"):
        assert (event.title, event.venue, str(event)) == ("Sailing — Final", "Marina", event.title)
    with translation.override("fr"):
        assert (event.title, event.venue) == ("Voile — Finale", "Marina")
    assert event.text("title", language="en") == "Sailing — Final"
    assert event.text("image_alt", language="en") == ""


def test_assigning_a_text_sets_the_french_one(make_event):
    """French is the source language: ``Event(title=…)`` means the French title."""
    event = make_event(title_en="Sailing")
    with translation.override("en"):
        event.title = "Voile"
    assert (event.title_fr, event.title_en) == ("Voile", "Sailing")


def test_every_sport_and_offer_type_has_its_english_name():
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in catalogue.translated_entries()}
    with translation.override("fr"):
        labels = [str(label) for label in [*Sport.labels, *OfferKind.labels]]
    assert not [label for label in labels if label not in translated]
