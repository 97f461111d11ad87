"""« Mes données »: an account's data exported for its owner, and the account deleted — its
personal data erased or made anonymous at once, while what the accountants must keep (orders,
payments, tickets, their amounts) stays, attached to an anonymous, unusable account.

docs/ARCHITECTURE.md, « Personal data ».
"""

import datetime
import logging
import re
import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from etickets.accounts.models import User
from etickets.accounts.security import PENDING_LOGIN
from etickets.api import services as api_services
from etickets.api.models import ApiToken
from etickets.backoffice.models import AuditEntry
from etickets.cart import services as cart_services
from etickets.cart.models import Cart
from etickets.core import ratelimit
from etickets.core.emails import send_templated_email
from etickets.core.errors import DomainError
from etickets.core.jobs import queue_on_commit
from etickets.core.models import OutgoingEmail
from etickets.invoices import services as invoices
from etickets.payments.models import SandboxCharge
from etickets.support.models import ContactMessage, ProblemReport, ReportReply, Screenshot
from etickets.tickets.models import Transfer, TransferState
from etickets.waitlist import services as waitlist_services
from etickets.waitlist.models import LIVE_STATES, WaitingEntry

from . import tasks
from .export import build_zip
from .models import DataExport, ExportState
from .selectors import by_address, valid_future_tickets

logger = logging.getLogger(__name__)

# A job building an export holds it this long; past it, the sweep builds it again.
BUILD_LEASE = datetime.timedelta(minutes=10)
# An export whose job has not started after this long is built by the sweep.
SWEEP_AFTER = datetime.timedelta(minutes=1)
# Exports one account may ask for a day (each makes every ticket's PDF).
EXPORTS_PER_DAY = 5


# --- « Télécharger mes données » -----------------------------------------------------------


class ExportInProgress(DomainError):
    message = _(
        "L'archive de vos données est déjà en préparation : vous recevrez un email dès "
        "qu'elle sera prête."
    )
    code = "export_in_progress"
    status = 409


class TooManyExports(DomainError):
    message = _(
        "Vous avez demandé vos données plusieurs fois aujourd'hui. Utilisez le lien du "
        "dernier email reçu, ou réessayez demain."
    )
    code = "rate_limited"
    status = 429


def request_export(*, user: User) -> DataExport:
    """Ask for an archive of ``user``'s data: built by a job after the commit (at once
    without Redis), then e-mailed as a link valid DATA_EXPORT_HOURS."""
    with transaction.atomic():
        # Two clicks at once make one export.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if DataExport.objects.filter(user=user, state=ExportState.PENDING).exists():
            raise ExportInProgress()
        # A known account's request: uncounted (Redis down), it goes through.
        if not ratelimit.allow(
            scope="data-export",
            key=str(user.pk),
            limit=EXPORTS_PER_DAY,
            window_seconds=24 * 3600,
            fail_open=True,
        ):
            raise TooManyExports()
        export = DataExport.objects.create(user=user)
        queue_on_commit(tasks.build_export, str(export.pk))
    return export


def build_export(*, export_id: str) -> bool:
    """The job: build the archive, store it under PRIVATE_MEDIA_ROOT, e-mail its owner the
    link. Whether this call built it (another job or the sweep may hold it)."""
    now = timezone.now()
    claimed = (
        DataExport.objects.filter(pk=export_id, state=ExportState.PENDING)
        .filter(Q(building_until__isnull=True) | Q(building_until__lt=now))
        .update(building_until=now + BUILD_LEASE)
    )
    if not claimed:
        return False
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:  # the account was deleted meanwhile
        return False
    content = build_zip(export.user)
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, state=ExportState.PENDING)
            .first()
        )
        if export is None:
            return False
        user = export.user
        # A random name: the files' folder lists nothing guessable.
        export.file.save(f"{secrets.token_hex(16)}.zip", ContentFile(content), save=False)
        export.size = len(content)
        export.state = ExportState.READY
        export.ready_at = timezone.now()
        export.expires_at = export.ready_at + datetime.timedelta(hours=settings.DATA_EXPORT_HOURS)
        export.building_until = None
        export.save()
        send_templated_email(
            "privacy/emails/export_ready",
            to=user.email,
            context={
                "user": user,
                "download_path": reverse("privacy:download_export", args=[export.pk]),
                "expires_at": export.expires_at,
                "hours": settings.DATA_EXPORT_HOURS,
            },
            language=user.language,
        )
    return True


