"""TOTP (RFC 6238) through django-otp, checked against an independent implementation (pyotp)."""

import re
import time
from html import unescape

import pyotp
import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from etickets.accounts import security, services


def authenticator(device) -> pyotp.TOTP:
    return pyotp.TOTP(services.totp_secret_for_display(device).replace(" ", ""))


@pytest.fixture
def two_factor_user(make_user):
    """A user with 2FA active, their authenticator and their recovery codes."""
    user = make_user()
    device = services.totp_device_in_setup(user)
    codes = services.confirm_totp_device(device, code=authenticator(device).now())
    device.refresh_from_db()
    device.last_t = -1  # let the tests use the current code again
    device.save()
    return user, authenticator(device), codes


@pytest.mark.django_db
def test_setup_page_shows_qr_code_and_secret_and_activates_with_a_code(client, make_user):
    user = make_user()
    client.force_login(user)
    html = unescape(client.get("/compte/securite/activer/").content.decode())
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://totp/JO%20E-Tickets" in device.config_url
    assert "issuer=JO%20E-Tickets" in device.config_url
    assert user.email.replace("@", "%40") in device.config_url

    wrong = client.post("/compte/securite/activer/", {"code": "000000", "password": PASSWORD})
    assert "Ce code ne correspond pas" in unescape(wrong.content.decode())

    response = client.post(
        "/compte/securite/activer/", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD}
    )
    html = response.content.decode()
    assert "Vos codes de secours" in html
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", html)
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    security_page = unescape(client.get("/compte/securite/").content.decode())
    assert "Activée" in security_page
    assert "Il vous reste 10 codes de secours." in security_page


@pytest.mark.django_db
def test_the_secret_never_changes_while_setting_up(client, make_user):
    client.force_login(make_user())
    first = client.get("/compte/securite/activer/").content
    assert (
        first == client.get("/compte/securite/activer/").content or TOTPDevice.objects.count() == 1
    )


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(two_factor_user):
    user, app, _ = two_factor_user
    code = app.now()
    assert services.verify_second_factor(user, code=code) is not None
    assert services.verify_second_factor(user, code=code) is None


@pytest.mark.django_db
def test_one_step_of_drift_is_accepted_but_not_two(two_factor_user):
    user, app, _ = two_factor_user
    assert services.verify_second_factor(user, code=app.at(time.time() - 60)) is None
    assert services.verify_second_factor(user, code=app.at(time.time() - 30)) is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shape",
    [
        lambda c: f"{c[:3]} {c[3:]}",  # as authenticator apps display it
        lambda c: f" {c[:3]}  {c[3:]} ",
        lambda c: f"{c[:3]}\u00a0{c[3:]}",  # a no-break space, pasted
        lambda c: f"{c[:3]}-{c[3:]}",
    ],
    ids=["space", "spaces-around", "no-break-space", "hyphen"],
)
def test_a_totp_code_may_be_typed_in_two_groups(two_factor_user, shape):
    user, app, _ = two_factor_user
    assert services.verify_second_factor(user, code=shape(app.now())) is not None


@pytest.mark.django_db
def test_recovery_codes_are_single_use(two_factor_user):
    user, _, codes = two_factor_user
    assert services.verify_second_factor(user, code=codes[0].upper()) is not None
    assert services.verify_second_factor(user, code=codes[0]) is None
    assert services.verify_second_factor(user, code=codes[1].replace("-", " ")) is not None
    assert StaticToken.objects.filter(device__user=user).count() == 8


@pytest.mark.django_db
def test_regenerated_codes_replace_the_old_ones(client, two_factor_user):
    user, _, old_codes = two_factor_user
    client.force_login(user)
    wrong = client.post("/compte/securite/codes-de-secours/", {"password": "faux"})
    assert "Mot de passe incorrect." in wrong.content.decode()
    response = client.post("/compte/securite/codes-de-secours/", {"password": PASSWORD})
    new_codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())
    assert len(new_codes) == 10
    assert services.verify_second_factor(user, code=old_codes[2]) is None
    assert services.verify_second_factor(user, code=new_codes[0]) is not None


def _login(client, user, **extra):
    return client.post("/connexion/", {"email": user.email, "password": PASSWORD, **extra})


@pytest.mark.django_db
def test_login_asks_for_the_code_after_the_password(client, two_factor_user):
    user, app, _ = two_factor_user
    response = _login(client, user, next="/offres/", remember_me="on")
    assert response.url == "/connexion/verification/"
    assert "_auth_user_id" not in client.session
    assert client.get("/compte/").status_code == 302  # not logged in yet

    bad = client.post("/connexion/verification/", {"code": "123456"})
    assert "Code incorrect" in unescape(bad.content.decode())
    response = client.post("/connexion/verification/", {"code": app.now()})
    assert response.url == "/offres/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.get_expiry_age() == 30 * 24 * 3600
    assert client.get("/compte/").status_code == 200


