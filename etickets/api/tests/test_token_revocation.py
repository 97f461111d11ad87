"""An API token ends with the credentials and rights that made it (issue 17, items 1 and 5).

The attack each test replays: a token obtained with a password (or by a controller) still
works after the owner changed that password, turned 2FA on or off, or lost a role.
Transactional: the caches are told once the revocation is committed, as in production.
"""

import json
import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from etickets.accounts import services as accounts
from etickets.accounts.forms import SiteSetPasswordForm
from etickets.api import services as api_services
from etickets.api.auth import token_identity
from etickets.api.models import ApiToken
from etickets.backoffice.services import set_role
from etickets.core.testing import ApplicationClient as Client
from etickets.gate.models import CONTROLLER_GROUP

NEW_PASSWORD = "Nouveau-Sésame-2028!"


def authenticator(device) -> pyotp.TOTP:
    return pyotp.TOTP(accounts.totp_secret_for_display(device).replace(" ", ""))


def enable_two_factor(user) -> TOTPDevice:
    device = accounts.totp_device_in_setup(user)
    accounts.confirm_totp_device(device, code=authenticator(device).now())
    return device


def api_token(user, **extra) -> str:
    body = {"email": user.email, "password": PASSWORD, **extra}
    response = Client().post("/api/v1/auth/token", json.dumps(body), "application/json")
    assert response.status_code == 201, response.content
    return response.json()["token"]


def change_password_in_the_account_page(user):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def reset_password_from_a_link(user):
    form = SiteSetPasswordForm(user, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid()
    form.save()


def remove_controller_role(user):
    admin = get_user_model().objects.create_superuser(
        email="admin@example.fr", username="admin", password=PASSWORD
    )
    set_role(user, role="controller", granted=False, actor=admin)


def deactivate(user):
    user = get_user_model().objects.get(pk=user.pk)  # as the admin's form loads it
    user.is_active = False
    user.save()


def delete_second_factor_in_the_admin(user):
    for device in TOTPDevice.objects.filter(user=user):
        device.delete()


def unconfirm_second_factor_in_the_admin(user):
    device = TOTPDevice.objects.get(user=user)
    device.confirmed = False
    device.save()


def empty_the_controllers_group(user):
    Group.objects.get(name=CONTROLLER_GROUP).user_set.clear()


EVENTS = {
    "password-changed": change_password_in_the_account_page,
    "password-reset": reset_password_from_a_link,
    "two-factor-on": enable_two_factor,
    "two-factor-off": accounts.disable_two_factor,
    "device-deleted": delete_second_factor_in_the_admin,
    "device-unconfirmed": unconfirm_second_factor_in_the_admin,
    "role-removed": remove_controller_role,
    "group-emptied": empty_the_controllers_group,
    "deactivated": deactivate,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("event", EVENTS)
def test_credentials_changes_revoke_every_token_at_once(event, make_user):
    user = make_user()
    user.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    if event.startswith(("two-factor-off", "device-")):
        enable_two_factor(user)
    bystander_token = api_token(make_user())
    tokens = [ApiToken.issue(user, "phone")[1], ApiToken.issue(user, "script")[1]]
    for token in tokens:  # this worker holds their identities
        assert token_identity(token) is not None
    EVENTS[event](user)
    for token in tokens:
        assert token_identity(token) is None
        refused = Client().get("/api/v1/cart/items", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert refused.status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked=False).exists()
    assert token_identity(bystander_token) is not None


@pytest.mark.django_db(transaction=True)
def test_a_controller_token_made_before_2fa_does_not_become_a_gate_token(make_user, make_event):
    """Item 5: the token was refused at the gate without 2FA; turning 2FA on must not make it
    a gate token."""
    controller = make_user()
    controller.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
    token = api_token(controller)
    event = make_event()
    body = json.dumps({"token": "x", "event_id": event.pk, "gate": "Porte A"})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    scan = Client().post("/api/v1/gate/scan", body, "application/json", **headers)
    assert scan.status_code == 401
    enable_two_factor(controller)
    scan = Client().post("/api/v1/gate/scan", body, "application/json", **headers)
    assert scan.status_code == 401
    assert ApiToken.objects.get(user=controller).revoked


@pytest.mark.django_db(transaction=True)
def test_the_admins_user_page_revokes_on_rights_not_on_names(make_user):
    admin = make_user(is_staff=True, is_superuser=True)
    device = enable_two_factor(admin)
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    user = make_user()
    controllers = Group.objects.get_or_create(name=CONTROLLER_GROUP)[0]
    user.groups.add(controllers)
    token = api_token(user)
    assert token_identity(token) is not None
    form = {
        "email": user.email,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [controllers.pk],
        "date_joined_0": "2024-07-01",
        "date_joined_1": "10:00:00",
    }
    # Renaming changes no right: the token lives on.
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", {**form, "last_name": "X"})
    assert response.status_code == 302, response.content
    assert token_identity(token) is not None
    form.pop("is_active")
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", form)
    assert response.status_code == 302
    assert token_identity(token) is None


@pytest.mark.django_db(transaction=True)
def test_using_the_second_factor_or_logging_in_revokes_nothing(make_user):
    """The saves that every use of a code makes are no change of credentials."""
    user = make_user()
    device = enable_two_factor(user)
    token = ApiToken.issue(user, "phone")[1]
    client = Client()
    client.post("/connexion/", {"email": user.email, "password": PASSWORD})
    code = authenticator(device).at(time.time() + 30)  # the next step: the current one is spent
    assert client.post("/connexion/verification/", {"code": code}).status_code == 302
    assert token_identity(token) is not None


@pytest.mark.django_db(transaction=True)
def test_a_token_made_while_the_credentials_change_is_born_dead(make_user):
    """The race: the token endpoint checked the old password, then the owner changed it and
    the tokens were revoked, then the token was written."""
    user = make_user()
    as_authenticated = get_user_model().objects.get(pk=user.pk)  # before the change
    reset_password_from_a_link(user)
    _record, token = ApiToken.issue(as_authenticated, "made in the race")
    assert token_identity(token) is None
    assert not api_services.live_tokens(user=get_user_model().objects.get(pk=user.pk))


@pytest.mark.django_db(transaction=True)
def test_a_deleted_accounts_tokens_are_refused_at_once(make_user):
    user = make_user()
    token = ApiToken.issue(user, "phone")[1]
    assert token_identity(token) is not None  # its identity is in the caches
    user.delete()
    assert token_identity(token) is None


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_told_by_email_when_a_token_is_created(make_user):
    user = make_user(first_name="Léa")
    api_token(user, name="Tablette du salon")
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "Nouveau jeton d'API sur votre compte"
    record = ApiToken.objects.get()
    assert "« Tablette du salon »" in email.body and record.prefix in email.body
    assert "/compte/securite/" in email.body
