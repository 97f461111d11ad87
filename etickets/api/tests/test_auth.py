import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.api import auth
from etickets.api.auth import token_identity
from etickets.api.models import ApiToken
from etickets.api.services import revoke_token


@pytest.mark.django_db
@pytest.mark.parametrize(
    "devices",
    [[], [(TOTPDevice, False)], [(TOTPDevice, True)], [(StaticDevice, True)]],
    ids=["none", "totp-unconfirmed", "totp", "static"],
)
def test_a_tokens_second_factor_is_what_django_otp_says(make_user, devices):
    user = make_user()
    for model, confirmed in devices:
        model.objects.create(user=user, name="device", confirmed=confirmed)
    _record, secret = ApiToken.issue(user, "phone")
    found, has_2fa = token_identity(secret)
    assert found == user
    assert has_2fa == user_has_device(user)


@pytest.mark.django_db
def test_a_tokens_user_comes_with_their_groups_and_the_use_is_noted(make_user):
    staff = make_user()
    staff.groups.add(Group.objects.create(name="Contrôleurs"))
    record, secret = ApiToken.issue(staff, "scanner")
    found, _has_2fa = token_identity(secret)
    assert [group.name for group in found.groups.all()] == ["Contrôleurs"]
    record.refresh_from_db()
    assert record.last_used_at is not None
    assert token_identity("jet_not-a-token") is None


@pytest.mark.django_db
def test_a_tokens_first_use_is_one_statement_and_a_revoked_one_is_not_noted(
    make_user, django_assert_num_queries
):
    user = make_user()
    _record, secret = ApiToken.issue(user, "phone")
    # PostgreSQL notes the use in the statement that reads the token; SQLite, after it.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert token_identity(secret)[0] == user
    revoked, revoked_secret = ApiToken.issue(user, "old phone")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked=True)
    assert token_identity(revoked_secret) is None
    revoked.refresh_from_db()
    assert revoked.last_used_at is None


@pytest.mark.django_db
def test_a_worker_keeps_a_tokens_identity_a_few_seconds_and_hands_out_copies(
    make_user, monkeypatch, django_assert_num_queries
):
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    user = make_user()
    record, secret = ApiToken.issue(user, "scanner")
    first, _ = token_identity(secret)
    first.first_name = "Changed by a request"
    # Another worker revokes it: the shared cache entry goes, this worker's copy stays a while.
    ApiToken.objects.filter(pk=record.pk).update(revoked=True)
    cache.delete(auth.token_cache_key(record.key_hash))
    with django_assert_num_queries(0):
        again, _ = token_identity(secret)
    assert again == user and again is not first and again.first_name == user.first_name
    clock[0] += auth.LOCAL_TOKEN_SECONDS
    assert token_identity(secret) is None


@pytest.mark.django_db
def test_revoking_a_token_refuses_it_at_once_in_this_worker(make_user):
    user = make_user()
    record, secret = ApiToken.issue(user, "phone")
    assert token_identity(secret) is not None
    assert revoke_token(user, record.pk)
    assert token_identity(secret) is None
