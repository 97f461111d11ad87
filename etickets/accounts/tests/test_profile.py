import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD, password_values


@pytest.fixture
def logged_in(client, make_user):
    user = make_user(email="camille@example.fr", username="camille")
    client.force_login(user)
    return client, user


def profile_data(**overrides):
    data = {
        "username": "camille",
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.fr",
        "current_password": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_account_pages_need_login(client):
    for path in ("/compte/", "/compte/profil/", "/compte/securite/", "/compte/mot-de-passe/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"/connexion/?next={path}"


@pytest.mark.django_db
def test_account_hub_links_its_sections(logged_in):
    client, _ = logged_in
    html = unescape(client.get("/compte/").content.decode())
    for text in ("Profil", "Sécurité", "Mot de passe", "Bonjour Camille"):
        assert text in html


@pytest.mark.django_db
def test_profile_update(logged_in):
    client, user = logged_in
    html = unescape(client.get("/compte/profil/").content.decode())
    assert "Enregistrer les modifications</button>" in html
    response = client.post(
        "/compte/profil/", profile_data(first_name="Camila", last_name="Martín"), follow=True
    )
    assert "Vos modifications ont été enregistrées." in unescape(response.content.decode())
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Camila", "Martín")


def _link(email) -> str:
    found = re.search(r"/compte/adresse/[^/\s]+/", email.body)
    assert found, email.body
    return found.group(0)


@pytest.mark.django_db(transaction=True)
def test_changing_email_needs_the_password_then_a_link_from_the_new_mailbox(logged_in):
    client, user = logged_in
    response = client.post("/compte/profil/", profile_data(email="nouvelle@example.fr"))
    assert "Saisissez votre mot de passe actuel" in unescape(response.content.decode())
    assert not mail.outbox
    response = client.post(
        "/compte/profil/",
        profile_data(email="Nouvelle@Example.fr", current_password=PASSWORD),
        follow=True,
    )
    assert "cliquez sur le lien que nous venons d'y envoyer" in unescape(response.content.decode())
    user.refresh_from_db()
    assert user.email == "camille@example.fr"  # not before the link
    (confirmation,) = mail.outbox
    assert confirmation.to == ["nouvelle@example.fr"]
    link = _link(confirmation)
    page = client.get(link)
    assert "nouvelle@example.fr" in unescape(page.content.decode())
    user.refresh_from_db()
    assert user.email == "camille@example.fr"  # a mail scanner's visit changes nothing
    done = client.post(link, follow=True)
    assert "votre compte utilise désormais l'adresse nouvelle@example.fr" in unescape(
        done.content.decode()
    )
    user.refresh_from_db()
    assert user.email == "nouvelle@example.fr"
    notice = mail.outbox[-1]
    assert notice.to == ["camille@example.fr"] and "nouvelle@example.fr" in notice.body
    again = client.post(link)  # used: the account's address is no longer the one it was for
    assert again.status_code == 400
    assert "n'est plus valable" in unescape(again.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ:1abc:def"])
def test_a_forged_email_change_link_changes_nothing(client, token):
    response = client.post(f"/compte/adresse/{token}/")
    assert response.status_code == 400
    assert "n'est plus valable" in unescape(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_the_profile_does_not_tell_who_has_an_address(logged_in, make_user):
    """The attack: type someone's address in one's profile to learn they are a customer."""
    client, _user = logged_in
    make_user(email="autre@example.fr", username="Autre")
    taken = client.post(
        "/compte/profil/",
        profile_data(username="autre", email="AUTRE@example.fr", current_password=PASSWORD),
    )
    assert list(taken.context["form"].errors) == ["username"]  # usernames are public choices
    answers = []
    for address in ("autre@example.fr", "libre@example.fr"):
        response = client.post(
            "/compte/profil/",
            profile_data(email=address, current_password=PASSWORD),
            follow=True,
        )
        answers.append(unescape(response.content.decode()).count("cliquez sur le lien"))
    assert answers == [1, 1]
    warning, confirmation = mail.outbox
    assert warning.to == ["autre@example.fr"]
    assert warning.subject == "Tentative d'utiliser votre adresse email"
    assert confirmation.to == ["libre@example.fr"]


@pytest.mark.django_db
def test_password_change_keeps_this_session_and_ends_the_others(logged_in):
    client, user = logged_in
    other = Client()
    other.force_login(user)
    new = "Nouveau-Record-2024!"
    wrong = client.post(
        "/compte/mot-de-passe/",
        {"old_password": "faux", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/compte/").status_code == 200
    assert other.get("/compte/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_english_speakers_get_english_emails(client):
    client.post("/langue/", {"language": "en", "next": "/"})
    password = "Saut-a-la-perche-6m24"
    client.post(
        "/inscription/",
        {
            "username": "jesse",
            "email": "jesse@example.com",
            "last_name": "Owens",
            "first_name": "Jesse",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
        },
    )
    (email,) = mail.outbox
    assert email.subject == "Welcome to JO E-Tickets"
    assert "Hello Jesse" in email.body


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_account(logged_in):
    client, user = logged_in
    client.post("/langue/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.django_db
def test_password_change_shows_each_error_next_to_its_field(logged_in):
    client, _ = logged_in
    weak = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": "faible", "new_password2": "faible"},
    )
    errors = weak.context["form"].errors
    assert "trop court" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors
    new = "Nouveau-Record-2024!"
    mismatch = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new + "x"},
    )
    errors = mismatch.context["form"].errors
    assert errors["new_password2"] == ["Les deux mots de passe ne correspondent pas."]
    assert "new_password1" not in errors


@pytest.mark.django_db
def test_profile_shows_the_sites_username_help_as_sign_up_does(logged_in):
    client, _ = logged_in
    html = unescape(client.get("/compte/profil/").content.decode())
    assert "150 caractères au plus : lettres, chiffres et @ . + - _ uniquement." in html
    assert "Requis. 150 caractères" not in html
    signup = unescape(Client().get("/inscription/").content.decode())
    pattern = r'<div class="field-help" id="id_username_helptext">.*?</div>'
    assert re.search(pattern, html, re.S).group() == re.search(pattern, signup, re.S).group()


@pytest.mark.django_db
def test_profile_refuses_a_username_with_forbidden_characters(logged_in):
    client, user = logged_in
    response = client.post("/compte/profil/", profile_data(username="camille martin!"))
    assert "username" in response.context["form"].errors
    user.refresh_from_db()
    assert user.username == "camille"


@pytest.mark.django_db
def test_a_refused_change_keeps_the_passwords_that_were_not_refused(logged_in, make_user):
    client, _ = logged_in
    new = "Nouveau-Record-2024!"
    wrong_old = client.post(
        "/compte/mot-de-passe/",
        {"old_password": "Mauvais-2024!", "new_password1": new, "new_password2": new},
    )
    html = wrong_old.content.decode()
    assert password_values(html) == {"old_password": "", "new_password1": new, "new_password2": new}
    assert "no-store" in wrong_old["Cache-Control"]
    weak = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": "faible", "new_password2": "faible"},
    )
    html = weak.content.decode()
    # The confirmation of a refused password is typed again with it.
    assert password_values(html) == {
        "old_password": PASSWORD,
        "new_password1": "",
        "new_password2": "",
    }

    make_user(username="prise")
    taken = client.post(
        "/compte/profil/",
        profile_data(username="prise", email="camille.new@example.fr", current_password=PASSWORD),
    )
    assert password_values(taken.content.decode()) == {"current_password": PASSWORD}
