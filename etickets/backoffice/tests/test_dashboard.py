import csv
import io
import re
import uuid
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from etickets.backoffice import selectors, services
from etickets.cart import services as cart
from etickets.catalog.models import OfferKind
from etickets.orders.models import Order, OrderLine


@pytest.fixture
def sales(make_user, make_offer, make_event, buy, admin):
    """Judo: Solo 50 €, Duo 90 €; Tennis: Familiale 300 €. Four purchases, one refund."""
    judo = make_event(title="Judo", sport="judo", capacity=100)
    tennis = make_event(title="Tennis", sport="tennis", capacity=100)
    solo = make_offer(event=judo, kind=OfferKind.SOLO, price_cents=5000)
    duo = make_offer(event=judo, kind=OfferKind.DUO, price_cents=9000)
    family = make_offer(event=tennis, kind=OfferKind.FAMILIALE, price_cents=30000)
    first = make_user()
    cart.add_to_cart(first, offer=solo, quantity=2)
    buy(first, duo, 1)  # one order: 2 Solo + 1 Duo
    buy(make_user(), family, 1)
    refunded = buy(make_user(), solo, 1)
    services.refund_tickets(order=refunded, tickets=refunded.tickets.all(), actor=admin)
    cart.add_to_cart(make_user(), offer=duo, quantity=3)  # held, not sold
    return {"judo": judo, "tennis": tennis, "solo": solo, "duo": duo, "family": family}


def figures(filters=None):
    rows = selectors.sales_by_offer(filters or selectors.SalesFilter())
    return {
        (s.offer.event.title, s.offer.kind): (
            s.orders,
            s.net_tickets,
            s.refunded_tickets,
            s.revenue_cents,
        )
        for s in rows
    }


@pytest.mark.django_db
def test_sales_per_offer(sales):
    assert figures() == {
        ("Judo", "SOLO"): (2, 2, 1, 10000),
        ("Judo", "DUO"): (1, 1, 0, 9000),
        ("Tennis", "FAMILIALE"): (1, 1, 0, 30000),
    }
    assert selectors.sales_totals(selectors.SalesFilter()) == {
        "orders": 3,
        "tickets": 4,
        "revenue_cents": 49000,
    }


@pytest.mark.django_db
def test_seats_per_event(sales):
    seats = {
        e.title: (e.capacity, e.sold, e.held, e.free)
        for e in selectors.seats_by_event(selectors.SalesFilter())
    }
    assert seats == {"Judo": (100, 4, 6, 90), "Tennis": (100, 4, 0, 96)}


@pytest.mark.django_db
def test_filters_by_sport_and_dates(sales):
    tennis = selectors.SalesFilter(sport="tennis")
    assert figures(tennis) == {("Tennis", "FAMILIALE"): (1, 1, 0, 30000)}
    today = timezone.localdate()
    later = selectors.SalesFilter(date_from=today + timezone.timedelta(days=1))
    assert all(row[:2] == (0, 0) for row in figures(later).values())
    (day,) = selectors.sales_over_time(selectors.SalesFilter(date_from=today, date_to=today))
    assert day["day"] == today and day["tickets"] == 5 and day["revenue_cents"] == 54000