def build_pending_exports() -> int:
    """The sweep of build_export: exports whose job was lost (broker down, worker killed).
    How many it built."""
    now = timezone.now()
    stale = DataExport.objects.filter(
        Q(building_until__isnull=True) | Q(building_until__lt=now),
        state=ExportState.PENDING,
        created_at__lte=now - SWEEP_AFTER,
    )
    built = 0
    for export_id in list(stale.values_list("pk", flat=True)):
        try:
            built += build_export(export_id=str(export_id))
        except Exception:  # one that fails must not hold up the others
            logger.exception("Data export %s not built, tried again at the next sweep", export_id)
    return built


def delete_export(export: DataExport) -> None:
    if export.file:
        _delete_file_on_commit(export.file.storage, export.file.name)
    export.delete()


def _delete_file_on_commit(storage: Storage, name: str) -> None:
    """The file goes once its row's change is committed: a rollback leaves both."""
    transaction.on_commit(lambda: storage.delete(name))


# --- Erasing support cases (also the retention job's) ---------------------------------------


def erase_report(report: ProblemReport, *, now: datetime.datetime) -> int:
    """Erase a problem report's text, its replies' and its screenshots (files and rows); the
    reference, status and dates stay. How many screenshots went."""
    shots = list(Screenshot.objects.filter(report=report))
    for shot in shots:
        _delete_file_on_commit(shot.file.storage, shot.file.name)
    Screenshot.objects.filter(report=report).delete()
    ReportReply.objects.filter(report=report).update(body="")
    ProblemReport.objects.filter(pk=report.pk).update(description="", erased_at=now)
    return len(shots)


def erase_contact_messages(messages: QuerySet[ContactMessage], *, now: datetime.datetime) -> int:
    """Erase the sender's name, address, subject and text; the case number and date stay."""
    return messages.filter(erased_at__isnull=True).update(
        name="", email="", subject="", message="", erased_at=now
    )


# --- « Supprimer mon compte » ------------------------------------------------------------------


class TicketsStillValid(DomainError):
    message = _(
        "Votre compte détient encore des billets valables pour des épreuves à venir : "
        "transférez-les ou revendez-les d'abord (« Mes billets »), puis revenez supprimer "
        "votre compte. Vos billets sont nominatifs : supprimer le compte les rendrait "
        "inutilisables."
    )
    code = "tickets_still_valid"
    status = 409


def deletion_refusal(user: User) -> DomainError | None:
    """Why ``user``'s account may not be deleted now, or None."""
    if valid_future_tickets(user):
        return TicketsStillValid()
    return None


ERASED_ADDRESS = "adresse-effacee@jo-etickets.invalid"


def anonymous_email(user_id: int) -> str:
    # ``.invalid`` is reserved (RFC 2606): no mail ever leaves for it.
    return f"compte-supprime-{user_id}@jo-etickets.invalid"


def delete_account(*, user: User) -> None:
    """Erase ``user``'s personal data, end their sessions and API tokens, and leave an
    anonymous, inactive account that nobody can log into; its orders, payments and tickets
    stay for the accounts, without a name. TicketsStillValid while it holds tickets that may
    still enter an event to come."""
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk, deleted_at__isnull=True)
        if locked.first() is None:
            return
        refusal = deletion_refusal(user)
        if refusal is not None:
            raise refusal
        _erase(user, now=timezone.now())
    # After the commit, not holding the account's lock: every session is read. Those of the
    # account are dead already (no usable password, inactive): this deletes their data.
    end_sessions(user)
    logger.info("Account %s deleted: its personal data erased", user.pk)


