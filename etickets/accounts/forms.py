from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from etickets.core.emails import send_templated_email

from . import security, services
from .models import User

INVALID_LOGIN = _("Adresse email ou mot de passe incorrect.")
PASSWORD_MISMATCH = _("Les deux mots de passe ne correspondent pas.")
# The manual's rules (§4.2) in one sentence, for every field that sets a new password.
PASSWORD_HELP = _(
    "Au moins 8 caractères, dont une majuscule, une minuscule, un chiffre et un "
    "caractère spécial (!, @, #, $, etc.)."
)


def _email_field(autocomplete="email"):
    return forms.EmailField(
        label=_("Adresse email"),
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse email valide, par exemple nom@exemple.fr.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


def _username_field():
    """The site's username field and help text, for sign-up and the profile alike."""
    return forms.CharField(
        label=_("Nom d'utilisateur"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("150 caractères au plus : lettres, chiffres et @ . + - _ uniquement."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


def _password_input(autocomplete, strength_meter=False, kept=True):
    """``kept``: sent back when another field is refused, typed again when it is itself
    (core.forms). Not for a password checked before the form's other fields (a wrong 2FA code
    would send back a password the page has just proved right)."""
    attrs = {"autocomplete": autocomplete}
    if strength_meter:
        attrs["data-password-strength"] = "password-strength"
    return forms.PasswordInput(attrs=attrs, render_value=kept)


class SignupForm(forms.Form):
    password_confirmations = {"password2": "password1"}  # core.forms.SiteBoundField

    username = _username_field()
    email = _email_field()
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=_password_input("new-password", strength_meter=True),
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=_password_input("new-password"),
    )
    # The template links the words « conditions d'utilisation » to /cgu/.
    accept_terms = forms.BooleanField(
        label=_("J'accepte les conditions d'utilisation"),
        error_messages={
            "required": _("Vous devez accepter les conditions d'utilisation pour créer un compte.")
        },
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Ce nom d'utilisateur est déjà pris. Choisissez-en un autre."), code="taken"
            )
        return username

    def clean_email(self):
        # A taken address is not reported here (services.register_user).
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
            if password2 and password1 != password2:
                self.add_error(
                    "password2", forms.ValidationError(PASSWORD_MISMATCH, code="mismatch")
                )
        return cleaned


class LoginForm(forms.Form):
    non_field_errors_target = "email"  # « Adresse email ou mot de passe incorrect »

    email = _email_field(autocomplete="username")
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=_password_input("current-password")
    )
    remember_me = forms.BooleanField(label=_("Se souvenir de moi"), required=False)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # The same message for an unknown address, a wrong password or a closed account.
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None or not self.user.is_active:
                raise forms.ValidationError(INVALID_LOGIN, code="invalid_login")
        return cleaned


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_(
            "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un "
            "de vos codes de secours."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
            }
        ),
    )


class CurrentPasswordForm(forms.Form):
    """Asks for the account's password before a sensitive change; a wrong one counts as a
    failed login (security.check_current_password)."""

    password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=_password_input("current-password", kept=False),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        check_current_password(self.request, self.user, password, _("Mot de passe incorrect."))
        return password


def check_current_password(request, user, password, wrong_message) -> None:
    """A form's check of the current password, its refusals as the field's error. An empty
    field is a forgotten one, not a guess: it does not count."""
    if not password:
        raise forms.ValidationError(wrong_message, code="required")
    try:
        right = security.check_current_password(request=request, user=user, password=password)
    except security.LockedOut as error:
        raise forms.ValidationError(str(error), code="locked") from error
    if not right:
        raise forms.ValidationError(wrong_message, code="password_incorrect")


class EnableTwoFactorForm(CurrentPasswordForm):
    """The password first: a stolen session must not enrol its own authenticator."""

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "maxlength": "7",
                "class": "input-code",
            }
        ),
    )

    def clean_code(self):
        # Spaces and hyphens are ignored here as at login (services.verify_second_factor).
        code = services.compact_code(self.cleaned_data["code"])
        if not services.is_totp_code(code):
            raise forms.ValidationError(
                _("Saisissez les 6 chiffres affichés par l'application."), code="invalid"
            )
        return code


class DisableTwoFactorForm(CurrentPasswordForm):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_("Un code de votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(forms.ModelForm):
    username = _username_field()
    current_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        required=False,
        help_text=_(
            "Nécessaire seulement pour changer d'adresse email : nous envoyons alors un lien "
            "de confirmation à la nouvelle adresse."
        ),
        widget=_password_input("current-password"),
    )

    email = _email_field()

    class Meta:
        model = User
        # Not the e-mail: the model's unique check would tell who has an address, and the
        # address changes only once confirmed (services.request_email_change).
        fields = ["username", "first_name", "last_name"]
        labels = {
            "first_name": _("Prénom"),
            "last_name": _("Nom"),
        }

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = User.objects.exclude(pk=self.instance.pk)
        if others.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Ce nom d'utilisateur est déjà pris. Choisissez-en un autre."), code="taken"
            )
        return username

    def clean_email(self):
        # A taken address is not reported here (services.request_email_change).
        return User.objects.normalize_email(self.cleaned_data["email"])

    def __init__(self, request, data=None, **kwargs):
        self.request = request
        super().__init__(data, instance=request.user, **kwargs)
        self.initial["email"] = request.user.email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        email = cleaned.get("email")
        if email and email != self.initial.get("email"):
            try:
                check_current_password(
                    self.request,
                    self.instance,
                    cleaned.get("current_password") or "",
                    _("Saisissez votre mot de passe actuel pour changer d'adresse email."),
                )
            except forms.ValidationError as error:
                self.add_error("current_password", error)
        return cleaned


# A mixin of the password forms: the type checker is told what it extends.
if TYPE_CHECKING:
    _PasswordForm = SetPasswordForm
else:
    _PasswordForm = object


class _NewPasswordFieldsMixin(_PasswordForm):
    """Django checks the password rules on the confirmation field; the site reports a broken
    rule next to « Nouveau mot de passe » (what the user typed first) and keeps the
    confirmation for a mismatch."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    password_confirmations = {"new_password2": "new_password1"}  # core.forms.SiteBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's one-sentence rules rather than Django's bullet list of every validator.
        self.fields["new_password1"].help_text = PASSWORD_HELP
        # Django's password fields, kept like the site's own when another field is refused.
        for field in self.fields.values():
            if isinstance(field.widget, forms.PasswordInput):
                field.widget.render_value = True

    def validate_password_for_user(self, user, *_field_name):
        # Django passes "new_password2" here.
        super().validate_password_for_user(user, "new_password1")


class SitePasswordChangeForm(_NewPasswordFieldsMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        **_NewPasswordFieldsMixin.error_messages,
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(request.user, *args, **kwargs)

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        check_current_password(
            self.request, self.user, password, self.error_messages["password_incorrect"]
        )
        return password


class SiteSetPasswordForm(_NewPasswordFieldsMixin, SetPasswordForm):
    pass


class SitePasswordResetForm(PasswordResetForm):
    email = _email_field()

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        send_templated_email(
            "accounts/emails/password_reset", to=to_email, context=context, language=user.language
        )