@pytest.mark.django_db
def test_login_accepts_a_recovery_code(client, two_factor_user):
    user, _, codes = two_factor_user
    _login(client, user)
    response = client.post("/connexion/verification/", {"code": codes[5]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_accepts_a_code_typed_with_a_space_and_counts_no_failure(client, two_factor_user):
    user, app, _ = two_factor_user
    _login(client, user)
    code = app.now()
    response = client.post("/connexion/verification/", {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_setup_accepts_the_same_shapes_of_code_as_login(client, make_user):
    user = make_user()
    client.force_login(user)
    client.get("/compte/securite/activer/")
    app = authenticator(TOTPDevice.objects.get(user=user))
    for wrong in ("12345", "1234567", "abc def"):
        response = client.post("/compte/securite/activer/", {"code": wrong, "password": PASSWORD})
        assert "Saisissez les 6 chiffres affichés par l'application." in unescape(
            response.content.decode()
        )
    code = app.now()
    response = client.post(
        "/compte/securite/activer/", {"code": f"{code[:3]}-{code[3:]}", "password": PASSWORD}
    )
    assert "Vos codes de secours" in response.content.decode()


@pytest.mark.django_db
def test_five_wrong_codes_lock_the_login(two_factor_user):
    user, _app, _ = two_factor_user
    client = Client()
    _login(client, user)
    for _ in range(4):
        assert client.post("/connexion/verification/", {"code": "000000"}).status_code == 200
    locked = client.post("/connexion/verification/", {"code": "000000"})
    assert locked.status_code == 429
    assert "Trop de tentatives" in unescape(locked.content.decode())
    # The password alone no longer opens the way from this address, even with the right code.
    assert _login(Client(), user).status_code == 429


@pytest.mark.django_db
def test_codes_guessed_in_several_sessions_at_once_count_for_the_account(two_factor_user):
    """The attack: with the password, open sessions past the password step first, then guess
    codes in each. Failures add up per account; once locked, even the right code is refused,
    and it does not lift the lock."""
    user, app, codes = two_factor_user
    sessions = [Client(REMOTE_ADDR=f"192.0.2.{n}") for n in range(1, 8)]
    for session in sessions:
        assert _login(session, user).url == "/connexion/verification/"
    for session in sessions[:5]:
        session.post("/connexion/verification/", {"code": "000000"})
    for session, code in ((sessions[5], app.now()), (sessions[6], codes[0])):
        refused = session.post("/connexion/verification/", {"code": code})
        assert refused.status_code == 429
        assert "_auth_user_id" not in session.session
    # Not spent by the refusal.
    assert services.verify_second_factor(user, code=codes[0]) is not None
    attempts = AccessAttempt.objects.filter(username=user.email)
    assert sum(attempt.failures_since_start for attempt in attempts) == 5  # no more counted


@pytest.mark.django_db
def test_logging_into_another_account_does_not_lift_the_lock(two_factor_user, make_user):
    """The attack: 4 guesses on the victim's account, then a login into one's own account from
    the same address to erase them, and so on. A login lifts its own account's count only."""
    victim, _app, codes = two_factor_user
    own = make_user()
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for _ in range(2):
        _login(attacker, victim)
        for _ in range(2):
            attacker.post("/connexion/verification/", {"code": "000000"})
        mine = Client(REMOTE_ADDR="192.0.2.66")
        assert _login(mine, own).status_code == 302
        assert "_auth_user_id" in mine.session
    _login(attacker, victim)
    fifth = attacker.post("/connexion/verification/", {"code": "000000"})
    assert fifth.status_code == 429
    assert _login(Client(REMOTE_ADDR="192.0.2.67"), victim).status_code == 429
    assert services.verify_second_factor(victim, code=codes[0]) is not None


@pytest.mark.django_db
def test_turning_two_factor_on_asks_for_the_password(client, make_user):
    """The attack: a stolen session enrols its own authenticator."""
    user = make_user()
    client.force_login(user)
    client.get("/compte/securite/activer/")
    app = authenticator(TOTPDevice.objects.get(user=user))
    for password in ("", "Deviné-2024!"):
        response = client.post(
            "/compte/securite/activer/", {"code": app.now(), "password": password}
        )
        assert response.status_code == 200
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert "Mot de passe incorrect." in unescape(response.content.decode())
    assert AccessAttempt.objects.get().failures_since_start == 1  # the empty one is no guess


def test_a_wrong_code_never_sends_back_the_password_it_follows(client, make_user):
    """The password is checked before the code: sending it back would show a proven one."""
    user = make_user()
    client.force_login(user)
    client.get("/compte/securite/activer/")
    response = client.post("/compte/securite/activer/", {"code": "000000", "password": PASSWORD})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert PASSWORD not in unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        (
            "/compte/mot-de-passe/",
            "old_password",
            {"new_password1": "N0uveau-Mot!", "new_password2": "N0uveau-Mot!"},
        ),
        (
            "/compte/profil/",
            "current_password",
            {"email": "nouvelle@example.fr", "username": "u", "first_name": "A", "last_name": "B"},
        ),
        ("/compte/securite/activer/", "password", {"code": "123456"}),
        ("/compte/securite/desactiver/", "password", {"code": "123456"}),
        ("/compte/securite/codes-de-secours/", "password", {}),
    ],
    ids=["password", "email", "enable-2fa", "disable-2fa", "recovery-codes"],
)
def test_forms_asking_for_the_password_count_wrong_ones_as_failed_logins(
    path, field, extra, make_user
):
    """The attack: a stolen session guesses the password through the account's forms. Wrong
    ones count with the login's failures; the fifth locks the account and ends the session."""
    user = make_user()
    if "desactiver" in path or "codes-de-secours" in path:
        device = services.totp_device_in_setup(user)
        services.confirm_totp_device(device, code=authenticator(device).now())
    client, other = Client(), Client(REMOTE_ADDR="198.51.100.8")
    client.force_login(user)
    other.force_login(user)
    for n in range(4):
        response = client.post(path, {field: f"Faux-{n}-2024!", **extra})
        assert response.status_code == 200
        assert "incorrect" in unescape(response.content.decode()) or "actuel" in unescape(
            response.content.decode()
        )
    locked = client.post(path, {field: "Faux-5-2024!", **extra})
    assert locked.status_code == 429
    assert "Trop de tentatives" in unescape(locked.content.decode())
    assert "_auth_user_id" not in client.session
    # Locked for the account, whatever the session or the address: even the right password.
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), user).status_code == 429
    response = other.post(path, {field: PASSWORD, **extra})
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.email != "nouvelle@example.fr"


