from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import translation

from etickets.catalog.models import Event, Offer, OfferKind
from tools.demo.demo_data import DEMO_EVENTS


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_loads_real_paris_2024_sessions_each_with_three_offers():
    seed()
    assert Event.objects.count() >= 12
    for event in Event.objects.all():
        assert sorted(event.offers.values_list("kind", flat=True)) == sorted(OfferKind.values)
        assert event.starts_at.year == 2024
    venues = set(Event.objects.values_list("venue_fr", flat=True))
    for venue in ("Stade de France", "Paris La Défense Arena", "Grand Palais", "Bercy Arena"):
        assert any(venue in v for v in venues), venue
    opening = Event.objects.get(sport="ceremonie", starts_at__month=7, starts_at__day=26)
    assert "Seine" in opening.title + opening.venue


@pytest.mark.django_db
def test_every_demo_event_is_translated_into_english():
    seed()
    for event in Event.objects.all():
        for text in ("title", "description", "venue", "city"):
            assert getattr(event, f"{text}_en"), (event.slug, text)
        with translation.override("en"):
            assert event.title == event.title_en != event.title_fr
            assert event.description == event.description_en


@pytest.mark.django_db
def test_seed_is_idempotent_and_keeps_sold_seats():
    seed()
    event = Event.objects.first()
    Event.objects.filter(pk=event.pk).update(sold=2)
    counts = Event.objects.count(), Offer.objects.count()
    seed()
    assert (Event.objects.count(), Offer.objects.count()) == counts
    event.refresh_from_db()
    assert event.sold == 2


@pytest.mark.django_db
def test_demo_accounts_only_in_demo_mode(settings):
    settings.DEBUG = False
    assert "aucun compte de démonstration" in seed()
    assert not get_user_model().objects.exists()

    settings.DEBUG = True
    out = seed()
    users = get_user_model().objects
    assert users.count() == 3
    assert users.get(email="admin@jo-etickets.fr").is_superuser
    assert users.get(email="controleur@jo-etickets.fr").groups.filter(name="Contrôleur").exists()
    customer = users.get(email="client@jo-etickets.fr")
    assert not customer.is_staff
    assert "Client-Paris2024!" in out
    assert customer.check_password("Client-Paris2024!")
    seed()
    assert users.count() == 3


def test_every_demo_sport_has_its_own_picture():
    for data in DEMO_EVENTS:
        assert finders.find(f"catalog/sports/{data['sport']}.svg"), data["sport"]
