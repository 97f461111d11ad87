import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from etickets.api import services as api_services
from etickets.core.http import client_ip

from . import forms, security, selectors, services


def _safe_next(request, fallback: str | None = None) -> str:
    """The ``next`` target when it stays on this site, else ``fallback`` (home by default)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@never_cache  # a refused form may show the passwords typed (core.forms.SiteBoundField)
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_user(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                language=get_language(),
                client_ip=client_ip(request),
            )
        except services.TooManySignups as error:
            form.add_error(None, str(error))
        except services.UsernameTaken as error:
            form.add_error("username", str(error))
        else:
            # The same answer whether the address was free or already had an account (its
            # owner is told by e-mail): sign-up does not tell who is a customer.
            messages.success(
                request,
                _(
                    "Merci ! Un email vous a été envoyé à %(email)s. Connectez-vous avec votre "
                    "adresse email et votre mot de passe."
                )
                % {"email": data["email"]},
            )
            query = urlencode({"next": _safe_next(request)})
            return redirect(f"{reverse('accounts:login')}?{query}")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


@sensitive_post_parameters("password")
@never_cache  # a refused form may show the password typed
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = forms.LoginForm(request, request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        remember = form.cleaned_data["remember_me"]
        if security.begin_login(request, form.user, remember, next_url):
            return redirect("accounts:second_factor")
        messages.success(request, _("Bonjour %(name)s !") % {"name": form.user.first_name})
        return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor(request):
    pending = security.pending_login(request)
    if pending is None:
        messages.warning(
            request, _("Votre connexion a expiré : saisissez à nouveau vos identifiants.")
        )
        return redirect("accounts:login")
    user, remember, next_url = pending
    form = forms.SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = security.check_second_factor(
                request=request, user=user, code=form.cleaned_data["code"]
            )
        except security.LockedOut:
            return locked_out(request)
        if device is not None:
            security.complete_login(request, user, remember, device)
            messages.success(request, _("Bonjour %(name)s !") % {"name": user.first_name})
            return redirect(next_url)
        form.add_error("code", _("Code incorrect ou déjà utilisé. Réessayez avec le code affiché."))
    return render(request, "accounts/second_factor.html", {"form": form})


def locked_out(request, response=None, credentials=None):
    """Shown instead of the login form while django-axes refuses attempts (HTTP 429); the API
    gets the same answer as JSON."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        message = _("Trop de tentatives : réessayez dans 15 minutes.")
        return JsonResponse({"code": "rate_limited", "message": message}, status=429)
    if request.user.is_authenticated:
        if not getattr(request, "lock_reached_here", False) and response is not None:
            # Locked by failures elsewhere (maybe someone else's): the form, refused.
            response.status_code = 429
            return response
        # This session's own guesses in its forms reached the limit: whoever holds it is
        # guessing the password, and loses the session with the lock (a reset lifts both).
        logout(request)
    request.session.pop(security.PENDING_LOGIN, None)
    context = {
        "form": forms.LoginForm(request),
        "locked_minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "next": "",
    }
    return render(request, "accounts/login.html", context, status=429)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Vous êtes déconnecté. À bientôt !"))
    return redirect("catalog:home")


@csrf_exempt
@require_POST
def switch_language(request):
    """Django's language switch, remembered on the account for its e-mails.

    A visitor who is not signed in sends no CSRF token: their pages carry none, so that one copy
    serves them all (core/pagecache.py); forged, the post changes their language cookie and
    nothing else. A signed-in user's post is checked as any other.
    """
    if request.user.is_authenticated:
        return _switch_account_language(request)
    return django_set_language(request)


