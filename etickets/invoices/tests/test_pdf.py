import io

import pypdfium2
import pytest
from django.utils import timezone

from conftest import pay
from etickets.cart import services as cart
from etickets.invoices.models import DocumentKind, Invoice
from etickets.invoices.pdf import document_pdf
from etickets.invoices.services import issue_documents
from etickets.orders import services as orders


def pdf_text(content: bytes) -> str:
    """The PDF's text, each run of spaces (and the line breaks) as one space."""
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)


@pytest.mark.django_db
def test_the_invoice_prints_every_legal_mention(paid_order):
    issue_documents()
    invoice = Invoice.objects.get(order=paid_order)
    text = pdf_text(document_pdf(invoice, "fr"))
    paid_at = timezone.localtime(paid_order.created_at)
    for mention in [
        "Facture F-000001",
        # The seller: name, address, SIRET, VAT number.
        "Billetterie Olympique SAS",
        "8 rue des Podiums",
        "93200 Saint-Denis",
        "SIRET : 552 100 554 00027",
        "N° de TVA intracommunautaire : FR40552100554",
        # Its date, the buyer, the order.
        f"Date de facture {timezone.localtime(invoice.issued_at).day} ",
        "Camille Martin",
        paid_order.reference,
        # Each line: quantity, unit price before tax, rate, totals.
        "Finale du 100 m",
        "2 45,45 € 10 % 90,91 € 100,00 €",
        "1 86,36 € 10 % 86,36 € 95,00 €",
        # The totals before tax, the VAT (its rate and amount), with tax.
        "Total HT 177,27 €",
        "TVA 10 % 17,73 €",
        "Total TTC 195,00 €",
        # When and how it was paid: the card's brand and last four digits only.
        f"Date du paiement {paid_at.day} ",
        f"{paid_at:%H:%M}",
        "Carte Visa se terminant par 4242",
        "Facture acquittée",
    ]:
        assert mention in text, mention
    assert "4242424242424242" not in text


@pytest.mark.django_db
def test_the_credit_note_names_its_invoice(paid_order):
    duo = paid_order.tickets.filter(order_line__offer__kind="DUO").select_related("order_line")
    orders.refund_tickets(order=paid_order, tickets=list(duo))
    issue_documents()
    note = Invoice.objects.get(kind=DocumentKind.CREDIT_NOTE)
    text = pdf_text(document_pdf(note, "fr"))
    for mention in [
        "Avoir AV-000001",
        "Facture d'origine F-000001",
        "Billetterie Olympique SAS",
        "SIRET : 552 100 554 00027",
        "Remboursement sur la facture F-000001",
        "Total HT 86,36 €",
        "TVA 10 % 8,64 €",
        "Total TTC 95,00 €",
        "Remboursé sur Carte Visa se terminant par 4242",
    ]:
        assert mention in text, mention


@pytest.mark.django_db
def test_an_english_reader_gets_english_labels_on_the_same_invoice(paid_order):
    issue_documents()
    text = pdf_text(document_pdf(Invoice.objects.get(order=paid_order), "en"))
    assert "Invoice F-000001" in text and "Total incl. VAT €195.00" in text
    assert "Billetterie Olympique SAS" in text and "Finale du 100 m" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("generous_limits", "seller")
def test_a_long_order_goes_on_over_the_next_page(make_user, make_offers):
    user = make_user()
    for offer in make_offers(4):
        cart.add_to_cart(user, offer=offer, quantity=1)
    order = pay(user)
    issue_documents()
    content = document_pdf(Invoice.objects.get(order=order), "fr")
    assert len(pypdfium2.PdfDocument(io.BytesIO(content))) == 2
    text = pdf_text(content)
    assert text.count("Épreuve") == 12 and text.count("Désignation".upper()) == 2
    assert "Total TTC 600,00 €" in text
