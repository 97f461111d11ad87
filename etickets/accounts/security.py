"""Login with a second factor, brute-force accounting, the staff 2FA gate, and the recovery
codes a session was just shown.

Every secret a caller types for an account — its password at login or in a form that asks for
it again, a second-factor or recovery code, on the site or the API — goes through this module:
the account's lock (django-axes: AXES_FAILURE_LIMIT failures, per account and per address) is
checked before the secret is, and a wrong one counts as a failed login.
"""

import datetime
import time
from functools import wraps

from axes import utils as axes_utils
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model, login, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device

from etickets.core.errors import DomainError

from . import services
from .selectors import has_two_factor

PENDING_LOGIN = "accounts_pending_login"
PENDING_LOGIN_LIFETIME = 5 * 60  # seconds to type the code after the password
SHOWN_RECOVERY_CODES = "accounts_shown_recovery_codes"
# Recovery codes are shown once; the page that shows them offers them as a file for this
# long (seconds), to this session, and no more once « Sécurité » is reached from it.
RECOVERY_CODES_DOWNLOAD_LIFETIME = 10 * 60
# « Se souvenir de moi »: 30 days. Otherwise the cookie ends with the browser and the session
# on the server after SESSION_COOKIE_AGE without use (a day).
REMEMBER_ME_AGE = 30 * 24 * 60 * 60


class LockedOut(DomainError):
    message = gettext_lazy("Trop de tentatives : réessayez dans 15 minutes.")
    code = "rate_limited"
    status = 429


def axes_username(request, credentials=None) -> str:
    """The account an attempt targets, whatever the case it was typed in."""
    value = (credentials or {}).get("email")
    if value is None and request is not None and hasattr(request, "POST"):
        value = request.POST.get("email")
    return (value or "").strip().lower()


def _credentials(user) -> dict[str, str]:
    return {"email": user.email}


def _record_failure(request: HttpRequest, user) -> None:
    """A wrong secret counts as a failed login for the account and the address; the last one
    allowed sets ``request.axes_locked_out`` (AxesMiddleware then answers with ``locked_out``),
    and ``lock_reached_here``: this request's guess locked the account."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    locked_here = bool(getattr(request, "axes_locked_out", False))
    request.lock_reached_here = locked_here  # type: ignore[attr-defined]  # ours, read by the views


def refuse_while_locked(request: HttpRequest, user) -> None:
    """Raise LockedOut, before any secret is checked, while the account or the address is
    locked: a right guess sent then must neither pass nor lift the lock."""
    if not AxesProxyHandler.is_allowed(request, _credentials(user)):
        request.axes_locked_out = True  # type: ignore[attr-defined]  # axes reads it
        raise LockedOut()


def check_second_factor(*, request: HttpRequest, user, code: str) -> Device | None:
    """The device that accepts ``code`` (authenticator or recovery code), or None, counted as
    a failed login; LockedOut while locked."""
    refuse_while_locked(request, user)
    device = services.verify_second_factor(user, code=code)
    if device is None:
        _record_failure(request, user)
    return device


def check_current_password(*, request: HttpRequest, user, password: str) -> bool:
    """Whether ``password`` is the account's, for a form that asks for it again: a wrong one
    counts as a failed login (a stolen session must not guess it freely); LockedOut while
    locked."""
    refuse_while_locked(request, user)
    if user.check_password(password):
        return True
    _record_failure(request, user)
    return False


def forget_failed_logins(user) -> None:
    """Lift the brute-force lock on ``user``'s account (from every address): used once they
    have proved they own the mailbox by setting a new password from a reset link."""
    axes_utils.reset(username=axes_username(None, _credentials(user)))


def complete_login(request, user, remember: bool, device=None) -> None:
    """Open the session: a new session key, the verified device, the session's lifetime."""
    request.session.pop(PENDING_LOGIN, None)
    forget_failed_logins(user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    request.session.set_expiry(REMEMBER_ME_AGE if remember else 0)


def begin_login(request, user, remember: bool, next_url: str) -> bool:
    """Log the user in, or hold the login until the second factor; True when it is held."""
    if not has_two_factor(user):
        complete_login(request, user, remember)
        return False
    request.session.cycle_key()
    request.session[PENDING_LOGIN] = {
        "user_id": user.pk,
        "remember": remember,
        "next": next_url,
        "started": time.time(),
    }
    return True


def pending_login(request):
    """The (user, remember, next) of a login waiting for its code, or None."""
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["started"] > PENDING_LOGIN_LIFETIME:
        request.session.pop(PENDING_LOGIN, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        return None
    return user, pending["remember"], pending["next"]


def is_administrator(user) -> bool:
    """Runs the back office: is_staff and is_superuser (docs/ARCHITECTURE.md, « Words »)."""
    return user.is_active and user.is_staff and user.is_superuser


def is_staff_member(user) -> bool:
    return user.is_staff or user.groups.filter(name="Contrôleur").exists()


def verified_staff_required(may_enter=is_staff_member):
    """Gate a staff page: the right role, 2FA set up, and this session verified by it.

    Anyone else gets a 404, so that the page does not even show it exists.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_enter(user):
                raise Http404
            if not user_has_device(user):
                messages.warning(
                    request,
                    _(
                        "Activez l'authentification à deux facteurs pour accéder aux "
                        "espaces réservés au personnel."
                    ),
                )
                return redirect("accounts:security")
            if not user.is_verified():
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Recovery codes, shown once ----------------------------------------------------------------


def show_recovery_codes(request: HttpRequest, *, codes: list[str]) -> datetime.datetime:
    """Keep the codes just made for the download of their page; when they were made."""
    shown_at = time.time()
    request.session[SHOWN_RECOVERY_CODES] = {"codes": codes, "shown_at": shown_at}
    return datetime.datetime.fromtimestamp(shown_at, tz=datetime.UTC)


def shown_recovery_codes(request: HttpRequest) -> tuple[list[str], datetime.datetime] | None:
    """The codes this session was just shown and when they were made, while their page may
    still offer them: the session verified by its second factor, which is still on; else
    None."""
    shown = request.session.get(SHOWN_RECOVERY_CODES)
    user = request.user
    if (
        not shown
        or time.time() - shown["shown_at"] > RECOVERY_CODES_DOWNLOAD_LIFETIME
        or not user.is_authenticated
        or not user.is_verified()
        or not has_two_factor(user)
    ):
        forget_recovery_codes(request)
        return None
    return shown["codes"], datetime.datetime.fromtimestamp(shown["shown_at"], tz=datetime.UTC)


def forget_recovery_codes(request: HttpRequest) -> None:
    request.session.pop(SHOWN_RECOVERY_CODES, None)
