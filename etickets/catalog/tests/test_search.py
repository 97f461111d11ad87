"""The offers list's search, filters and pages (manual §3), as the address asks for them."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from etickets.catalog import selectors
from etickets.catalog.models import Event, OfferKind

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
IN_A_YEAR = timezone.now().year + 1


def on(month, day, hour=20):
    return datetime.datetime(IN_A_YEAR, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def games(make_event, make_offer):
    """Three events, each with a Solo and a Duo offer, plus what is never on sale."""
    events = {
        "ceremonie": make_event(
            title="Cérémonie d'ouverture",
            sport="ceremonie",
            venue="La Seine",
            city="Paris",
            starts_at=on(7, 26, 19),
        ),
        "cross": make_event(
            title="Concours complet, cross",
            sport="equitation",
            venue="Château de Versailles",
            city="Versailles",
            starts_at=on(7, 28, 10),
        ),
        "natation": make_event(
            title="Finales du 200 m",
            title_en="200 m finals",
            sport="natation",
            venue="Paris La Défense Arena",
            venue_en="Paris Defense Arena",
            city="Nanterre",
            starts_at=on(7, 28, 20),
        ),
    }
    for event in events.values():
        make_offer(event=event, kind=OfferKind.SOLO, price_cents=5000)
        make_offer(event=event, kind=OfferKind.DUO, price_cents=9000)
    make_offer(event=make_event(title="Cérémonie passée", starts_at=timezone.now()))
    make_offer(event=make_event(title="Cérémonie cachée", sport="voile", is_published=False))
    make_event(title="Cérémonie sans offre", sport="golf", venue="Golf National")
    return events


def titles(client, query="", **headers) -> list[str]:
    html = client.get(f"/offres/?{query}", **headers).content.decode()
    return re.findall(r'<h3 class="offer-card-title" id="event-\d+-title">([^<]*)</h3>', html)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=ceremonie", ["Cérémonie d&#x27;ouverture"]),  # accents, title
        ("q=C%C3%89R%C3%89MONIE", ["Cérémonie d&#x27;ouverture"]),  # capitals with accents
        ("q=chateau", ["Concours complet, cross"]),  # venue
        ("q=nanterre", ["Finales du 200 m"]),  # city
        ("q=%C3%A9questres", ["Concours complet, cross"]),  # the sport's French name
        ("q=Swimming", ["Finales du 200 m"]),  # and its English one
        ("q=paris", ["Cérémonie d&#x27;ouverture", "Finales du 200 m"]),
        ("q=paris+finales", ["Finales du 200 m"]),  # every word, anywhere
        ("q=paris+versailles", []),
        ("q=++", ["Cérémonie d&#x27;ouverture", "Concours complet, cross", "Finales du 200 m"]),
        ("q=%25", []),  # LIKE's wildcards are plain characters
        ("q=_", []),
    ],
)
def test_search_ignores_case_and_accents(client, games, query, found):
    assert titles(client, query) == found


def test_english_readers_search_and_filter_in_english(client, games, settings):
    """The English title is searched too, and a venue is offered by its English name but
    filtered by its French one, so that an address works in either language."""
    assert titles(client, "q=finals") == ["Finales du 200 m"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert titles(client, "q=finals") == ["200 m finals"]
    html = client.get("/offres/").content.decode()
    assert '<option value="Paris La Défense Arena">Paris Defense Arena</option>' in html
    assert titles(client, "lieu=Paris+La+D%C3%A9fense+Arena") == ["200 m finals"]


def test_filters_combine_and_each_keeps_to_what_is_on_sale(client, games):
    day = f"{IN_A_YEAR}-07-28"
    assert titles(client, f"jour={day}") == ["Concours complet, cross", "Finales du 200 m"]
    assert titles(client, f"jour={day}&sport=natation") == ["Finales du 200 m"]
    assert titles(client, "lieu=La+Seine") == ["Cérémonie d&#x27;ouverture"]
    query = f"q=finales&sport=natation&jour={day}&lieu=Paris+La+D%C3%A9fense+Arena&type=duo"
    html = client.get(f"/offres/?{query}").content.decode()
    assert html.count('<li class="event-offer">') == 1 and ">Duo<" in html and ">Solo<" not in html
    for selected in ("natation", day, "Paris La Défense Arena", "duo"):
        assert f'<option value="{selected}" selected>' in html
    assert 'value="finales"' in html


def test_the_filters_offer_only_what_is_on_sale(client, games):
    html = client.get("/offres/").content.decode()
    sports = re.findall(r'<option value="([a-z-]+)"', html[: html.index('name="jour"')])
    assert sports == ["ceremonie", "natation", "equitation"]  # by name: Cérémonie, Natation, Sp…
    assert re.findall(rf'<option value="({IN_A_YEAR}-[\d-]+)"', html) == [
        f"{IN_A_YEAR}-07-26",
        f"{IN_A_YEAR}-07-28",
    ]
    assert ">Golf National<" not in html and ">Château de Versailles<" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sport=curling", "Aucune épreuve de ce sport n&#x27;est en vente."),
        ("sport=golf", "Aucune épreuve de ce sport n&#x27;est en vente."),  # no offer on sale
        ("jour=2024-02-30", "Aucune épreuve n&#x27;est en vente ce jour-là."),
        ("jour=demain", "Aucune épreuve n&#x27;est en vente ce jour-là."),
        ("lieu=Atlantis", "Aucune épreuve n&#x27;est en vente en ce lieu."),
        ("q=" + "x" * 101, "Saisissez au plus 100 caractères : la recherche est ignorée"),
    ],
)
def test_an_invalid_filter_is_said_and_ignored(client, games, query, message):
    response = client.get(f"/offres/?{query}&type=solo")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert len(titles(client, f"{query}&type=solo")) == 3  # the valid filter still applies
    assert ">Duo<" not in html


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "%00"])
def test_a_page_that_is_not_a_number_is_the_first(client, games, page):
    response = client.get(f"/offres/?page={page}")
    assert response.status_code == 200 and len(titles(client, f"page={page}")) == 3


@pytest.fixture
def many_events(make_event, make_offer):
    """13 events with a Solo offer, the last with a Duo too."""
    events = [make_event(title=f"Match {n:02}", starts_at=on(8, n)) for n in range(1, 14)]
    for event in events:
        make_offer(event=event, kind=OfferKind.SOLO)
    make_offer(event=events[-1], kind=OfferKind.DUO)
    return events


def test_twelve_events_a_page_with_links_that_keep_the_filters(client, many_events):
    html = client.get("/offres/?type=solo").content.decode()
    assert len(titles(client, "type=solo")) == 12
    assert "13 épreuves · page 1 sur 2" in html
    assert '<nav class="results-pages" aria-label="Pages des résultats">' in html
    assert 'rel="next" href="/offres/?type=solo&amp;page=2#resultats">Page suivante</a>' in html
    assert "Page précédente" not in html
    html = client.get("/offres/?type=solo&page=2").content.decode()
    assert titles(client, "type=solo&page=2") == ["Match 13"]
    assert 'rel="prev" href="/offres/?type=solo&amp;page=1#resultats">Page précédente' in html
    assert "Page suivante" not in html and "Page 2 sur 2" in html
    assert ">Duo<" not in html
    # Past the last page: the last one.
    assert titles(client, "type=solo&page=9999") == ["Match 13"]
    assert len(titles(client, "type=duo")) == 1  # and one page: no pagination
    assert "results-pages" not in client.get("/offres/?type=duo").content.decode()


def test_an_offer_s_buttons_lead_a_visitor_to_its_quantity_and_a_buyer_to_the_cart(
    client, games, make_user
):
    """A visitor's choice goes through the offer page's form, which keeps it through the
    login: the list, shared by all visitors, has no token to post it with."""
    solo = games["natation"].offers.get(kind=OfferKind.SOLO)
    html = client.get("/offres/?q=natation").content.decode()
    assert f'href="{solo.get_absolute_url()}#ajouter">Ajouter<' in html
    assert 'form="add-to-cart"' not in html and "/connexion/" not in html.split("<main")[1]
    detail = client.get(solo.get_absolute_url()).content.decode()
    assert f'<form id="ajouter" method="post" action="/panier/ajouter/{solo.slug}/"' in detail
    client.force_login(make_user())
    html = client.get("/offres/?q=natation").content.decode()
    # One form, outside the results that are shared a few seconds, carries the token.
    assert html.count('<form id="add-to-cart" method="post">') == 1
    assert f'form="add-to-cart" formaction="/panier/ajouter/{solo.slug}/"' in html
    response = client.post(f"/panier/ajouter/{solo.slug}/", {"quantity": "1"}, follow=True)
    assert "1 billet « Finales du 200 m — Solo » ajouté à votre panier." in (
        response.content.decode()
    )


# --- Selectors ------------------------------------------------------------------------------


def test_events_on_sale_each_with_its_offers_and_free_seats(games):
    Event.objects.filter(pk=games["cross"].pk).update(sold=99)
    events = list(selectors.events_on_sale(filters=selectors.CatalogueFilters()))
    assert [e.title for e in events] == [
        "Cérémonie d'ouverture",
        "Concours complet, cross",
        "Finales du 200 m",
    ]
    cross = events[1]
    assert [o.kind for o in cross.offers_on_sale] == ["SOLO", "DUO"]
    assert [o.tickets_available for o in cross.offers_on_sale] == [1, 0]
    duo_only = selectors.CatalogueFilters(kind=OfferKind.DUO)
    events = list(selectors.events_on_sale(filters=duo_only))
    assert {o.kind for e in events for o in e.offers_on_sale} == {"DUO"}


def test_filter_choices_and_the_sports_with_events(games):
    choices = selectors.filter_choices()
    assert [sport for sport, _name in choices.sports] == ["ceremonie", "natation", "equitation"]
    assert choices.days == [datetime.date(IN_A_YEAR, 7, 26), datetime.date(IN_A_YEAR, 7, 28)]
    assert [name for _venue, name in choices.venues] == [
        "Château de Versailles",
        "La Seine",
        "Paris La Défense Arena",
    ]
    # The back office's filter: every sport that has an event, sold or not, past or not.
    assert [name for _sport, name in selectors.sports_with_events()] == [
        "Athlétisme",
        "Cérémonie",
        "Golf",
        "Natation",
        "Sports équestres",
        "Voile",
    ]


def test_a_sport_no_longer_listed_is_named_by_its_code():
    assert selectors.sport_choices(sports=["natation", "disparu"]) == [
        ("disparu", "disparu"),
        ("natation", "Natation"),
    ]