@csrf_protect
def _switch_account_language(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        services.set_language(request.user, language=language)
    return response


def admin_login(request):
    """The admin site logs in through the site's own login, with its second factor."""
    if request.user.is_authenticated and not request.user.is_verified():
        return redirect("accounts:security")
    return redirect(f"{reverse('accounts:login')}?next={reverse('admin:index')}")


# --- Password reset: Django's views, in the site's pages ------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.SitePasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SiteSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page offers the reset as a way out: it lifts the lock on the account.
        security.forget_failed_logins(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Mon compte -----------------------------------------------------------------------------


@login_required
def account(request):
    context = {
        "has_two_factor": selectors.has_two_factor(request.user),
        "two_factor_required": security.is_staff_member(request.user),
        "email_verified": selectors.has_verified_email(user=request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def send_verification_link(request):
    try:
        services.send_verification_link(user=request.user)
    except services.VerificationLinkTooSoon as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Nous venons d'envoyer un lien de vérification à %(email)s. Ouvrez-le dans les "
                "24 heures."
            )
            % {"email": request.user.email},
        )
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    """The link sent to the account's address: a page that verifies it with a button (a mail
    scanner's visit changes nothing), as for a change of address."""
    try:
        user = services.pending_verification(token=token)
        if request.method == "POST":
            services.verify_email(token=token)
            messages.success(
                request,
                _("Merci : votre adresse email %(email)s est vérifiée.") % {"email": user.email},
            )
            return redirect(
                "accounts:account" if request.user.is_authenticated else "accounts:login"
            )
    except services.VerificationLinkInvalid as error:
        return render(request, "accounts/verify_email.html", {"error": str(error)}, status=400)
    context = {"email": user.email, "user_first_name": user.first_name}
    return render(request, "accounts/verify_email.html", context)


@sensitive_post_parameters("current_password")
@never_cache  # a refused form may show the password typed
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = forms.ProfileForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            request.user,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        messages.success(request, _("Vos modifications ont été enregistrées."))
        if data["email"] != form.initial["email"]:
            services.request_email_change(user=request.user, new_email=data["email"])
            messages.info(
                request,
                _(
                    "Pour utiliser l'adresse %(email)s, cliquez sur le lien que nous venons d'y "
                    "envoyer (valable 24 heures). D'ici là, votre compte garde son adresse "
                    "actuelle."
                )
                % {"email": data["email"]},
            )
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm_email_change(request, token):
    """The link sent to a new address: a page that confirms it with a button (a mail
    scanner's visit changes nothing)."""
    try:
        user, new_email = services.pending_email_change(token=token)
        if request.method == "POST":
            services.confirm_email_change(token=token)
            messages.success(
                request,
                _("C'est fait : votre compte utilise désormais l'adresse %(email)s.")
                % {"email": new_email},
            )
            return redirect(
                "accounts:profile" if request.user.is_authenticated else "accounts:login"
            )
    except (services.EmailChangeLinkInvalid, services.EmailTaken) as error:
        context = {"error": str(error)}
        return render(request, "accounts/confirm_email_change.html", context, status=400)
    context = {"new_email": new_email, "user_first_name": user.first_name}
    return render(request, "accounts/confirm_email_change.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache  # a refused form may show the passwords typed
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = forms.SitePasswordChangeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # the account's API tokens are revoked (accounts.signals)
        # This session stays open; every other session of the account ends.
        update_session_auth_hash(request, form.user)
        messages.success(
            request,
            _(
                "Votre mot de passe a été modifié. Vos autres sessions et vos jetons d'API ont "
                "été révoqués."
            ),
        )
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def security_settings(request):
    # « J'ai noté mes codes » leads here: the codes just shown are no longer offered.
    security.forget_recovery_codes(request)
    context = {
        "has_two_factor": selectors.has_two_factor(request.user),
        # Controllers and administrators reach their pages only with it (security.py).
        "two_factor_required": security.is_staff_member(request.user),
        "recovery_codes_left": selectors.recovery_codes_left(request.user),
        "api_tokens": api_services.live_tokens(user=request.user),
        "token_days": settings.API_TOKEN_DAYS,
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def revoke_api_token(request, token_id):
    if api_services.revoke_token(user=request.user, token_id=token_id):
        messages.success(
            request, _("Jeton révoqué : les applications qui l'utilisaient sont déconnectées.")
        )
    return redirect("accounts:security")


@sensitive_post_parameters("password", "code")
@never_cache  # the authenticator's secret, then the recovery codes
@login_required
@require_http_methods(["GET", "POST"])
def enable_two_factor(request):
    if selectors.has_two_factor(request.user):
        return redirect("accounts:security")
    device = services.totp_device_in_setup(request.user)
    form = forms.EnableTwoFactorForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_device(device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            messages.success(request, _("L'authentification à deux facteurs est activée."))
            return _recovery_codes_page(request, codes)
        form.add_error(
            "code",
            _(
                "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est à jour "
                "et saisissez le code affiché en ce moment."
            ),
        )
    uri = device.config_url
    context = {
        "form": form,
        "qr_code": segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#141b4d"),
        "secret": services.totp_secret_for_display(device),
    }
    return render(request, "accounts/enable_two_factor.html", context)


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def regenerate_recovery_codes(request):
    if not selectors.has_two_factor(request.user):
        return redirect("accounts:security")
    form = forms.CurrentPasswordForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.regenerate_recovery_codes(request.user)
        messages.success(request, _("Vos nouveaux codes de secours remplacent les anciens."))
        return _recovery_codes_page(request, codes)
    return render(request, "accounts/regenerate_recovery_codes.html", {"form": form})


def _recovery_codes_page(request, codes):
    """The page that shows the codes just made, once (never_cache on the views that call it),
    and offers them to copy, download and print."""
    made_at = security.show_recovery_codes(request, codes=codes)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "made_at": made_at})


@never_cache  # no-store: the codes
@login_required
@require_safe
def download_recovery_codes(request):
    """The codes of the page that shows them, as a text file, while that page may offer them
    (security.shown_recovery_codes)."""
    shown = security.shown_recovery_codes(request)
    if shown is None:
        messages.error(
            request,
            _(
                "Vos codes de secours ne sont plus proposés au téléchargement : ils ne "
                "s'affichent qu'une fois. Si vous ne les avez pas notés, générez-en de nouveaux."
            ),
        )
        return redirect("accounts:security")
    codes, made_at = shown
    context = {"codes": codes, "made_at": made_at, "email": request.user.email}
    text = render_to_string("accounts/recovery_codes.txt", context, request=request)
    # FileResponse writes the Content-Disposition, quoted or encoded whatever a translator
    # writes in the name.
    response = FileResponse(
        io.BytesIO(text.encode()),
        as_attachment=True,
        filename=_("codes-de-secours-jo-etickets.txt"),
        content_type="text/plain; charset=utf-8",
    )
    return response


@sensitive_post_parameters("password", "code")
@never_cache  # a refused form may show the password typed
@login_required
@require_http_methods(["GET", "POST"])
def disable_two_factor(request):
    if not selectors.has_two_factor(request.user):
        return redirect("accounts:security")
    form = forms.DisableTwoFactorForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = security.check_second_factor(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except security.LockedOut:
            return locked_out(request)
        if device is not None:
            services.disable_two_factor(request.user)
            messages.success(request, _("L'authentification à deux facteurs est désactivée."))
            return redirect("accounts:security")
        form.add_error("code", _("Code incorrect ou déjà utilisé."))
    return render(request, "accounts/disable_two_factor.html", {"form": form})
