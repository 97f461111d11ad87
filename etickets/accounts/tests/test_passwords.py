"""The manual's password rules (§4.2), each alone, plus Django's common and similarity checks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def broken_rules(password, **identity):
    user = get_user_model()(
        username=identity.get("username", "sprinteur"),
        email=identity.get("email", "sprinteur@example.fr"),
        first_name=identity.get("first_name", "Marie"),
        last_name=identity.get("last_name", "Perec"),
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code: e.messages[0] for e in error.error_list}
    return {}


@pytest.mark.parametrize(
    ("password", "code", "message"),
    [
        ("Ab1!xyz", "password_too_short", "Ce mot de passe est trop court."),
        ("abcdefg1!", "password_no_upper", "au moins une lettre majuscule"),
        ("ABCDEFG1!", "password_no_lower", "au moins une lettre minuscule"),
        ("Abcdefgh!", "password_no_digit", "au moins un chiffre"),
        ("Abcdefg12", "password_no_special", "au moins un caractère spécial"),
        ("P@ssw0rd", "password_too_common", "trop courant"),
    ],
)
def test_each_rule_alone_has_its_own_french_message(password, code, message):
    broken = broken_rules(password)
    assert list(broken) == [code]
    assert message in broken[code]


def test_password_too_close_to_the_identity_is_refused():
    broken = broken_rules("Sprinteur1!", username="sprinteur1")
    assert "password_too_similar" in broken


def test_several_broken_rules_are_all_reported():
    assert set(broken_rules("abc")) >= {
        "password_too_short",
        "password_no_upper",
        "password_no_digit",
        "password_no_special",
    }


@pytest.mark.parametrize("password", ["Azerty123!", "Saut-à-la-perche-6m24", "Ébène#2024x"])
def test_good_passwords_pass(password):
    assert broken_rules(password) == {}


@pytest.mark.parametrize("password", ["Łódź123!", "Ωmega-2024", "Čevapčići#7", "ŒUVRE-bis-9"])
def test_capitals_and_small_letters_of_any_alphabet_count(password):
    """The strength indicator goes by Unicode (\\p{Lu}, \\p{Ll}): the server must agree."""
    assert broken_rules(password) == {}


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("łódź1234!", "password_no_upper"),
        ("ŁÓDŹ1234!", "password_no_lower"),
        ("Łódź-Kraków!", "password_no_digit"),
        ("Łódź1234ą", "password_no_special"),
        ("Ab1!😀😀", "password_too_short"),  # 6 characters, though 8 UTF-16 units
    ],
)
def test_unicode_passwords_missing_one_rule(password, code):
    assert list(broken_rules(password)) == [code]
