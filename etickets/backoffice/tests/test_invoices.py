import datetime
import io

import pypdfium2
import pytest
from django.utils import timezone

from etickets.backoffice import services
from etickets.catalog.models import OfferKind
from etickets.invoices.models import Invoice
from etickets.invoices.services import issue_documents

from .test_dashboard import read_csv


@pytest.fixture
def documents(make_user, make_offer, buy, admin):
    """Two invoices (50 € and 180 €), the second order then refunded one ticket: a credit note."""
    solo = make_offer(kind=OfferKind.SOLO, price_cents=5000)
    duo = make_offer(kind=OfferKind.DUO, price_cents=9000)
    first = buy(make_user(first_name="Léa", last_name="Dupont"), solo, 1)
    second = buy(make_user(first_name="=Jean", last_name="Moulin"), duo, 2)
    issue_documents()
    services.refund_tickets(order=second, tickets=second.tickets.all()[:1], actor=admin)
    issue_documents()
    return first, second


@pytest.mark.django_db
def test_the_list_shows_invoices_and_credit_notes(desk, documents):
    first, _second = documents
    html = desk.get("/backoffice/factures/").content.decode()
    for text in ("F-000001", "F-000002", "AV-000001", first.reference, "Léa Dupont", "Avoir"):
        assert text in html
    assert 'href="/backoffice/factures/AV-000001/"' in html


@pytest.mark.django_db
def test_the_list_and_the_export_keep_to_the_days_chosen(desk, documents):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    empty = desk.get("/backoffice/factures/", {"date_from": tomorrow.isoformat()})
    assert "F-000001" not in empty.content.decode()
    (header,) = read_csv(
        desk.get("/backoffice/export/factures.csv", {"date_from": tomorrow.isoformat()})
    )
    assert header[0] == "Numéro"
    rows = read_csv(
        desk.get(
            "/backoffice/export/factures.csv",
            {"date_from": today.isoformat(), "date_to": today.isoformat()},
        )
    )
    assert len(rows) == 4
    # A period that cannot be read: the list says why, never the whole ledger.
    wrong = desk.get("/backoffice/export/factures.csv", {"date_from": "31/02/2024"})
    assert wrong.status_code == 302 and wrong.url.startswith("/backoffice/factures/?")


@pytest.mark.django_db
def test_the_accountants_csv(desk, documents):
    first, second = documents
    response = desk.get("/backoffice/export/factures.csv")
    assert response["Content-Disposition"] == 'attachment; filename="factures-et-avoirs.csv"'
    header, *rows = read_csv(response)
    assert header == [
        "Numéro",
        "Date",
        "Commande",
        "Client",
        "HT (€)",
        "TVA (€)",
        "TTC (€)",
        "Type",
        "Taux de TVA (%)",
        "Facture d'origine",
    ]
    issued = {
        invoice.number: timezone.localtime(invoice.issued_at).strftime("%Y-%m-%d %H:%M:%S")
        for invoice in Invoice.objects.all()
    }
    assert rows == [
        [
            "F-000001",
            issued["F-000001"],
            first.reference,
            "Léa Dupont",
            "45.45",
            "4.55",
            "50.00",
            "Facture",
            "10",
            "",
        ],
        [
            "F-000002",
            issued["F-000002"],
            second.reference,
            "'=Jean Moulin",  # never a formula in a spreadsheet
            "163.64",
            "16.36",
            "180.00",
            "Facture",
            "10",
            "",
        ],
        # A credit note's amounts are negative: the columns add up to the net sales.
        [
            "AV-000001",
            issued["AV-000001"],
            second.reference,
            "'=Jean Moulin",
            "-81.82",
            "-8.18",
            "-90.00",
            "Avoir",
            "10",
            "F-000002",
        ],
    ]


@pytest.mark.django_db
def test_the_order_page_links_its_documents(desk, documents):
    _first, second = documents
    html = desk.get(f"/backoffice/commandes/{second.reference}/").content.decode()
    assert 'href="/backoffice/factures/F-000002/"' in html
    assert 'href="/backoffice/factures/AV-000001/"' in html
    response = desk.get("/backoffice/factures/AV-000001/")
    assert response["Content-Type"] == "application/pdf"
    text = pypdfium2.PdfDocument(io.BytesIO(response.content))[0].get_textpage().get_text_range()
    assert "AV-000001" in text and "F-000002" in text
