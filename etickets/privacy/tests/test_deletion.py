import datetime
from html import unescape

import pyotp
import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client, TestCase
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from etickets.accounts import services as accounts
from etickets.accounts.models import User
from etickets.api.models import ApiToken
from etickets.invoices.models import Invoice
from etickets.orders.models import Order
from etickets.payments.models import Payment
from etickets.privacy import services
from etickets.privacy.models import DataExport
from etickets.support.models import ContactMessage, ProblemReport, Screenshot
from etickets.tickets.models import Ticket

from .conftest import EMAIL, FIRST_NAME, IP, LAST_NAME, RECIPIENT, REPORT_TEXT, USERNAME

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_naming(needle: str) -> list[str]:
    """Every row of every table whose text columns hold ``needle``, as « model.field »."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.GenericIPAddressField):
                lookup = {field.name: needle} if needle.count(".") == 3 else None
            elif isinstance(field, TEXT_FIELDS):
                lookup = {f"{field.name}__icontains": needle}
            else:
                continue
            if lookup and model._default_manager.filter(**lookup).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def totp_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return pyotp.TOTP(accounts.totp_secret_for_display(device).replace(" ", "")).now()


def delete_through_the_page(client, user, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/compte/supprimer/", {"password": PASSWORD, **data})


@pytest.mark.django_db
def test_deletion_leaves_no_personal_data_anywhere_and_keeps_the_accounts(populated):
    account, other, _other_order = populated
    user, order = account.user, account.order
    for needle in (EMAIL, FIRST_NAME, LAST_NAME, USERNAME, IP, RECIPIENT, REPORT_TEXT):
        assert rows_naming(needle), f"the fixture should have put {needle} somewhere"
    shot_path = Screenshot.objects.get(report__user=user).file.path
    amounts = (order.total_cents, order.payment.amount_cents, order.tickets.count())
    other_rows = {needle: rows_naming(needle) for needle in (other.email, "Voisin")}
    sessions = Session.objects.count()
    assert sessions >= 2  # this account's login in the fixture, and the neighbour's

    client = Client()
    client.force_login(user)
    services.request_export(user=user)
    response = delete_through_the_page(client, user, code=totp_code(user))
    assert response.status_code == 302 and response.url == "/"

    for needle in (EMAIL, FIRST_NAME, LAST_NAME, USERNAME, IP, RECIPIENT, REPORT_TEXT):
        assert rows_naming(needle) == [], needle
    import os

    assert not os.path.exists(shot_path)
    # What the accountants keep, without a name.
    order.refresh_from_db()
    assert (order.total_cents, order.payment.amount_cents, order.tickets.count()) == amounts
    assert Payment.objects.get(order=order).last4 == "4242"
    # The invoice stays, its number and amounts too, without the buyer's name nor address.
    invoice = Invoice.objects.get(order=order)
    assert (invoice.number, invoice.total_cents) == ("F-000001", order.total_cents)
    assert invoice.buyer_name == "Client (compte supprimé)"
    user.refresh_from_db()
    assert user.deleted_at and not user.is_active and not user.has_usable_password()
    assert user.email == services.anonymous_email(user.pk) and not user.first_name
    assert Order.objects.get(pk=order.pk).user_id == user.pk
    assert Ticket.objects.filter(holder=user).count() == amounts[2]
    # Logged out everywhere, nothing left to log in with.
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert client.get("/compte/").status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not DataExport.objects.filter(user=user).exists()
    assert ProblemReport.objects.get(user=user).erased_at
    assert ContactMessage.objects.filter(user=user, erased_at__isnull=False).exists()
    login = Client().post("/connexion/", {"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session
    # The neighbour's data is untouched.
    assert {needle: rows_naming(needle) for needle in other_rows} == other_rows
    assert User.objects.get(pk=other.pk).is_active


@pytest.mark.django_db
def test_deletion_is_refused_while_tickets_may_still_enter_an_event_to_come(
    client, make_user, make_offer
):
    from etickets.privacy.tests.conftest import _buy

    user = make_user()
    order = _buy(user, make_offer())
    client.force_login(user)
    page = client.get("/compte/supprimer/")
    assert page.status_code == 409
    assert "transférez-les ou revendez-les d'abord" in unescape(page.content.decode())
    response = delete_through_the_page(client, user)
    assert response.status_code == 409
    with pytest.raises(services.TicketsStillValid):
        services.delete_account(user=user)
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None

    # Used, or the event past: nothing stops it any more.
    ticket, *others = order.tickets.all()
    Ticket.objects.filter(pk=ticket.pk).update(used_at=timezone.now())
    Ticket.objects.filter(pk__in=[t.pk for t in others]).update(state="cancelled")
    assert services.deletion_refusal(user) is None


@pytest.mark.django_db
def test_a_listed_ticket_also_stops_it(make_user, make_offer):
    from etickets.privacy.tests.conftest import _buy

    user = make_user()
    order = _buy(user, make_offer(), quantity=1)
    order.tickets.update(state="listed")
    assert isinstance(services.deletion_refusal(user), services.TicketsStillValid)
    order.tickets.update(state="transferred")
    assert services.deletion_refusal(user) is None


@pytest.mark.django_db
def test_a_wrong_password_is_refused_next_to_its_field(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post("/compte/supprimer/", {"password": "Pas-le-bon-2024!"})
    assert response.status_code == 200
    assert "Mot de passe incorrect." in unescape(response.content.decode())
    assert 'id="id_password_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None
    empty = client.post("/compte/supprimer/", {"password": ""})
    assert empty.status_code == 200 and 'id="id_password_error"' in empty.content.decode()
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_the_second_factor_is_asked_when_the_account_has_it(client, make_user):
    user = make_user()
    device = accounts.totp_device_in_setup(user)
    device.confirmed = True
    device.save()
    client.force_login(user)
    assert 'name="code"' in client.get("/compte/supprimer/").content.decode()
    missing = client.post("/compte/supprimer/", {"password": PASSWORD})
    assert missing.status_code == 200 and 'id="id_code_error"' in missing.content.decode()
    wrong = client.post("/compte/supprimer/", {"password": PASSWORD, "code": "000000"})
    assert "Code incorrect ou déjà utilisé." in unescape(wrong.content.decode())
    user.refresh_from_db()
    assert user.is_active
    done = client.post("/compte/supprimer/", {"password": PASSWORD, "code": totp_code(user)})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.deleted_at is not None


@pytest.mark.django_db
def test_without_2fa_the_password_is_enough_and_other_sessions_end(make_user):
    user = make_user()
    elsewhere = Client()
    elsewhere.force_login(user)
    here = Client()
    here.force_login(user)
    assert elsewhere.get("/compte/").status_code == 200
    assert 'name="code"' not in here.get("/compte/supprimer/").content.decode()
    response = here.post("/compte/supprimer/", {"password": PASSWORD}, follow=True)
    assert "Votre compte est supprimé" in unescape(response.content.decode())
    assert elsewhere.get("/compte/").status_code == 302
    # An account deleted long ago stays deleted: a second call changes nothing.
    user.refresh_from_db()
    deleted_at = user.deleted_at
    services.delete_account(user=user)
    user.refresh_from_db()
    assert user.deleted_at == deleted_at
    assert deleted_at <= timezone.now() < deleted_at + datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_event_s_day_still_stops_it_after_the_start(make_user, make_offer, make_event):
    """The gates let latecomers in to the end of the event's day."""
    from etickets.catalog.models import Event
    from etickets.privacy.tests.conftest import _buy

    user = make_user()
    offer = make_offer()
    _buy(user, offer, quantity=1)
    started = timezone.localtime().replace(hour=0, minute=1, second=0)  # earlier today
    Event.objects.filter(pk=offer.event_id).update(starts_at=started)
    assert isinstance(services.deletion_refusal(user), services.TicketsStillValid)
    Event.objects.filter(pk=offer.event_id).update(starts_at=started - datetime.timedelta(days=1))
    assert services.deletion_refusal(user) is None


@pytest.mark.django_db
def test_an_unverified_address_neither_gets_nor_erases_its_owner_s_messages(make_user):
    """Anyone may sign up with somebody else's address: its owner's guest messages stay
    theirs until the account proves the address."""
    from etickets.privacy.export import collect
    from etickets.support.models import ContactMessage

    owner_message = ContactMessage.objects.create(
        name="Vraie Personne", email="vraie@example.fr", subject="Billet", message="Bonjour"
    )
    squatter = make_user(email="vraie@example.fr", email_verified_at=None)
    assert collect(squatter, {})["messages_de_contact"] == []
    services.delete_account(user=squatter)
    owner_message.refresh_from_db()
    assert owner_message.erased_at is None and owner_message.message == "Bonjour"
