import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from etickets.backoffice import services
from etickets.backoffice.models import AuditEntry
from etickets.cart import services as cart
from etickets.catalog.models import Event, Offer, OfferKind
from etickets.inventory.services import CapacityTooLow


def event_data(**overrides):
    data = {
        "sport": "judo",
        "title_fr": "Judo — Équipes mixtes",
        "description_fr": "Finale par équipes mixtes.",
        "venue_fr": "Arena Champ-de-Mars",
        "city_fr": "Paris",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=20)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "capacity": "100",
        "image_alt_fr": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def page(response):
    return unescape(response.content.decode())


@pytest.mark.django_db
def test_create_event_then_offer(desk, admin):
    response = desk.post("/backoffice/epreuves/nouvelle/", event_data())
    event = Event.objects.get()
    assert response.url == f"/backoffice/epreuves/{event.pk}/"
    assert event.slug == "judo-equipes-mixtes" and event.capacity == 100
    response = desk.post(
        f"/backoffice/epreuves/{event.pk}/offres/nouvelle/",
        {
            "offer-kind": "DUO",
            "offer-price": "95,50",
            "offer-max_per_order": "4",
            "offer-is_published": "on",
        },
    )
    offer = Offer.objects.get()
    assert (offer.kind, offer.price_cents, offer.max_per_order) == ("DUO", 9550, 4)
    assert offer.slug == "judo-equipes-mixtes-duo"
    assert "Judo — Équipes mixtes" in page(desk.get("/offres/"))
    assert AuditEntry.objects.filter(actor=admin).count() == 2


@pytest.mark.django_db
def test_english_texts_are_entered_beside_the_french(desk, admin):
    desk.post(
        "/backoffice/epreuves/nouvelle/",
        event_data(title_en="Judo — Mixed team", description_en="Mixed team final."),
    )
    event = Event.objects.get()
    assert (event.title_fr, event.title_en) == ("Judo — Équipes mixtes", "Judo — Mixed team")
    assert (event.description_en, event.venue_en) == ("Mixed team final.", "")
    assert event.slug == "judo-equipes-mixtes"  # from the French title, whatever the language
    html = page(desk.get(f"/backoffice/epreuves/{event.pk}/"))
    for field, label in [("title_fr", "Titre (français)"), ("title_en", "Titre (anglais)")]:
        assert f'<label for="id_{field}">{label}' in html
    assert 'value="Judo — Mixed team"' in html
    assert "Vide : les visiteurs anglophones lisent le texte français." in html
    assert AuditEntry.objects.get().target == "Judo — Équipes mixtes"


@pytest.mark.django_db
def test_event_form_errors_are_french(desk):
    html = page(desk.post("/backoffice/epreuves/nouvelle/", event_data(title_fr="", capacity="-3")))
    assert "Ce champ est obligatoire." in html
    assert not Event.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "0001-01-01", "2101-01-01T10:00"])
def test_event_dates_out_of_the_calendar_are_refused_not_a_500(desk, starts_at):
    html = page(desk.post("/backoffice/epreuves/nouvelle/", event_data(starts_at=starts_at)))
    assert "Choisissez une date entre l'an 2000 et l'an 2100." in html
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_event_and_offer_zero_are_not_found_not_new(desk, make_event):
    assert desk.get("/backoffice/epreuves/0/").status_code == 404
    assert desk.post("/backoffice/epreuves/0/", event_data()).status_code == 404
    event = make_event()
    assert desk.get(f"/backoffice/epreuves/{event.pk}/offres/0/").status_code == 404
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_images_are_checked(desk):
    script = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    html = page(desk.post("/backoffice/epreuves/nouvelle/", {**event_data(), "image": script}))
    assert "Téléversez une image valide" in html
    gif = SimpleUploadedFile(
        "anim.gif",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        "image/gif",
    )
    html = page(desk.post("/backoffice/epreuves/nouvelle/", {**event_data(), "image": gif}))
    assert "JPEG, PNG ou WebP" in html
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_capacity_never_below_seats_sold_or_held(desk, make_offer, make_event, make_user, buy):
    event = make_event(capacity=20)
    offer = make_offer(event=event, kind=OfferKind.DUO)
    buy(make_user(), offer, 3)  # 6 seats sold
    cart.add_to_cart(make_user(), offer=offer, quantity=2)  # 4 seats held
    url = f"/backoffice/epreuves/{event.pk}/"
    html = page(desk.post(url, event_data(title_fr=event.title_fr, capacity="9")))
    assert "ne peut pas être inférieure aux places déjà vendues ou réservées (10)" in html
    event.refresh_from_db()
    assert event.capacity == 20
    desk.post(url, event_data(title_fr=event.title_fr, capacity="10"))
    event.refresh_from_db()
    assert event.capacity == 10 and event.sold == 6


@pytest.mark.django_db
def test_an_offer_with_sales_cannot_be_deleted(desk, make_offer, make_user, buy):
    sold = make_offer()
    buy(make_user(), sold)
    response = desk.post(
        f"/backoffice/epreuves/{sold.event_id}/offres/{sold.pk}/supprimer/", follow=True
    )
    assert "Dépubliez-la" in page(response)
    assert Offer.objects.filter(pk=sold.pk).exists()
    unsold = make_offer(event=sold.event, kind=OfferKind.FAMILIALE)
    desk.post(f"/backoffice/epreuves/{sold.event_id}/offres/{unsold.pk}/supprimer/")
    assert not Offer.objects.filter(pk=unsold.pk).exists()


@pytest.mark.django_db
def test_unpublishing_hides_and_stops_sales(desk, make_offer, make_user):
    offer = make_offer()
    desk.post(
        f"/backoffice/epreuves/{offer.event_id}/offres/{offer.pk}/",
        {"offer-price": "50,00", "offer-max_per_order": ""},
    )
    offer.refresh_from_db()
    assert not offer.is_published
    assert offer.get_absolute_url() not in page(desk.get("/offres/"))
    with pytest.raises(cart.OfferNotOnSale):
        cart.add_to_cart(make_user(), offer=offer, quantity=1)


@pytest.mark.django_db
def test_duplicate_offer_type_is_refused(desk, make_offer):
    offer = make_offer(kind=OfferKind.SOLO)
    html = page(
        desk.post(
            f"/backoffice/epreuves/{offer.event_id}/offres/nouvelle/",
            {"offer-kind": "SOLO", "offer-price": "10"},
        )
    )
    assert "Cette épreuve a déjà une offre de ce type." in html


@pytest.mark.django_db
def test_save_event_service_checks_capacity(make_event, admin):
    event = make_event(capacity=5)
    Event.objects.filter(pk=event.pk).update(sold=5)
    event.refresh_from_db()
    event.capacity = 4
    with pytest.raises(CapacityTooLow):
        services.save_event(event, actor=admin)


@pytest.mark.django_db
def test_codes_dynamiques_is_on_for_a_new_event_and_can_be_turned_off(desk):
    form = page(desk.get("/backoffice/epreuves/nouvelle/"))
    assert re.search(r'<input type="checkbox" name="rotating_codes"[^>]* checked', form)
    assert "Codes dynamiques" in form and "une capture d'écran ne permet pas d'entrer" in form
    desk.post("/backoffice/epreuves/nouvelle/", event_data(rotating_codes="on"))
    event = Event.objects.get()
    assert event.rotating_codes
    desk.post(f"/backoffice/epreuves/{event.pk}/", event_data())  # the box unticked
    event.refresh_from_db()
    assert not event.rotating_codes
