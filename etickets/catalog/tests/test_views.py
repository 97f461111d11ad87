import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from etickets.catalog.models import Event, OfferKind

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "offer-catalogue"}


@pytest.fixture
def catalogue(make_event, make_offer):
    stade = make_event(title="Athlétisme — Finale du 100 m", capacity=10)
    arena = make_event(title="Natation — Finales", sport="natation", capacity=3)
    return {
        "solo": make_offer(event=stade, kind=OfferKind.SOLO, price_cents=5000),
        "duo": make_offer(event=stade, kind=OfferKind.DUO, price_cents=9500),
        "familiale": make_offer(event=arena, kind=OfferKind.FAMILIALE, price_cents=125000),
        "hidden": make_offer(event=arena, kind=OfferKind.SOLO, is_published=False),
    }


def test_home_presents_the_games_and_a_selection(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vivez les Jeux de Paris 2024" in html
    assert "Athlétisme — Finale du 100 m" in html
    assert "Voir les détails" in html
    for label in ("Accueil", "Offres", "Connexion", "Inscription"):
        assert f">{label}</a>" in html
    for label in ("FAQ", "Aide", "Contact", "CGU", "CGV", "Mentions légales"):
        assert f">{label}</a>" in html


def cards(html: str) -> int:
    return html.count('<article class="event-card"')


def test_offer_list_groups_each_event_s_offers_on_one_card(client, catalogue):
    response = client.get(reverse("catalog:offer_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert cards(html) == 2
    stade = html[html.index("Finale du 100 m") : html.index("Natation — Finales")]
    assert stade.count('<li class="event-offer">') == 2
    solo, duo = stade.index(">Solo<"), stade.index(">Duo<")
    assert solo < stade.index("50,00\u00a0€") < duo < stade.index("95,00\u00a0€")  # by price
    assert "10 billets disponibles" in stade and "5 billets disponibles" in stade
    assert stade.count("Voir les détails") == 2 and stade.count("Ajouter") == 2
    arena = html[html.index("Natation — Finales") :]
    assert "1\u202f250,00\u00a0€" in arena or "1\u00a0250,00\u00a0€" in arena
    assert ">Complet<" in arena  # Familiale: 3 free seats < 4 persons
    assert "Ajouter" not in arena[: arena.index("</article>")]
    assert 'alt="Illustration : Athlétisme"' in html
    assert catalogue["hidden"].get_absolute_url() not in html
    assert '<p class="results-count" id="results-count" role="status">2 épreuves</p>' in html
    for label in (
        "Rechercher",
        "Sport",
        "Tous les sports",
        "Date",
        "Tous les jours",
        "Lieu",
        "Tous les lieux",
        "Filtrer par type",
        "Tous les types",
        "Solo (1 personne)",
        "Duo (2 personnes)",
        "Familiale (4 personnes)",
        "Filtrer",
    ):
        assert f">{label}<" in html, label
    assert "Effacer les filtres" not in html and "Page suivante" not in html


def test_offer_list_event_date_is_shown_in_french(client, make_event, make_offer):
    import zoneinfo

    start = datetime.datetime(2030, 7, 26, 19, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    make_offer(event=make_event(starts_at=start))
    html = client.get("/offres/").content.decode()
    assert "vendredi 26 juillet 2030 · 19:30" in html
    assert '<option value="2030-07-26">Vendredi 26 juillet</option>' in html


def test_filter_by_type_without_javascript(client, catalogue):
    response = client.get("/offres/?q=&sport=&jour=&lieu=&type=duo")  # as the form sends it
    html = response.content.decode()
    assert cards(html) == 1
    assert catalogue["duo"].get_absolute_url() in html
    assert catalogue["solo"].get_absolute_url() not in html  # only the chosen kind
    assert '<option value="duo" selected>' in html
    assert "<html" in html
    assert '<a href="/offres/">Effacer les filtres</a>' in html


def test_filter_with_htmx_returns_only_the_results(client, catalogue):
    response = client.get("/offres/?q=&sport=&jour=&lieu=&type=familiale", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    # The count's text is replaced in place (hx-swap-oob), so that screen readers say it.
    count = '<p class="results-count" id="results-count" role="status" hx-swap-oob="innerHTML">'
    assert html.strip().startswith(count + "1 épreuve</p>")
    assert '<div id="offer-results">' in html
    assert cards(html) == 1
    assert response["HX-Push-Url"] == "/offres/?type=familiale"  # without the empty fields
    assert {"HX-Request", "HX-History-Restore-Request"} <= set(response["Vary"].split(", "))


def test_htmx_restoring_its_history_gets_the_whole_page(client, catalogue):
    headers = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    html = client.get("/offres/?type=duo", **headers).content.decode()
    assert "<html" in html and "hx-swap-oob" not in html


def test_unknown_type_gets_a_clear_message_and_all_offers(client, catalogue):
    response = client.get("/offres/?type=vip")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce type d&#x27;offre n&#x27;existe pas" in html
    assert 'aria-invalid="true" aria-describedby="id_type_error"' in html
    assert cards(html) == 2
    assert cards(client.get("/offres/?type=vip", **HTMX).content.decode()) == 2


def test_empty_filter_result_says_so(client, make_offer):
    make_offer(kind=OfferKind.SOLO)
    html = client.get("/offres/?type=familiale").content.decode()
    assert "Aucune épreuve en vente ne correspond à votre recherche" in html
    assert "Effacer les filtres" in html


def test_without_any_offer_on_sale_the_list_says_so(client, db):
    html = client.get("/offres/").content.decode()
    assert "Aucune offre n'est en vente pour le moment" in html


def test_offer_detail_shows_everything_a_buyer_needs(client, catalogue):
    offer = catalogue["duo"]
    response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert offer.event.description in html
    for text in (
        "Informations pratiques",
        "Date",
        "Heure",
        "Stade de France",
        "Type de billet",
        "Duo (2 personnes)",
        "Places disponibles",
        "<dd>10 places (5 billets Duo)<",  # the manual: « le nombre de places disponibles »
        "95,00\u00a0€",
    ):
        assert text in html, text
    assert 'name="quantity"' in html
    assert 'max="5"' in html
    assert "Ajouter au panier</button>" in html
    assert "Solo" in html  # the event's other offers


def test_offer_detail_of_a_solo_offer_counts_places_only(client, catalogue):
    html = client.get(catalogue["solo"].get_absolute_url()).content.decode()
    assert "<dd>10 places</dd>" in html


def test_offer_detail_of_anonymous_visitor_adds_to_the_cart_after_login(client, catalogue):
    """The cart keeps the choice until they log in (cart/tests/test_add_before_login.py)."""
    html = client.get(catalogue["solo"].get_absolute_url()).content.decode()
    assert f'method="post" action="/panier/ajouter/{catalogue["solo"].slug}/"' in html
    assert "csrfmiddlewaretoken" in html


def test_sold_out_offer_cannot_be_added(client, catalogue):
    html = client.get(catalogue["familiale"].get_absolute_url()).content.decode()
    assert "Complet : il ne reste plus de billets" in html
    assert 'name="quantity"' not in html


def test_past_offer_is_shown_but_not_on_sale(client, make_event, make_offer):
    past = make_offer(event=make_event(starts_at=timezone.now() - datetime.timedelta(days=2)))
    response = client.get(past.get_absolute_url())
    assert response.status_code == 200
    assert "Cette épreuve a déjà eu lieu" in response.content.decode()
    assert past.get_absolute_url() not in client.get("/offres/").content.decode()


def test_unpublished_and_unknown_offers_are_404_in_the_site_design(client, catalogue):
    for url in (catalogue["hidden"].get_absolute_url(), "/offres/nexiste-pas/", "/nulle-part/"):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Page introuvable" in html
        assert "JO E-Tickets" in html


def test_pages_only_accept_reads(client, catalogue):
    assert client.post("/offres/").status_code == 405


def test_english_version(client, catalogue):
    client.post("/langue/", {"language": "en", "next": "/offres/"})
    html = client.get("/offres/").content.decode()
    assert '<html lang="en">' in html
    assert "Filter by type" in html
    assert "View details" in html
    assert ">Search<" in html and "All sports" in html and "2 events" in html
    assert "€50.00" in html
    assert "10 tickets available" in html
    html = client.get(catalogue["duo"].get_absolute_url()).content.decode()
    assert "Practical information" in html
    assert "Add to cart" in html


def test_english_readers_get_the_events_own_texts_in_english(client, make_event, make_offer):
    """Title, venue, description, sport and picture text; French where nobody translated."""
    fencing = make_event(
        sport="escrime",
        title="Escrime — Finales",
        title_en="Fencing — Finals",
        description="Une soirée d'assauts.",
        description_en="An evening of bouts.",
        venue="Grand Palais",
        venue_en="The Grand Palais",
        city="Paris",
        image_alt="Deux escrimeurs",
        image_alt_en="Two fencers",
    )
    offer = make_offer(event=fencing)
    make_offer(event=make_event(sport="aviron", title="Aviron — Deux de couple"))
    client.post("/langue/", {"language": "en", "next": "/offres/"})
    listing = unescape(client.get("/offres/").content.decode())
    detail = unescape(client.get(offer.get_absolute_url()).content.decode())
    for html in (listing, detail):
        assert "Fencing — Finals" in html and "The Grand Palais, Paris" in html
        assert ">Fencing<" in html and 'alt="Two fencers"' in html
        assert "Escrime" not in html
    assert "An evening of bouts." in detail and "assauts" not in detail
    assert "Aviron — Deux de couple" in listing and ">Rowing<" in listing

    client.post("/langue/", {"language": "fr", "next": "/offres/"})
    detail = unescape(client.get(offer.get_absolute_url()).content.decode())
    assert "Escrime — Finales" in detail and "Une soirée d'assauts." in detail
    assert "Fencing" not in detail


def test_french_is_the_default_whatever_the_browser_asks(client, catalogue):
    html = client.get("/offres/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html


def test_sold_seats_reduce_availability_everywhere(client, catalogue):
    event = catalogue["solo"].event
    Event.objects.filter(pk=event.pk).update(sold=8)
    html = client.get("/offres/").content.decode()
    assert "2 billets disponibles" in html
    assert "1 billet disponible<" in html
