import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.test import RequestFactory

User = get_user_model()


def make_user(email="camille@example.fr", username="camille", **extra):
    return User.objects.create_user(
        email=email,
        username=username,
        password="Motdepasse-2024!",
        first_name="Camille",
        last_name="Martin",
        **extra,
    )


@pytest.mark.django_db
def test_email_is_the_login_and_is_case_insensitive():
    user = make_user(email="Camille@Example.FR")
    assert user.email == "camille@example.fr"
    request = RequestFactory().post("/connexion/")
    assert authenticate(request, email="CAMILLE@example.fr", password="Motdepasse-2024!") == user
    assert authenticate(request, email="camille@example.fr", password="mauvais") is None


@pytest.mark.django_db
def test_email_and_username_are_unique():
    make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="CAMILLE@example.fr", username="autre")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(email="autre@example.fr", username="camille")


@pytest.mark.django_db
def test_each_account_gets_its_own_secret_key():
    first, second = make_user(), make_user(email="b@example.fr", username="b")
    assert len(bytes(first.account_key)) == 32
    assert bytes(first.account_key) != bytes(second.account_key)


@pytest.mark.django_db
def test_superuser_creation():
    admin = User.objects.create_superuser(
        email="admin@example.fr", username="admin", password="x", first_name="A", last_name="B"
    )
    assert admin.is_staff and admin.is_superuser
