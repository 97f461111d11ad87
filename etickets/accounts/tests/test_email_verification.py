"""Verified addresses: the link sent at sign-up and from « Mon compte », the resend's limit,
and the selector a queued sale asks."""

import re
import time
from html import unescape

import pytest
from django.core import mail, signing

from conftest import PASSWORD
from etickets.accounts import selectors, services

from .test_signup import form_data


def _link(email) -> str:
    found = re.search(r"/compte/verification/[^/\s]+/", email.body)
    assert found, email.body
    return found.group(0)


@pytest.fixture
def logged_in(client, make_user):
    user = make_user(email="camille@example.fr", username="camille")
    client.force_login(user)
    return client, user


def _resend(client):
    return client.post("/compte/verification/", follow=True)


@pytest.mark.django_db(transaction=True)
def test_signup_sends_one_email_whose_link_verifies_the_address(client, django_user_model):
    client.post("/inscription/", form_data())
    (welcome,) = mail.outbox
    assert welcome.subject == "Bienvenue sur JO E-Tickets"
    assert "dans les 24 heures" in welcome.body
    user = django_user_model.objects.get()
    assert not selectors.has_verified_email(user=user)
    link = _link(welcome)
    page = client.get(link)
    assert "marie.perec@example.fr" in unescape(page.content.decode())
    user.refresh_from_db()
    assert user.email_verified_at is None  # a mail scanner's visit changes nothing
    done = client.post(link, follow=True)
    assert done.redirect_chain[-1][0] == "/connexion/"
    assert "votre adresse email marie.perec@example.fr est vérifiée" in unescape(
        done.content.decode()
    )
    user.refresh_from_db()
    assert selectors.has_verified_email(user=user)


@pytest.mark.django_db(transaction=True)
def test_english_speakers_get_the_link_in_english(client):
    client.post("/langue/", {"language": "en", "next": "/"})
    client.post("/inscription/", form_data())
    (welcome,) = mail.outbox
    assert "Verify my address" in welcome.alternatives[0][0]
    assert "within 24 hours" in welcome.body


@pytest.mark.django_db(transaction=True)
def test_a_used_link_fails_cleanly(logged_in):
    client, user = logged_in
    _resend(client)
    link = _link(mail.outbox[-1])
    client.post(link)
    verified_at = type(user).objects.get(pk=user.pk).email_verified_at
    assert verified_at is not None
    for again in (client.get(link), client.post(link)):
        assert again.status_code == 400
        assert "Ce lien de vérification n'est plus valable" in unescape(again.content.decode())
    assert type(user).objects.get(pk=user.pk).email_verified_at == verified_at


@pytest.mark.django_db(transaction=True)
def test_a_link_older_than_a_day_fails(logged_in, monkeypatch):
    client, user = logged_in
    day_ago = int(time.time()) - services.ADDRESS_LINK_MAX_AGE - 1
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(day_ago)
    )
    services.send_verification_link(user=user)
    monkeypatch.undo()
    response = client.post(_link(mail.outbox[-1]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ:1abc:def"])
def test_a_forged_link_changes_nothing(client, token):
    response = client.post(f"/compte/verification/{token}/")
    assert response.status_code == 400
    assert "n'est plus valable" in unescape(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_tampered_link_or_one_signed_for_another_use_fails(logged_in):
    client, user = logged_in
    services.send_verification_link(user=user)
    link = _link(mail.outbox[-1])
    token = link.split("/")[-2]
    change_token = signing.dumps(
        {"user": user.pk, "old": user.email}, salt=services.EMAIL_CHANGE_SALT
    )
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), change_token):
        assert client.post(f"/compte/verification/{bad}/").status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.django_db(transaction=True)
def test_a_link_for_an_old_address_fails_and_the_new_one_is_verified_by_its_change(logged_in):
    client, user = logged_in
    _resend(client)
    old_link = _link(mail.outbox[-1])
    client.post(
        "/compte/profil/",
        {
            "username": "camille",
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "nouvelle@example.fr",
            "current_password": PASSWORD,
        },
    )
    change_link = re.search(r"/compte/adresse/[^/\s]+/", mail.outbox[-1].body).group(0)
    client.post(change_link)
    user.refresh_from_db()
    assert user.email == "nouvelle@example.fr"
    assert selectors.has_verified_email(user=user)  # the change's link proved the new address
    response = client.post(old_link)
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_mon_compte_shows_the_status_and_resends_the_link_once_per_few_minutes(logged_in):
    client, _user = logged_in
    html = unescape(client.get("/compte/").content.decode())
    assert "Adresse email non vérifiée" in html
    assert "Envoyer le lien de vérification</button>" in html
    sent = _resend(client)
    assert sent.redirect_chain[-1][0] == "/compte/"
    assert "Nous venons d'envoyer un lien de vérification à camille@example.fr" in unescape(
        sent.content.decode()
    )
    (email,) = mail.outbox
    assert email.to == ["camille@example.fr"]
    assert email.subject == "Vérifiez votre adresse email"
    too_soon = unescape(_resend(client).content.decode())
    assert "il y a moins de 5 minutes" in too_soon
    assert len(mail.outbox) == 1
    client.post(_link(email))
    html = unescape(client.get("/compte/").content.decode())
    assert "Adresse email vérifiée" in html
    assert "Envoyer le lien de vérification" not in html


@pytest.mark.django_db
def test_resending_needs_a_post_from_a_signed_in_account(client, logged_in):
    signed_in, _user = logged_in
    assert signed_in.get("/compte/verification/").status_code == 405
    signed_in.logout()
    response = client.post("/compte/verification/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_a_verified_account_gets_no_new_link(make_user):
    user = make_user()
    services.send_verification_link(user=user)
    link = _link(mail.outbox[-1])
    services.verify_email(token=link.split("/")[-2])
    user.refresh_from_db()
    services.send_verification_link(user=user)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_selector_reads_the_loaded_account(make_user, django_assert_num_queries):
    user = make_user()
    with django_assert_num_queries(0):
        assert selectors.has_verified_email(user=user) is False
    with pytest.raises(TypeError):
        selectors.has_verified_email(user)  # keyword-only
