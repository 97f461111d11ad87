"""Letting tickets in: each one exactly once, whatever the number of gates scanning it."""

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.catalog.models import Event
from etickets.catalog.selectors import event_by_id
from etickets.core import ratelimit, sql
from etickets.core.errors import DomainError
from etickets.tickets.errors import REASONS, TicketRefused
from etickets.tickets.models import Ticket, TicketState, parse_number
from etickets.tickets.services import check_ticket, check_ticket_number
from etickets.tickets.signing import public_key_raw
from etickets.tickets.tokens import key_digest

from .models import CONTROLLER_GROUP, Scan, Verdict

BUNDLE_SALT = "etickets.gate.bundle"

# A typed ticket number that may enter once the steward has seen the holder's identity
# document: logged as a lookup, nothing marked yet.
CHECK_IDENTITY = Verdict.CHECK_IDENTITY
IDENTITY_TO_CHECK = _(
    "Numéro saisi à la main : il ne prouve rien seul. Faites entrer seulement sur "
    "présentation d'une pièce d'identité à ce nom."
)
# Shown with CHECK_IDENTITY for a ticket whose QR code was regenerated (key_version > 1): its
# holder thought it copied, so whoever shows the number may not be them.
QR_REGENERATED = _(
    "QR code de ce billet régénéré par son titulaire : contrôlez la pièce d'identité avec un "
    "soin particulier."
)
# A static QR code (a printed ticket, or a copy of it) for an event whose codes rotate: it proves
# the ticket, not who carries it, so it waits for the identity check like a typed number.
PRINTED_TO_CHECK = _(
    "Billet imprimé — vérifiez la pièce d'identité : faites entrer seulement si elle est à ce nom."
)
ADMITTED_PRINTED = _("Entrée autorisée, billet imprimé, pièce d'identité vérifiée.")
ADMITTED = _("Entrée autorisée.")
ADMITTED_BY_NUMBER = _("Entrée autorisée par numéro, pièce d'identité vérifiée.")


def may_scan(user: User) -> bool:
    """Controllers and administrators; the second factor is checked by the page or the API."""
    if not user.is_active:
        return False
    # all(): an API token's cached user comes with its groups (api.auth.token_identity).
    return user.is_staff or any(group.name == CONTROLLER_GROUP for group in user.groups.all())


@dataclass(frozen=True)
class Outcome:
    verdict: str  # a Verdict value
    reason: str  # "" when valid, else a key of tickets.errors.REASONS
    ticket: Ticket | None
    scan: Scan
    by_number: bool = False  # the printed number was typed, not the QR code
    printed: bool = False  # a static QR code where the event's rotate: see redeem_ticket

    @property
    def label(self) -> str:
        """« VALIDE », « DÉJÀ UTILISÉ »…: what the scanner shows in large."""
        return str(Verdict(self.verdict).label)

    @property
    def message(self) -> str:
        if self.reason:
            return str(REASONS.get(self.reason, ""))
        if self.verdict == CHECK_IDENTITY:
            return str(PRINTED_TO_CHECK if self.printed else IDENTITY_TO_CHECK)
        if self.printed:
            return str(ADMITTED_PRINTED)
        return str(ADMITTED_BY_NUMBER if self.by_number else ADMITTED)