@pytest.mark.django_db
def test_the_code_page_without_a_password_first_goes_back_to_login(client):
    response = client.get("/connexion/verification/")
    assert response.url == "/connexion/"


@pytest.mark.django_db
def test_disabling_asks_for_password_and_a_current_code(client, two_factor_user):
    user, app, _ = two_factor_user
    client.force_login(user)
    response = client.post("/compte/securite/desactiver/", {"password": "faux", "code": app.now()})
    assert "Mot de passe incorrect." in response.content.decode()
    response = client.post("/compte/securite/desactiver/", {"password": PASSWORD, "code": "000000"})
    assert "Code incorrect" in response.content.decode()
    response = client.post(
        "/compte/securite/desactiver/", {"password": PASSWORD, "code": app.now()}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert _login(Client(), user).url == "/"


def _staff_view(request):
    return HttpResponse("back office")


def _request_for(user, verified):
    request = RequestFactory().get("/gestion/")
    request.user = user
    request.user.is_verified = lambda: verified
    request.session = {}
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    return request


@pytest.mark.django_db
def test_staff_pages_need_an_active_and_verified_second_factor(make_user):
    gate = security.verified_staff_required()(_staff_view)
    staff = make_user(is_staff=True)
    response = gate(_request_for(staff, verified=False))
    assert response.url == "/compte/securite/"
    services.confirm_totp_device(
        services.totp_device_in_setup(staff),
        code=authenticator(services.totp_device_in_setup(staff)).now(),
    )
    assert gate(_request_for(staff, verified=False)).url.startswith("/connexion/")
    assert gate(_request_for(staff, verified=True)).content == b"back office"


@pytest.mark.django_db
def test_customers_get_a_404_on_staff_pages(make_user):
    from django.http import Http404

    gate = security.verified_staff_required()(_staff_view)
    with pytest.raises(Http404):
        gate(_request_for(make_user(), verified=True))


@pytest.mark.django_db
def test_admin_site_requires_a_verified_session(client, make_user):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/compte/securite/"


@pytest.mark.django_db
def test_admin_site_opens_after_login_with_the_second_factor(client, make_user):
    admin = make_user(is_staff=True, is_superuser=True)
    device = services.totp_device_in_setup(admin)
    services.confirm_totp_device(device, code=authenticator(device).now())
    assert client.get("/admin/").url == "/admin/login/?next=/admin/"
    response = client.get("/admin/login/?next=/admin/")
    assert response.url == "/connexion/?next=/admin/"
    _login(client, admin, next="/admin/")
    code = authenticator(device).at(time.time() + 30)  # the next step: the current one is spent
    response = client.post("/connexion/verification/", {"code": code})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_set_up_and_recovery_code_pages_are_never_stored(client, two_factor_user, make_user):
    """Item 8 of issue 17: the authenticator's secret and the recovery codes."""
    user, _app, _codes = two_factor_user
    client.force_login(user)
    codes = client.post("/compte/securite/codes-de-secours/", {"password": PASSWORD})
    assert "Vos nouveaux codes" in unescape(codes.content.decode())
    assert "no-store" in codes["Cache-Control"]
    newcomer = Client()
    newcomer.force_login(make_user())
    assert "no-store" in newcomer.get("/compte/securite/activer/")["Cache-Control"]


@pytest.mark.django_db
def test_an_empty_current_password_is_no_guess(client, make_user):
    user = make_user()
    client.force_login(user)
    change = {"email": "nouvelle@example.fr", "username": "u", "first_name": "A", "last_name": "B"}
    for _ in range(6):
        response = client.post("/compte/profil/", {**change, "current_password": ""})
        assert response.status_code == 200
        assert "Saisissez votre mot de passe actuel" in unescape(response.content.decode())
    assert not AccessAttempt.objects.exists()
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_session_is_not_ended_by_a_lock_that_others_caused(make_user):
    """Someone's 5 wrong logins lock the account: its owner's open session keeps going, and
    its forms that ask for the password answer that it is locked."""
    user = make_user()
    owner = Client(REMOTE_ADDR="198.51.100.1")
    owner.force_login(user)
    for _ in range(5):
        _login(Client(REMOTE_ADDR="203.0.113.9"), user, password="Faux-2024!")
    response = owner.post("/compte/securite/codes-de-secours/", {"password": PASSWORD})
    assert response.status_code in (302, 429)  # no 2FA: sent to the security page
    enable = owner.post("/compte/securite/activer/", {"password": PASSWORD, "code": "123456"})
    assert enable.status_code == 429
    assert "Trop de tentatives" in unescape(enable.content.decode())
    assert "_auth_user_id" in owner.session
    assert owner.get("/compte/").status_code == 200


def _verified_codes(client, two_factor_user):
    """Log in with the second factor, make new recovery codes: the codes shown."""
    user, app, _ = two_factor_user
    _login(client, user)
    client.post("/connexion/verification/", {"code": app.now()})
    return _new_codes(client)


def _new_codes(client):
    response = client.post("/compte/securite/codes-de-secours/", {"password": PASSWORD})
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())


