import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD


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


@pytest.mark.django_db
def test_changing_email_needs_the_current_password(logged_in):
    client, user = logged_in
    response = client.post("/compte/profil/", profile_data(email="nouvelle@example.fr"))
    assert "Saisissez votre mot de passe actuel" in unescape(response.content.decode())
    user.refresh_from_db()
    assert user.email == "camille@example.fr"
    client.post(
        "/compte/profil/",
        profile_data(email="Nouvelle@Example.fr", current_password=PASSWORD),
    )
    user.refresh_from_db()
    assert user.email == "nouvelle@example.fr"


@pytest.mark.django_db
def test_profile_refuses_someone_elses_username_or_email(logged_in, make_user):
    client, _ = logged_in
    make_user(email="autre@example.fr", username="Autre")
    response = client.post(
        "/compte/profil/",
        profile_data(username="autre", email="AUTRE@example.fr", current_password=PASSWORD),
    )
    errors = response.context["form"].errors
    assert "déjà pris" in errors["username"][0]
    assert "déjà utilisée" in errors["email"][0]


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
