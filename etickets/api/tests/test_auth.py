import pytest
from django.contrib.auth.models import Group
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.api.auth import token_identity
from etickets.api.models import ApiToken


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
