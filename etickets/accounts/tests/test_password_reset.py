import re
from html import unescape

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client, TestCase

from conftest import PASSWORD

NEW = "Nouveau-Record-2024!"


def without_tokens(content: bytes) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", content.decode())


def reset_link(client, email):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/mot-de-passe-oublie/", {"email": email})
    (message,) = mail.outbox
    path = re.search(r"https?://[^/]+(/reinitialiser/[^/\s]+/[^/\s]+/)", message.body).group(1)
    return message, path


@pytest.mark.django_db
def test_same_confirmation_whether_or_not_the_account_exists(client, make_user):
    user = make_user()
    with TestCase.captureOnCommitCallbacks(execute=True):
        known = client.post("/mot-de-passe-oublie/", {"email": user.email.upper()}, follow=True)
        unknown = Client().post("/mot-de-passe-oublie/", {"email": "nul@example.fr"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/mot-de-passe-oublie/envoye/", 302)]
    assert without_tokens(known.content) == without_tokens(unknown.content)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


@pytest.mark.django_db
def test_reset_page_follows_the_manual(client):
    html = unescape(client.get("/mot-de-passe-oublie/").content.decode())
    assert "Adresse email" in html
    assert "Envoyer le lien de réinitialisation</button>" in html


@pytest.mark.django_db
def test_reset_email_is_html_and_text_in_the_users_language(client, make_user):
    user = make_user(language="en")
    message, path = reset_link(client, user.email)
    assert message.subject == "Reset your JO E-Tickets password"
    assert path in message.alternatives[0][0]


@pytest.mark.django_db
def test_link_works_once_and_ends_every_other_session(client, make_user):
    user = make_user()
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get("/compte/").status_code == 200

    _, path = reset_link(client, user.email)
    form_url = client.get(path).url  # Django swaps the token for a session marker
    weak = client.post(form_url, {"new_password1": "faible", "new_password2": "faible"})
    assert "trop court" in unescape(weak.content.decode())
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.url == "/reinitialiser/termine/"
    user.refresh_from_db()
    assert user.check_password(NEW)

    assert elsewhere.get("/compte/").status_code == 302  # logged out
    again = Client().get(path, follow=True)
    assert "n'est plus valable" in unescape(again.content.decode())


@pytest.mark.django_db
def test_link_expires_after_an_hour(client, make_user, monkeypatch):
    user = make_user()
    _, path = reset_link(client, user.email)
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator,
        "_now",
        lambda self: real_now(self) + __import__("datetime").timedelta(hours=1, minutes=1),
    )
    response = Client().get(path, follow=True)
    assert "n'est plus valable" in unescape(response.content.decode())
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def reset_form_url(client, user):
    _, path = reset_link(client, user.email)
    return client.get(path).url  # Django swaps the token for a session marker


@pytest.mark.django_db
def test_broken_rules_show_next_to_the_new_password_and_a_mismatch_next_to_the_confirmation(
    client, make_user
):
    form_url = reset_form_url(client, make_user())
    weak = client.post(form_url, {"new_password1": "faible", "new_password2": "faible"})
    errors = weak.context["form"].errors
    assert "trop court" in " ".join(errors["new_password1"])
    assert "majuscule" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors
    html = unescape(weak.content.decode())
    assert "trop court" in re.search(r'id="id_new_password1_error".*?</ul>', html, re.S).group()

    mismatch = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    errors = mismatch.context["form"].errors
    assert errors["new_password2"] == ["Les deux mots de passe ne correspondent pas."]
    assert "new_password1" not in errors

    # Rules are checked on what was typed first, whatever the confirmation holds.
    both = client.post(form_url, {"new_password1": "faible", "new_password2": NEW})
    errors = both.context["form"].errors
    assert "trop court" in " ".join(errors["new_password1"])
    assert errors["new_password2"] == ["Les deux mots de passe ne correspondent pas."]


@pytest.mark.django_db
def test_new_password_help_is_the_sites_sentence_in_a_block_tied_to_the_field(client, make_user):
    form_url = reset_form_url(client, make_user())
    html = unescape(client.get(form_url).content.decode())
    help_block = re.search(
        r'<div class="field-help" id="id_new_password1_helptext">(.*?)</div>', html, re.S
    )
    assert help_block.group(1).startswith("Au moins 8 caractères, dont une majuscule")
    assert re.search(r'<input[^>]*aria-describedby="id_new_password1_helptext"', html)
    assert '<p class="field-help" id=' not in html  # a <p> cannot hold a list: browsers split it


@pytest.mark.django_db
def test_a_password_reset_lifts_the_login_lock(client, make_user):
    user = make_user()

    def log_in(password):
        data = {"email": user.email, "password": password}
        return Client().post("/connexion/", data, REMOTE_ADDR="198.51.100.7")

    for _ in range(5):
        log_in("Mauvais-1234!")
    assert log_in(PASSWORD).status_code == 429
    form_url = reset_form_url(client, user)
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert log_in(NEW).status_code == 302