DOWNLOAD = "/compte/securite/codes-de-secours/telecharger/"


@pytest.mark.django_db
def test_the_codes_just_shown_download_as_a_text_file(client, two_factor_user):
    codes = _verified_codes(client, two_factor_user)
    assert len(codes) == 10
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="codes-de-secours-jo-etickets.txt"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.getvalue().decode()
    assert text.startswith("JO E-Tickets — Codes de secours\n")
    assert f"Compte : {two_factor_user[0].email}\n" in text
    assert re.search(r"Générés le \d+ \w+ \d{4}, \d\d:\d\d\n", text)
    assert "\n".join(codes) in text
    assert "« Code de vérification »" in text  # how to use one, in plain text: no &laquo;
    assert "&" not in text


@pytest.mark.django_db
def test_the_text_file_speaks_the_users_language(client, two_factor_user):
    client.post("/langue/", {"language": "en", "next": "/"})
    _verified_codes(client, two_factor_user)
    response = client.get(DOWNLOAD)
    assert 'filename="jo-etickets-recovery-codes.txt"' in response["Content-Disposition"]
    text = response.getvalue().decode()
    assert "Recovery codes" in text and "Generated on" in text and "“Verification code”" in text


@pytest.mark.django_db
def test_the_codes_download_only_from_the_showing_of_their_page(
    client, two_factor_user, monkeypatch
):
    """Shown once: not from another session, nor once « Sécurité » is reached, nor later."""
    _verified_codes(client, two_factor_user)
    other = Client()
    other.force_login(two_factor_user[0])
    refused = other.get(DOWNLOAD)
    assert refused.status_code == 302 and refused.url == "/compte/securite/"

    monkeypatch.setattr(security, "RECOVERY_CODES_DOWNLOAD_LIFETIME", -1)
    assert client.get(DOWNLOAD).status_code == 302
    monkeypatch.undo()
    _new_codes(client)
    assert client.get(DOWNLOAD).status_code == 200
    page = unescape(client.get("/compte/securite/").content.decode())
    assert "Activée" in page
    refused = client.get(DOWNLOAD, follow=True)
    assert "ne sont plus proposés au téléchargement" in unescape(refused.content.decode())


@pytest.mark.django_db
def test_an_unverified_session_cannot_download_the_codes(client, two_factor_user):
    """A session opened before 2FA was turned on (force_login here) sees the codes it makes
    with the password, but gets no file without its second factor."""
    client.force_login(two_factor_user[0])
    assert len(_new_codes(client)) == 10
    assert client.get(DOWNLOAD).status_code == 302
    assert Client().get(DOWNLOAD).url.startswith("/connexion/")
