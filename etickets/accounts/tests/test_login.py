import datetime
import logging
from html import unescape
from importlib import import_module

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, password_values

SAME_MESSAGE = "Adresse email ou mot de passe incorrect."


def login(client, email, password=PASSWORD, ip="203.0.113.7", **extra):
    data = {"email": email, "password": password, **extra}
    return client.post("/connexion/", data, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_page_follows_the_manual(client):
    html = unescape(client.get("/connexion/").content.decode())
    for text in (
        "Adresse email",
        "Mot de passe",
        "Se souvenir de moi",
        "Se connecter</button>",
        "Mot de passe oublié ?",
    ):
        assert text in html


@pytest.mark.django_db
def test_login_rotates_the_session_and_opens_it(client, make_user):
    user = make_user()
    client.get("/connexion/")
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = login(client, user.email.upper())
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_unknown_email_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user()
    wrong_password = unescape(login(client, user.email, "Mauvais-1234!").content.decode())
    unknown = unescape(login(client, "personne@example.fr").content.decode())
    assert SAME_MESSAGE in wrong_password
    assert SAME_MESSAGE in unknown
    inactive = make_user(is_active=False)
    assert SAME_MESSAGE in unescape(login(client, inactive.email).content.decode())


@pytest.mark.django_db
def test_remember_me_keeps_the_session_30_days(client, make_user):
    user = make_user()
    login(client, user.email, remember_me="on")
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 30 * 24 * 3600
    assert client.cookies["sessionid"]["max-age"] == 30 * 24 * 3600


@pytest.mark.django_db
def test_without_remember_me_the_session_ends_with_the_browser_and_within_a_day(client, make_user):
    """Item 7: a browser left open (or a copied cookie) kept the session 30 days on the
    server; now a day without use ends it there."""
    user = make_user()
    login(client, user.email)
    assert client.session.get_expire_at_browser_close()
    assert client.cookies["sessionid"]["max-age"] == ""
    assert client.session.get_expiry_age() == 24 * 3600
    session = import_module(settings.SESSION_ENGINE).SessionStore(client.session.session_key)
    assert session.get_expiry_date() <= timezone.now() + datetime.timedelta(days=1)
    if hasattr(session, "model"):  # the database's sessions: the row itself says so
        row = session.model.objects.get(session_key=session.session_key)
        assert row.expire_date <= timezone.now() + datetime.timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/offres/", "/offres/"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_to_this_site(client, make_user, next_url, expected):
    user = make_user()
    response = login(client, user.email, next=next_url)
    assert response.url == expected


@pytest.mark.django_db
def test_logout_is_a_post(client, make_user):
    client.force_login(make_user())
    assert client.get("/deconnexion/").status_code == 405
    assert client.post("/deconnexion/").status_code == 302
    assert "_auth_user_id" not in client.session


LOCK_MESSAGE = (
    "Par sécurité, après 5 essais infructueux pour un même compte, ou depuis une même connexion "
    "Internet (adresse IP) quel que soit le compte, les connexions sont bloquées pendant 15 "
    "minutes."
)


@pytest.mark.django_db
def test_five_failures_on_one_account_lock_it_from_everywhere(make_user):
    user = make_user()
    for attempt in range(5):
        response = login(Client(), user.email, "Mauvais-1234!", ip=f"198.51.100.{attempt}")
        assert response.status_code in (200, 429)
    response = login(Client(), user.email, ip="192.0.2.99")  # the right password
    assert response.status_code == 429
    html = " ".join(unescape(response.content.decode()).split())
    assert "Trop de tentatives de connexion" in html
    assert LOCK_MESSAGE in html


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_it_for_every_account(make_user):
    """Credential stuffing: one address trying many accounts is stopped too."""
    user = make_user()
    for attempt in range(5):
        login(Client(), f"inconnu{attempt}@example.fr", ip="198.51.100.77")
    response = login(Client(), user.email, ip="198.51.100.77")
    assert response.status_code == 429
    assert LOCK_MESSAGE in " ".join(unescape(response.content.decode()).split())
    assert login(Client(), user.email, ip="198.51.100.78").status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_15_minutes(make_user):
    user = make_user()
    for _ in range(5):
        login(Client(), user.email, "Mauvais-1234!")
    assert login(Client(), user.email).status_code == 429
    past = timezone.now() - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=past)
    AccessAttemptExpiration.objects.update(expires_at=past)
    assert login(Client(), user.email).status_code == 302


@pytest.mark.django_db
def test_lockout_is_logged(make_user, caplog):
    user = make_user()
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(6):
        login(Client(), user.email, "Mauvais-1234!")
    assert any(
        "Locking out" in record.getMessage() and record.levelno == logging.WARNING
        for record in caplog.records
    )


@pytest.mark.django_db
def test_a_refused_login_is_summarised_and_keeps_the_password_only_if_not_in_question(
    client, make_user
):
    user = make_user()
    html = unescape(login(client, "pas-une-adresse", password=PASSWORD).content.decode())
    assert '<a href="#id_email">Adresse email : Saisissez une adresse email valide' in html
    assert password_values(html) == {"password": PASSWORD}
    # Wrong credentials: the password may be what is wrong.
    html = unescape(login(client, user.email, password="Mauvais-1234!").content.decode())
    assert f'<a href="#id_email">{SAME_MESSAGE}</a>' in html
    assert password_values(html) == {"password": ""}