@pytest.mark.django_db
def test_dashboard_page(desk, sales):
    html = unescape(desk.get("/backoffice/").content.decode())
    assert "Ventes par offre" in html and "Places par épreuve" in html
    assert 'data-kpi="orders">3<' in html
    assert 'data-kpi="revenue">490,00\u00a0€<' in html
    assert '<svg class="chart"' in html
    html = unescape(
        desk.get(
            "/backoffice/", {"date_from": "2030-01-02", "date_to": "2030-01-01"}
        ).content.decode()
    )
    assert "La date de fin doit suivre la date de début." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "day"),
    [("date_to", "9999-12-31"), ("date_from", "0001-01-01"), ("date_to", "1999-12-31")],
)
def test_dates_out_of_the_calendar_are_refused_not_a_500(desk, sales, field, day):
    html = unescape(desk.get("/backoffice/", {field: day}).content.decode())
    assert "Choisissez une date entre l'an 2000 et l'an 2100." in html
    for export in ("ventes", "commandes"):
        response = desk.get(f"/backoffice/export/{export}.csv", {field: day})
        assert response.status_code == 200 and len(read_csv(response)) > 1


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_csv_exports(desk, sales):
    response = desk.get("/backoffice/export/ventes.csv")
    assert response["Content-Disposition"] == 'attachment; filename="ventes-par-offre.csv"'
    header, *rows = read_csv(response)
    assert header[:3] == ["Épreuve", "Date", "Offre"]
    assert [row[0] for row in rows] == ["Judo", "Judo", "Tennis"]
    assert rows[0][2:] == ["Solo", "50.00", "2", "3", "1", "100.00"]
    header, *orders = read_csv(desk.get("/backoffice/export/commandes.csv"))
    assert header[0] == "Référence" and len(orders) == 3
    references = {row[0] for row in orders}
    assert references == set(Order.objects.values_list("reference", flat=True))
    assert {row[8] for row in orders} == {"paid", "refunded"}
    assert all(row[10] == "4242" for row in orders)
    tennis = read_csv(desk.get("/backoffice/export/commandes.csv", {"sport": "tennis"}))
    assert len(tennis) == 2


@pytest.mark.django_db
def test_sales_export_neutralises_formulas(desk, make_offer, make_event, buy, make_user):
    event = make_event(title='=HYPERLINK("http://evil","x")', capacity=10)
    buy(make_user(), make_offer(event=event, price_cents=5000))
    _header, row = read_csv(desk.get("/backoffice/export/ventes.csv"))
    assert row[0] == '\'=HYPERLINK("http://evil","x")'
    assert row[3] == "50.00"


@pytest.mark.django_db
def test_orders_export_neutralises_formulas(desk, make_offer, make_event, buy, make_user):
    buyer = make_user(first_name='=HYPERLINK("http://evil","x")', last_name="@SUM(1+1)")
    buy(buyer, make_offer(event=make_event(capacity=10), price_cents=5000))
    _header, row = read_csv(desk.get("/backoffice/export/commandes.csv"))
    assert row[3:5] == ['\'=HYPERLINK("http://evil","x")', "'@SUM(1+1)"]
    assert row[6] == "50.00"


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_orders(desk, make_user, make_offer, make_event):
    offer = make_offer(event=make_event(capacity=1_000_000), price_cents=2500)

    def dashboard_queries():
        with CaptureQueriesContext(connection) as queries:
            assert desk.get("/backoffice/").status_code == 200
        return len(queries)

    few = dashboard_queries()
    buyer = make_user()
    orders = Order.objects.bulk_create(
        (
            Order(
                reference=f"JO24-{n:08d}"[:9] + "-" + f"{n:08d}"[4:],
                user=buyer,
                idempotency_key=uuid.uuid4(),
                total_cents=2500,
            )
            for n in range(100_000)
        ),
        batch_size=5000,
    )
    OrderLine.objects.bulk_create(
        (
            OrderLine(order=order, offer=offer, quantity=1, unit_price_cents=2500, persons=1)
            for order in orders
        ),
        batch_size=5000,
    )
    assert Order.objects.count() == 100_000
    assert dashboard_queries() == few
    assert selectors.sales_totals(selectors.SalesFilter())["revenue_cents"] == 250_000_000


@pytest.mark.django_db
def test_the_sport_filter_lists_only_the_sports_that_have_events(desk, sales):
    html = desk.get("/backoffice/").content.decode()
    select = html[html.index('<select name="sport"') : html.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "judo", "tennis"]
    html = unescape(desk.get("/backoffice/", {"sport": "curling"}).content.decode())
    assert "Sélectionnez un choix valide." in html  # and every sport's figures, not a 500
    assert 'data-kpi="orders">3<' in html
