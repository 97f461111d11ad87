import pytest
from django.core import mail
from django.test import Client

from conftest import pay
from etickets.cart import services as cart
from etickets.invoices.models import DocumentKind, Invoice
from etickets.invoices.services import issue_documents


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_owner_downloads_the_invoice_from_the_order_page(paid_order):
    issue_documents()
    owner = client_of(paid_order.user)
    page = owner.get(f"/commandes/{paid_order.reference}/").content.decode()
    assert 'href="/compte/factures/F-000001/"' in page
    response = owner.get("/compte/factures/F-000001/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="facture-F-000001.pdf"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_nobody_else_gets_it(paid_order, make_user):
    issue_documents()
    for path in ["/compte/factures/F-000001/", f"/commandes/{paid_order.reference}/facture/"]:
        assert Client().get(path).url.startswith("/connexion/?next=")
        assert client_of(make_user()).get(path).status_code == 404
    assert client_of(paid_order.user).get("/compte/factures/F-999999/").status_code == 404


@pytest.mark.django_db
def test_the_e_mail_s_link_issues_an_invoice_not_issued_yet(paid_order):
    assert not Invoice.objects.exists()
    response = client_of(paid_order.user).get(f"/commandes/{paid_order.reference}/facture/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Invoice.objects.get(kind=DocumentKind.INVOICE).order == paid_order


@pytest.mark.django_db
def test_the_confirmation_e_mail_links_to_the_invoice(make_user, make_offer):
    user = make_user()
    cart.add_to_cart(user, offer=make_offer(), quantity=1)
    order = pay(user, run_on_commit=True)
    (email,) = mail.outbox
    link = f"/commandes/{order.reference}/facture/"
    assert link in email.body and link in email.alternatives[0][0]
