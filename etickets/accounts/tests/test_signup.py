from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

User = get_user_model()
GOOD = "Saut-à-la-perche-6m24"


def form_data(**overrides):
    data = {
        "username": "marie",
        "email": "Marie.Perec@Example.fr",
        "last_name": "Pérec",
        "first_name": "Marie-José",
        "password1": GOOD,
        "password2": GOOD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_page_has_the_manual_fields(client):
    html = unescape(client.get("/inscription/").content.decode())
    for label in (
        "Nom d'utilisateur",
        "Adresse email",
        "Nom",
        "Prénom",
        "Mot de passe",
        "Confirmation du mot de passe",
        "J'accepte les conditions d'utilisation",
        "S'inscrire</button>",
        "Force du mot de passe",
    ):
        assert label in html, label
    assert 'href="/cgu/"' in html
    assert 'aria-live="polite"' in html


@pytest.mark.django_db(transaction=True)
def test_signup_logs_in_at_once_and_sends_a_welcome_email(client):
    response = client.post("/inscription/", form_data())
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "marie.perec@example.fr"
    assert user.first_name == "Marie-José"
    assert len(bytes(user.account_key)) == 32
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert client.get("/compte/").status_code == 200
    (email,) = mail.outbox
    assert email.to == ["marie.perec@example.fr"]
    assert email.subject == "Bienvenue sur JO E-Tickets"
    assert "Bonjour Marie-José" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "Découvrir les offres" in html
    assert bytes(user.account_key).hex() not in email.body + html


@pytest.mark.django_db
def test_signup_returns_to_next(client):
    response = client.post("/inscription/", form_data(next="/offres/"))
    assert response.url == "/offres/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse email valide"),
        ({"password2": GOOD + "x"}, "password2", "Les deux mots de passe ne correspondent pas."),
        ({"accept_terms": ""}, "accept_terms", "Vous devez accepter les conditions d"),
        ({"password1": "faible", "password2": "faible"}, "password1", "trop court"),
        ({"username": "marie pérec"}, "username", "nom d’utilisateur valide"),
    ],
)
def test_signup_errors_are_french_and_next_to_the_field(client, overrides, field, message):
    response = client.post("/inscription/", form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_fields_are_kept_but_never_the_passwords(client):
    html = client.post("/inscription/", form_data(accept_terms="")).content.decode()
    assert 'value="marie"' in html
    assert 'value="Marie-José"' in html
    assert GOOD not in html


@pytest.mark.django_db
def test_duplicate_email_and_username_whatever_their_case(client, make_user):
    make_user(email="marie.perec@example.fr", username="Marie")
    response = client.post("/inscription/", form_data(email="MARIE.PEREC@example.fr"))
    form = response.context["form"]
    assert "Un compte existe déjà avec cette adresse email" in form.errors["email"][0]
    assert "Ce nom d'utilisateur est déjà pris" in form.errors["username"][0]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signed_in_users_are_sent_on(client, make_user):
    client.force_login(make_user())
    assert client.get("/inscription/").status_code == 302