def _erase(user: User, *, now: datetime.datetime) -> None:
    email, login = user.email, user.email.strip().lower()
    full_name = f"{user.first_name} {user.last_name}".strip()
    anonymous = anonymous_email(user.pk)

    # What is under way: its waiting-list places, its cart and its seats held.
    for entry_id in WaitingEntry.objects.filter(user=user, state__in=LIVE_STATES).values_list(
        "pk", flat=True
    ):
        waitlist_services.leave_waiting_list(user=user, entry_id=entry_id)
    cart_services.clear_cart(user)
    Cart.objects.filter(user=user).delete()
    recipients = set(
        Transfer.objects.filter(sender=user)
        .exclude(recipient_email="")
        .values_list("recipient_email", flat=True)
    )
    Transfer.objects.filter(sender=user, state=TransferState.PENDING).update(
        state=TransferState.CANCELLED, decided_at=now
    )
    # The addresses of transfers: those the user typed, and theirs on those they received.
    Transfer.objects.filter(
        Q(sender=user)
        | Q(recipient=user)
        | (by_address(user, "recipient_email") & ~Q(state=TransferState.PENDING))
    ).update(recipient_email="")

    # Support: the reports' texts and screenshots, the contact messages.
    for report in ProblemReport.objects.filter(user=user, erased_at__isnull=True):
        erase_report(report, now=now)
    contact_messages = ContactMessage.objects.filter(Q(user=user) | by_address(user, "email"))
    cases = list(contact_messages.values_list("case_number", flat=True))
    erase_contact_messages(contact_messages, now=now)

    # E-mails still in the outbox, to them or about them (a contact message's copy to the team).
    about = Q(to__iexact=email) | Q(subject__icontains=email) | Q(text__icontains=email)
    about |= Q(html__icontains=email)
    if full_name:
        about |= Q(text__icontains=full_name) | Q(html__icontains=full_name)
    for case in cases:
        # The team's copy, « [C-…] » and the subject typed.
        about |= Q(subject__startswith=f"[{case}]")
    if user.first_name:
        # « Camille vous transfère un billet »: the subject, kept a few days once sent.
        about |= Q(to__in=recipients, subject__icontains=user.first_name)
    OutgoingEmail.objects.filter(about).delete()

    # Login records and the addresses (IP) they hold.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=login).delete()

    # Records that name the address: the back office's audit log (written once, edited only
    # here), the admin's history; with the addresses the user typed for transfers.
    replacements = {email: anonymous, **dict.fromkeys(recipients, ERASED_ADDRESS)}
    for entry in AuditEntry.objects.filter(
        Q(target__icontains=email) | Q(summary__icontains=email) | Q(details__icontains=email)
    ):
        entry.target = _replaced(entry.target, replacements)
        entry.summary = _replaced(entry.summary, replacements)
        entry.details = {
            key: _replaced(value, replacements) if isinstance(value, str) else value
            for key, value in entry.details.items()
        }
        entry.save(update_fields=["target", "summary", "details"])
    # The sandbox acquirer's ledger (a real acquirer keeps its own): the description the
    # checkout sent it names the buyer.
    for charge in SandboxCharge.objects.filter(description__icontains=email):
        charge.description = _replaced(charge.description, {email: anonymous})
        charge.save(update_fields=["description"])
    for log in LogEntry.objects.filter(object_repr__icontains=email):
        log.object_repr = _replaced(log.object_repr, {email: anonymous})
        log.save(update_fields=["object_repr"])

    # Its invoices keep their amounts for the accounts, not the buyer's name nor address.
    invoices.forget_buyer(user_id=user.pk, email=anonymous)

    # Its exports, second factors and API tokens (their names are the user's words).
    for export in DataExport.objects.filter(user=user):
        delete_export(export)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    api_services.revoke_all_tokens(user=user)
    ApiToken.objects.filter(user=user).delete()

    # The account itself: anonymous, inactive, without a password that could ever match.
    user.email = anonymous
    user.username = f"compte-supprime-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email_verified_at = None
    user.last_login = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = now
    user.set_unusable_password()
    user.save()  # the rights changed: the credentials end (accounts.services.end_credentials)
    user.groups.clear()


def _replaced(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each key of ``replacements`` replaced, whatever its letter case."""
    for old, new in replacements.items():
        # A string replacement would read backslashes in ``new`` as escapes: escape them.
        text = re.sub(re.escape(old), new.replace("\\", "\\\\"), text, flags=re.IGNORECASE)
    return text


def end_sessions(user: User) -> int:
    """Delete every session of ``user``'s, logged in or half-way through the second factor.
    Sessions are in the database (settings.SESSION_ENGINE); their owner is inside the signed
    data, so each live one is read. How many went."""
    mine = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        pending = data.get(PENDING_LOGIN) or {}
        if data.get("_auth_user_id") == str(user.pk) or pending.get("user_id") == user.pk:
            mine.append(session.pk)
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)