def _entry_time(scanned_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """When the holder went in: the offline device's time, never later than the server's."""
    return now if scanned_at is None else min(scanned_at, now)


class UnknownEvent(DomainError):
    message = _("Épreuve introuvable.")
    code = "not_found"
    status = 404


class BadBundle(DomainError):
    message = _("Liste hors ligne non reconnue pour cette épreuve : rechargez la page du contrôle.")
    code = "bad_bundle"


class TooManyNumbers(DomainError):
    message = _(
        "Trop de numéros saisis en une minute : scannez les QR codes, ou patientez un instant."
    )
    code = "too_many_numbers"
    status = 429


class BadScanTime(DomainError):
    message = _(
        "Heure de passage impossible : antérieure à la liste hors ligne de l'appareil ou dans "
        "le futur. Vérifiez l'heure de l'appareil."
    )
    code = "bad_scan_time"


def redeem_ticket(
    code: str,
    *,
    event: Event | int,
    gate: str,
    controller: User,
    identity_checked: bool = False,
    scanned_at: datetime.datetime | None = None,
    offline: bool = False,
    device: str = "",
) -> Outcome:
    """Check a QR code, or a ticket's printed number, at a gate of ``event`` and, if it may
    enter, mark it used.

    A static QR code of an event whose codes rotate (``Event.rotating_codes``) is a printed
    ticket or a copy of one: like a number, CHECK_IDENTITY until ``identity_checked``, but a
    signed code, so without the number's budget.

    A number (when the QR code will not scan) finds only ``event``'s tickets and proves
    nothing by itself: a ticket it finds that may enter is CHECK_IDENTITY (logged as a lookup,
    not marked) until it comes again with ``identity_checked`` (the steward saw the holder's
    identity document). Each controller may look up GATE_NUMBER_RATE_LIMIT numbers a minute
    online (TooManyNumbers); entries by number, online or offline, are held to
    number_entry_refusal's rule (NUMBER_REFUSED, not marked).

    The mark is one conditional UPDATE (``used_at IS NULL AND state = valid``): of any number of
    simultaneous scans of one ticket, exactly one changes a row and says « VALIDE ». Every scan is
    logged, in the same transaction as the mark. A scan made offline that arrives after the
    ticket entered elsewhere is a conflict.

    ``event`` may be given by its id (the API's scans): a ticket of that event comes with it,
    and it is read only for other tickets; UnknownEvent if there is no such event.
    """
    now = timezone.now()
    entry = _entry_time(scanned_at, now)
    event_id = event.pk if isinstance(event, Event) else event
    number = parse_number(code)
    by_number = number is not None
    if by_number and not identity_checked and not offline:
        _count_number_lookup(controller)
    ticket, reason, printed = None, "", False
    try:
        if number is None:
            # A rotating code is checked against when it was shown: an offline scan's time.
            checked = check_ticket(code, event_id=event_id, at=entry)
            ticket, printed = checked.ticket, checked.printed
        else:
            ticket = check_ticket_number(number=number, event_id=event_id)
    except TicketRefused as refusal:
        ticket, reason = refusal.ticket, refusal.reason
    if ticket is not None and ticket.event_id == event_id:
        scanned_event = ticket.event
    elif isinstance(event, Event):
        scanned_event = event
    else:
        found = event_by_id(event_id)
        if found is None:
            raise UnknownEvent()
        scanned_event = found
    scan = Scan(
        event=scanned_event,
        ticket=ticket,
        verdict=_verdict(reason, offline, (by_number or printed) and not identity_checked),
        reason=reason,
        controller=controller,
        gate=gate,
        scanned_at=entry,
        offline=offline,
        device=device,
        by_number=by_number,
        printed=printed,
    )
    if reason or scan.verdict == CHECK_IDENTITY:
        sql.insert([scan])
    elif by_number:
        _enter_by_number(ticket, scan)
    else:
        _enter(ticket, scan)
    return Outcome(scan.verdict, scan.reason, ticket, scan, by_number=by_number, printed=printed)


def _enter(ticket: Ticket, scan: Scan) -> None:
    if _admit(ticket, scan):
        ticket.used_at, ticket.used_gate, ticket.used_by = (
            scan.scanned_at,
            scan.gate,
            scan.controller,
        )
    else:  # another gate was faster: show when and where it entered
        ticket.refresh_from_db(fields=["used_at", "used_gate", "used_by", "state"])
        if ticket.state != TicketState.VALID:
            # Refunded, transferred or resold between the check and the mark: that, not « déjà
            # utilisé », is why it may not enter (rare: one more write).
            scan.verdict, scan.reason = Verdict.INVALID, ticket.state
            Scan.objects.filter(pk=scan.pk).update(verdict=scan.verdict, reason=scan.reason)


# pg_advisory_xact_lock's first key: « gate number entries » (the second is the controller).
_NUMBER_ENTRIES_LOCK = 0x6E756D


def _enter_by_number(ticket: Ticket, scan: Scan) -> None:
    """Enter ``ticket`` unless number_entry_refusal says no. One controller's entries are
    counted and written one at a time (a lock per controller: on SQLite the transaction's own
    write lock), so that simultaneous requests cannot overspend the budget."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            sql.row(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_NUMBER_ENTRIES_LOCK, scan.controller.pk]
            )
        refusal = number_entry_refusal(
            event=scan.event, controller=scan.controller, at=scan.scanned_at
        )
        if refusal:
            scan.verdict, scan.reason = Verdict.NUMBER_REFUSED, refusal
            sql.insert([scan])
        else:
            _enter(ticket, scan)


def number_entry_hours(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """When ``event``'s tickets may enter by number: from GATE_NUMBER_OPENS_BEFORE its start
    to the end of its day, Paris time (its day's sessions are over by midnight)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = event.starts_at.astimezone(zone).date()
    closes = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)
    return event.starts_at - settings.GATE_NUMBER_OPENS_BEFORE, closes


def number_entry_refusal(*, event: Event, controller: User, at: datetime.datetime) -> str:
    """Why an entry by number at ``at`` may not mark its ticket used ("" when it may): outside
    ``event``'s hours (number_hours), or past GATE_NUMBER_RATE_LIMIT entries by number of
    ``controller``, online and offline, within a minute (number_budget).

    A number carries no signature: without this budget one stolen scanner (its bundle lists
    every number) could mark a whole event used. Any 60-second window of the entries' times,
    those recorded included, holds at most the limit; offline times are bounded already
    (sync_offline_scans). The window with most entries among those holding ``at`` starts at
    ``at`` or at an entry before it. Rare, so the ORM."""
    opens, closes = number_entry_hours(event)
    if not opens <= at < closes:
        return "number_hours"
    minute = datetime.timedelta(seconds=60)
    times = list(
        Scan.objects.filter(
            controller=controller,
            by_number=True,
            verdict=Verdict.VALID,
            scanned_at__gt=at - minute,
            scanned_at__lt=at + minute,
        ).values_list("scanned_at", flat=True)
    )
    starts = [at, *(time for time in times if time <= at)]
    limit = settings.GATE_NUMBER_RATE_LIMIT
    if any(sum(start <= time < start + minute for time in times) >= limit for start in starts):
        return "number_budget"
    return ""


def _count_number_lookup(controller: User) -> None:
    """TooManyNumbers past GATE_NUMBER_RATE_LIMIT lookups a minute: numbers are looked up one
    by one, by a person. Only lookups count here, not their entries (each follows its lookup:
    counting both halved the limit); entries have their own budget in the database
    (number_entry_refusal). Open without Redis: the gate keeps letting people in, and a number
    finds nothing a controller cannot already see in the event's offline bundle."""
    allowed = ratelimit.allow(
        scope="gate-number",
        key=str(controller.pk),
        limit=settings.GATE_NUMBER_RATE_LIMIT,
        window_seconds=60,
        fail_open=True,
    )
    if not allowed:
        raise TooManyNumbers()


def _verdict(reason: str, offline: bool, lookup: bool = False) -> str:
    if not reason:
        return Verdict.CHECK_IDENTITY if lookup else Verdict.VALID
    if reason == "already_used":
        return Verdict.CONFLICT if offline else Verdict.ALREADY_USED
    return Verdict.INVALID


_MARK_USED = (
    "UPDATE tickets_ticket SET used_at = %s, used_gate = %s, used_by_id = %s "
    "WHERE id = %s AND used_at IS NULL AND state = %s"
)


def _admit(ticket: Ticket, scan: Scan) -> bool:
    """Mark the ticket used unless another scan was faster, and log ``scan`` with the verdict
    it then gets (« already used » if it lost the race); whether it won. On PostgreSQL one
    statement, atomic on its own (rather than BEGIN, two writes and COMMIT)."""
    mark = [scan.scanned_at, scan.gate, scan.controller.pk, ticket.pk, TicketState.VALID]
    lost = _verdict("already_used", scan.offline)
    if connection.vendor != "postgresql":
        with transaction.atomic():
            admitted = bool(sql.execute(_MARK_USED, mark))
            if not admitted:
                scan.verdict, scan.reason = lost, "already_used"
            sql.insert([scan])
        return admitted
    outcome = {
        "verdict": lambda _scan: (
            "CASE WHEN EXISTS (SELECT 1 FROM u) THEN %s ELSE %s END",
            [Verdict.VALID, lost],
        ),
        "reason": lambda _scan: (
            "CASE WHEN EXISTS (SELECT 1 FROM u) THEN '' ELSE %s END",
            ["already_used"],
        ),
    }
    log, params = sql.insert_select([scan], outcome)
    scan.pk, scan.verdict, scan.reason = sql.one(
        f"WITH u AS ({_MARK_USED} RETURNING id) {log} RETURNING id, verdict, reason",
        [*mark, *params],
    )
    sql.mark_saved([scan])
    return scan.verdict == Verdict.VALID


def offline_bundle(event: Event) -> dict[str, Any]:
    """What a scanner needs to keep checking tickets of ``event`` without network: the public
    key, whether the event's codes rotate, and each ticket's id, printed number, key digest,
    key version (a rotating code's certificate must carry the current one) and state; the
    server's time as it is served (the device measures its clock against it: rotating codes
    and offline entries are dated by the server's time); and the stamp (signed: the device
    cannot make an older one) that dates the scans made with it when they are sent back. The
    number is the start of the id, which the bundle carries anyway."""
    tickets = Ticket.objects.filter(event=event).select_related(
        "holder", "order", "order_line__offer"
    )
    now = timezone.now()
    bundle = {
        "event": event.pk,
        "public_key": public_key_raw(),
        "rotating_codes": event.rotating_codes,
        "generated_at": now.isoformat(),
        "stamp": signing.dumps({"event": event.pk, "at": now.timestamp()}, salt=BUNDLE_SALT),
        "tickets": [
            {
                "id": str(ticket.id),
                "number": ticket.number,
                "digest": key_digest(ticket).hex(),
                "key_version": ticket.key_version,
                "state": ticket.status_code,
                "persons": ticket.persons,
                "holder": f"{ticket.holder.first_name} {ticket.holder.last_name}",
                "kind": ticket.order_line.offer.get_kind_display(),
                "qr_regenerated": ticket.qr_regenerated,
                "used_at": ticket.used_at.isoformat() if ticket.used_at else None,
                "used_gate": ticket.used_gate,
            }
            for ticket in tickets
        ],
    }
    # Last, just before the answer leaves: the device measures its clock against it.
    bundle["served_at"] = timezone.now().isoformat()
    return bundle


def _bundle_time(stamp: str, event_id: int) -> datetime.datetime:
    """When the bundle of ``stamp`` was made for ``event_id``; BadBundle for any other stamp."""
    try:
        made = signing.loads(stamp, salt=BUNDLE_SALT)
    except signing.BadSignature as error:
        raise BadBundle() from error
    if made["event"] != event_id:
        raise BadBundle()
    return datetime.datetime.fromtimestamp(made["at"], tz=datetime.UTC)


def _scan_time(
    text: str, *, earliest: datetime.datetime, latest: datetime.datetime
) -> datetime.datetime:
    """The time an offline scan claims, if it is one it can have had; BadScanTime otherwise."""
    try:
        moment = datetime.datetime.fromisoformat(text)
        # A time without its offset is no point in time: guessing the zone could shift an
        # entry by hours, so it is refused like any other unreadable time.
        possible = moment.tzinfo is not None and earliest <= moment <= latest
    except (ValueError, OverflowError) as error:  # not ISO 8601; out of range once in UTC
        raise BadScanTime() from error
    if not possible:
        raise BadScanTime()
    return moment


@dataclass(frozen=True)
class OfflineScan:
    code: str  # the QR code's token, or the ticket's number
    scanned_at: str  # ISO 8601, as the device sent it
    identity_checked: bool = False  # see redeem_ticket


def sync_offline_scans(
    *,
    event: Event,
    gate: str,
    controller: User,
    device: str,
    bundle: str,
    scans: list[OfflineScan],
) -> list[Outcome | BadScanTime]:
    """Record the scans a device made offline with the bundle stamped
    ``bundle``, in the order they happened: for each, in the order given, its outcome or why
    it was refused. A scan can only have happened between the bundle's making and now (give
    or take GATE_CLOCK_SKEW for the device's clock): a time outside is refused, the others are
    recorded all the same. BadBundle if the stamp is not one of ``event``'s bundles."""
    skew = settings.GATE_CLOCK_SKEW
    earliest = _bundle_time(bundle, event.pk) - skew
    latest = timezone.now() + skew
    results: dict[int, Outcome | BadScanTime] = {}
    timed = []
    for index, offline_scan in enumerate(scans):
        try:
            moment = _scan_time(offline_scan.scanned_at, earliest=earliest, latest=latest)
        except BadScanTime as refusal:
            results[index] = refusal
        else:
            timed.append((moment, index, offline_scan))
    # The first of two offline scans of one ticket lets it in; the second is the conflict.
    for moment, index, offline_scan in sorted(timed):
        results[index] = redeem_ticket(
            offline_scan.code,
            event=event,
            gate=gate,
            controller=controller,
            identity_checked=offline_scan.identity_checked,
            scanned_at=moment,
            offline=True,
            device=device,
        )
    return [results[index] for index in range(len(scans))]
