import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from conftest import password_values

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
def test_signup_creates_the_account_and_sends_a_welcome_email(client):
    response = client.post("/inscription/", form_data(), follow=True)
    user = User.objects.get()
    assert user.email == "marie.perec@example.fr"
    assert user.first_name == "Marie-José"
    assert len(bytes(user.account_key)) == 32
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    # The manual (§4.3): one can log in at once, with the address and password just chosen.
    assert response.redirect_chain[-1][0].startswith("/connexion/")
    assert "Un email vous a été envoyé à marie.perec@example.fr" in unescape(
        response.content.decode()
    )
    login = {"email": "marie.perec@example.fr", "password": GOOD}
    assert client.post("/connexion/", login).status_code == 302
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
def test_signup_sends_on_to_the_login_then_next(client):
    response = client.post("/inscription/", form_data(next="/offres/"))
    assert response.url == "/connexion/?next=%2Foffres%2F"


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
def test_the_passwords_are_kept_for_another_fields_error(client):
    response = client.post("/inscription/", form_data(accept_terms=""))
    html = response.content.decode()
    assert 'value="marie"' in html
    assert 'value="Marie-José"' in html
    assert password_values(html) == {"password1": GOOD, "password2": GOOD}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("overrides", "kept"),
    [
        # Refused, and so is its confirmation: both typed again.
        ({"password1": "faible", "password2": "faible"}, {"password1": "", "password2": ""}),
        # The confirmation differs: only it is typed again.
        ({"password2": GOOD + "x"}, {"password1": GOOD, "password2": ""}),
    ],
)
@pytest.mark.django_db
def test_a_refused_password_is_typed_again(client, overrides, kept):
    html = client.post("/inscription/", form_data(**overrides)).content.decode()
    assert password_values(html) == kept


@pytest.mark.django_db
def test_a_taken_username_is_reported_whatever_its_case(client, make_user):
    make_user(username="Marie")
    response = client.post("/inscription/", form_data())
    form = response.context["form"]
    assert "Ce nom d'utilisateur est déjà pris" in form.errors["username"][0]
    assert list(form.errors) == ["username"]
    assert User.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_signup_does_not_tell_who_has_an_account(client, make_user):
    """The attack: sign up with someone's address to learn they are a customer. The answer is
    the one a new address gets; the owner is told by e-mail, and their account is untouched."""
    owner = make_user(email="marie.perec@example.fr", first_name="Marie")
    password_before = owner.password
    taken = client.post("/inscription/", form_data(email="MARIE.PEREC@example.fr"), follow=True)
    free = client.post(
        "/inscription/", form_data(email="autre@example.fr", username="autre"), follow=True
    )

    def answer(response):
        page = unescape(response.content.decode()).replace("marie.perec@example.fr", "X")
        # Less what differs on every page: the masked CSRF tokens and the CSP nonces.
        return re.sub(r'(Token": "|value="|nonce=")[^"]+"', "", page)

    assert taken.redirect_chain == free.redirect_chain
    assert answer(taken) == answer(free).replace("autre@example.fr", "X")
    assert User.objects.filter(email__iexact="marie.perec@example.fr").count() == 1
    owner.refresh_from_db()
    assert owner.password == password_before and owner.username != "marie"
    warning, welcome = mail.outbox
    assert warning.to == ["marie.perec@example.fr"]
    assert warning.subject == "Tentative d'utiliser votre adresse email"
    assert "Bonjour Marie" in warning.body and "/mot-de-passe-oublie/" in warning.body
    assert welcome.to == ["autre@example.fr"]


@pytest.mark.django_db
def test_signups_are_rate_limited_per_address(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    for n in range(2):
        response = client.post(
            "/inscription/", form_data(email=f"b{n}@example.fr", username=f"b{n}")
        )
        assert response.status_code == 302
    response = client.post("/inscription/", form_data(email="b3@example.fr", username="b3"))
    assert response.status_code == 200
    assert "Trop d'inscriptions depuis votre connexion" in unescape(response.content.decode())
    assert not User.objects.filter(email="b3@example.fr").exists()
    other = client.post(
        "/inscription/", form_data(email="b4@example.fr", username="b4"), REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_signed_in_users_are_sent_on(client, make_user):
    client.force_login(make_user())
    assert client.get("/inscription/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_owner_of_a_taken_address_is_told_once_an_hour(client, make_user):
    """Sign-ups with someone's address, from ever new client addresses: one e-mail."""
    make_user(email="marie.perec@example.fr")
    for n in range(3):
        client.post("/inscription/", form_data(username=f"m{n}"), REMOTE_ADDR=f"2001:db8::{n + 1}")
    assert len(mail.outbox) == 1
