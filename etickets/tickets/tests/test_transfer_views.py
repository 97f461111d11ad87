"""« Transférer ce billet » in the pages: the form, « Mes billets », cancelling, the link."""

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from etickets.catalog.models import OfferKind
from etickets.tickets import transfers
from etickets.tickets.models import Ticket, TicketState, Transfer, TransferState


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def html_of(response):
    return unescape(response.content.decode())


@pytest.fixture
def ticket(make_user, buy):
    user = make_user(email="mjp@example.fr")
    return buy(user, (OfferKind.SOLO, 1)).tickets.select_related("event", "holder").get()


@pytest.fixture
def holder(ticket):
    return client_of(ticket.holder)


def offer(ticket, django_capture_on_commit_callbacks, email="teddy@example.fr"):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfers.offer_transfer(
            ticket=ticket, sender=ticket.holder, email=email, now=timezone.now()
        )
    token = re.search(r"/billets/transfert/([^/\s]+)/", mail.outbox[-1].body)
    assert token
    return transfer, token.group(1)


@pytest.mark.django_db
def test_offer_from_mes_billets(ticket, holder, django_capture_on_commit_callbacks):
    page = html_of(holder.get("/mes-billets/"))
    form_url = f"/mes-billets/{ticket.pk}/transferer/"
    assert f'href="{form_url}"' in page and "Transférer ce billet" in page
    assert f'href="{form_url}"' in html_of(holder.get(ticket.get_absolute_url()))
    assert 'for="id_email"' in html_of(holder.get(form_url))
    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(form_url, {"email": "teddy@example.fr"}, follow=True)
    assert "teddy@example.fr a reçu un lien" in html_of(response)
    transfer = Transfer.objects.get()
    assert (transfer.ticket, transfer.recipient_email) == (ticket, "teddy@example.fr")
    assert mail.outbox[-1].to == ["teddy@example.fr"]
    page = html_of(holder.get("/mes-billets/"))
    assert "En attente d'acceptation par teddy@example.fr" in page
    assert f"/mes-billets/transferts/{transfer.pk}/annuler/" in page
    assert f'href="{form_url}"' not in page
    detail = html_of(holder.get(ticket.get_absolute_url()))
    assert "En attente d'acceptation par teddy@example.fr" in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Saisissez l'adresse email de la personne"),
        ("pas-une-adresse", "Saisissez une adresse email valide"),
        ("MJP@example.fr", "Ce billet est déjà à vous"),
    ],
)
def test_form_errors_are_next_to_the_field(ticket, holder, email, message):
    response = holder.post(f"/mes-billets/{ticket.pk}/transferer/", {"email": email})
    assert response.status_code == 200
    html = html_of(response)
    error = re.search(r'<ul class="errorlist" id="id_email_error">.*?</ul>', html, re.S)
    assert error and message in error.group()
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_email_error', html)
    assert 'aria-invalid="true"' in html
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_others_tickets_and_transfers_are_404(
    ticket, make_user, django_capture_on_commit_callbacks
):
    transfer, _ = offer(ticket, django_capture_on_commit_callbacks)
    other = client_of(make_user())
    assert other.get(f"/mes-billets/{ticket.pk}/transferer/").status_code == 404
    assert (
        other.post(f"/mes-billets/{ticket.pk}/transferer/", {"email": "a@b.fr"}).status_code == 404
    )
    cancel_url = f"/mes-billets/transferts/{transfer.pk}/annuler/"
    assert other.get(cancel_url).status_code == 404
    assert other.post(cancel_url, {"confirm": "1"}).status_code == 404
    assert Transfer.objects.get().state == TransferState.PENDING


@pytest.mark.django_db
def test_cancel_asks_first(ticket, holder, django_capture_on_commit_callbacks):
    transfer, _ = offer(ticket, django_capture_on_commit_callbacks)
    url = f"/mes-billets/transferts/{transfer.pk}/annuler/"
    question = html_of(holder.get(url))
    assert "Annuler le transfert ?" in question and "teddy@example.fr" in question
    assert Transfer.objects.get().state == TransferState.PENDING
    response = holder.post(url, {"confirm": "1"}, follow=True)
    assert "Transfert annulé" in html_of(response)
    assert Transfer.objects.get().state == TransferState.CANCELLED
    assert holder.get(url).status_code == 404  # nothing pending any more


@pytest.mark.django_db
def test_no_transfer_near_the_event(ticket, holder):
    ticket.event.starts_at = timezone.now() + timezone.timedelta(hours=47)
    ticket.event.save()
    assert "Transférer ce billet" not in html_of(holder.get("/mes-billets/"))
    response = holder.get(f"/mes-billets/{ticket.pk}/transferer/", follow=True)
    assert "Les transferts de billets pour cette épreuve sont fermés" in html_of(response)


@pytest.mark.django_db
def test_the_link_asks_to_log_in_then_accepts(
    ticket, make_user, django_capture_on_commit_callbacks
):
    _, token = offer(ticket, django_capture_on_commit_callbacks)
    url = f"/billets/transfert/{token}/"
    anonymous = html_of(Client().get(url))
    assert f"/connexion/?next={url}" in anonymous and f"/inscription/?next={url}" in anonymous
    recipient = make_user(email="teddy@example.fr")
    client = client_of(recipient)
    assert "Accepter le billet" in html_of(client.get(url))
    response = client.post(url)
    new = Ticket.objects.get(holder=recipient)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.TRANSFERRED
    # The sender no longer has it; the recipient does.
    assert ticket.number not in html_of(client_of(ticket.holder).get("/mes-billets/"))
    assert new.number in html_of(client.get("/mes-billets/"))
    # The link is spent.
    spent = client.get(url)
    assert spent.status_code == 404 and "n'est plus valable" in html_of(spent)


@pytest.mark.django_db
def test_another_account_cannot_accept(ticket, make_user, django_capture_on_commit_callbacks):
    _, token = offer(ticket, django_capture_on_commit_callbacks)
    client = client_of(make_user(email="someone@example.fr"))
    for response in (
        client.get(f"/billets/transfert/{token}/"),
        client.post(f"/billets/transfert/{token}/"),
    ):
        assert response.status_code == 403
        assert "Ce billet est destiné à l'adresse teddy@example.fr" in html_of(response)
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.VALID


@pytest.mark.django_db
def test_an_unknown_link(client):
    response = client.get("/billets/transfert/nimporte-quoi/")
    assert response.status_code == 404 and "n'est plus valable" in html_of(response)
