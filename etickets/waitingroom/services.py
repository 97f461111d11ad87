"""Writes of the waiting room: its settings, joining, admitting at the configured pace, and the
admission pass (docs/ARCHITECTURE.md, "Waiting room")."""

import dataclasses
import datetime
import hashlib
import math
import secrets
from collections.abc import Collection, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.accounts.models import User
from etickets.accounts.selectors import has_verified_email
from etickets.catalog.models import Event
from etickets.core import ratelimit
from etickets.core.errors import DomainError
from etickets.inventory.selectors import held_seats_by_event

from . import store
from .models import QueueConfig
from .selectors import (
    SaleState,
    check_pass,
    enabled_queues,
    forget_enabled_queues,
    holds_pass,
    pass_signer,
    queue_in_force,
    status_of,
)


class SaleAlreadyOpen(DomainError):
    message = _("La vente est déjà ouverte : son heure d'ouverture ne peut plus changer.")
    code = "sale_open"


class NotAdmitted(DomainError):
    message = _("Votre tour n'est pas encore venu, ou votre passage a expiré.")
    code = "not_admitted"
    status = 403


class QueueRequired(DomainError):
    message = _(
        "La vente de « %(event)s » passe par une file d'attente : prenez-y votre place pour "
        "acheter (votre panier est conservé)."
    )
    code = "queue_required"
    status = 403

    def __init__(self, *, event: Event, in_force: bool) -> None:
        super().__init__(event=event.title)
        self.queue_url = reverse("waitingroom:queue", kwargs={"slug": event.slug})
        # False before the queue opens: nobody can buy yet, but the offers can be seen.
        self.in_force = in_force

    def details(self) -> dict[str, str]:
        return {"queue_url": self.queue_url}


class EmailNotVerified(DomainError):
    message = _(
        "Pour prendre place dans une file d'attente, confirmez d'abord votre adresse e-mail "
        "(lien envoyé à l'inscription, ou depuis « Mon compte »)."
    )
    code = "email_not_verified"
    status = 403


class QueueNotOpen(DomainError):
    message = _("La file d'attente de cette vente n'est pas ouverte.")
    code = "queue_not_open"
    status = 409


class SoldOutForGood(DomainError):
    message = _("Toutes les places sont vendues : la file d'attente est fermée.")
    code = "sold_out"
    status = 409


class TooManyJoins(DomainError):
    message = _("Trop de demandes depuis votre connexion : réessayez dans une minute.")
    code = "rate_limited"
    status = 429


def configure_queue(
    *, event: Event, opens_at: datetime.datetime, admission_rate: int, enabled: bool
) -> QueueConfig:
    """Create or change the event's waiting room. Its seed is drawn once, at creation: the
    commitment shown before the opening must be the seed's revealed after it."""
    now = timezone.now()
    with transaction.atomic():
        config = QueueConfig.objects.select_for_update().filter(event=event).first()
        if config is None:
            seed = secrets.token_hex(32)
            config = QueueConfig.objects.create(
                event=event,
                opens_at=opens_at,
                admission_rate=admission_rate,
                enabled=enabled,
                seed=seed,
                seed_commitment=hashlib.sha256(seed.encode()).hexdigest(),
            )
            forget_enabled_queues()
            transaction.on_commit(lambda: publish_status(config=config, now=now))
            return config
        # Moving an opening that passed (or to the past) would change who counts as having
        # joined before it, after the seed and the entries could be known.
        if opens_at != config.opens_at and min(opens_at, config.opens_at) <= now:
            raise SaleAlreadyOpen()
        config.opens_at = opens_at
        config.admission_rate = admission_rate
        config.enabled = enabled
        config.save(update_fields=["opens_at", "admission_rate", "enabled", "updated_at"])
        forget_enabled_queues()
        transaction.on_commit(lambda: publish_status(config=config, now=now))
        return config


def set_paused(*, event: Event, paused: bool, now: datetime.datetime | None = None) -> None:
    _change(event=event, paused=paused)
    if not paused:
        # The pause earns no admissions, even if the admission job did not run during it.
        now = now or timezone.now()
        queue = store.queue_store()
        paced = queue.pacing(event.pk)
        if paced is not None and paced < now:
            queue.admit(event.pk, 0, paced_from=paced, paced_to=now, pass_until=now)


def set_rate(*, event: Event, admission_rate: int) -> None:
    _change(event=event, admission_rate=admission_rate)


def _change(*, event: Event, **fields: object) -> None:
    now = timezone.now()
    QueueConfig.objects.filter(event=event).update(**fields, updated_at=now)
    forget_enabled_queues()
    config = QueueConfig.objects.filter(event=event).first()
    if config is not None:
        publish_status(config=config, now=now)


def join_queue(*, user: User, event: Event, client_address: str, now: datetime.datetime) -> str:
    """The user's entry in the event's queue: one per account, however often they join. Once
    admitted, a buyer whose pass expired goes to the back of the line."""
    config = QueueConfig.objects.filter(event=event).first()
    if config is None or not queue_in_force(config=config, now=now):
        raise QueueNotOpen()
    if event.sold >= event.capacity:
        raise SoldOutForGood()
    if not has_verified_email(user=user):
        raise EmailNotVerified()
    # Counted after the account checks: a refused visitor does not use the address's joins.
    if not ratelimit.allow(
        scope="queue-join",
        key=client_address,
        limit=settings.QUEUE_JOIN_RATE_LIMIT,
        window_seconds=60,
        fail_open=False,
    ):
        raise TooManyJoins()
    queue = store.queue_store()
    account = str(user.pk)
    return queue.requeue(event.pk, account, now) or queue.join(event.pk, account, now)


def _pass_duration() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.QUEUE_PASS_MINUTES)


def _seats(*, event_id: int, queue: store.QueueStore, now: datetime.datetime) -> tuple[int, str]:
    """How many more passes the seats left can absorb (sold + held + passes out stay within
    the capacity × QUEUE_CAPACITY_MARGIN: some pass holders buy nothing), and the sale's state."""
    capacity, sold = Event.objects.values_list("capacity", "sold").get(pk=event_id)
    held = held_seats_by_event([event_id]).get(event_id, 0)
    limit = math.floor(capacity * settings.QUEUE_CAPACITY_MARGIN)
    if sold >= capacity:
        return 0, SaleState.SOLD_OUT
    if sold + held >= capacity:
        # Nobody let in while no seat is free: the line keeps them for seats that come back.
        return 0, SaleState.FULL
    return max(limit - sold - held - queue.passes_out(event_id, now), 0), SaleState.OPEN


def publish_status(
    *, config: QueueConfig, now: datetime.datetime, state: str | None = None
) -> None:
    """What the waiting pages show of the sale, where their polls read it (the store):
    ``state`` when the admissions just read the seats, else what the settings and seats tell."""
    status = status_of(config=config, now=now)
    if state is None and status.state == SaleState.OPEN:
        state = _seats(event_id=config.event_id, queue=store.queue_store(), now=now)[1]
    if state is not None:
        status = dataclasses.replace(status, state=state)
    store.queue_store().set_status(config.event_id, status.dumps())


def admit_due(*, event: Event, now: datetime.datetime) -> list[str]:
    """Admit those whose turn has come: ``admission_rate`` a minute since the last admission
    (the fraction of one carries over), fewer if the seats left cannot absorb them, none while
    paused. Safe on several nodes at once: the store admits only for the caller that still
    saw the pacing where it left it. Returns the entries admitted, in order."""
    config = QueueConfig.objects.filter(event=event, enabled=True, opens_at__lte=now).first()
    return [] if config is None else _admit(config=config, now=now)


def admit_all_due(*, now: datetime.datetime) -> int:
    """``admit_due`` for every open queue, and the status of those about to open (Celery beat,
    every second); how many were admitted."""
    soon = now + datetime.timedelta(minutes=settings.QUEUE_OPENS_MINUTES_BEFORE)
    admitted = 0
    for config in QueueConfig.objects.filter(enabled=True, opens_at__lte=soon):
        if config.opens_at <= now:
            admitted += len(_admit(config=config, now=now))
        else:
            publish_status(config=config, now=now)
    return admitted


def _admit(*, config: QueueConfig, now: datetime.datetime) -> list[str]:
    event_id = config.event_id
    queue = store.queue_store()
    queue.draw(event_id, config.seed, config.opens_at)
    paced_from = queue.pacing(event_id)
    start = paced_from or config.opens_at
    pass_until = now + _pass_duration()
    room, state = _seats(event_id=event_id, queue=queue, now=now)
    publish_status(config=config, now=now, state=state)
    if config.paused:
        # The pause's time earns no admissions: no burst when it ends.
        paced_to = max(now, start)
        queue.admit(event_id, 0, paced_from=paced_from, paced_to=paced_to, pass_until=pass_until)
        return []
    minute = datetime.timedelta(minutes=1)
    due = (now - start) * config.admission_rate // minute
    if due <= 0:
        return []
    # Admissions the seats could not absorb are dropped, not saved up for a burst.
    paced_to = now if room < due else start + due * minute / config.admission_rate
    return queue.admit(
        event_id, min(due, room), paced_from=paced_from, paced_to=paced_to, pass_until=pass_until
    )


def _sign_pass(*, user_id: int, event_id: int, until: datetime.datetime) -> str:
    return pass_signer().sign_object({"u": user_id, "e": event_id, "x": until.timestamp()})


def issue_pass(*, user: User, event: Event, now: datetime.datetime) -> str:
    """The signed pass of an admitted user, expiring with their admission."""
    queue = store.queue_store()
    until = queue.pass_expiry(event.pk, queue.current_entry(event.pk, str(user.pk)))
    if until is None or until <= now:
        raise NotAdmitted()
    return _sign_pass(user_id=user.pk, event_id=event.pk, until=until)


def extend_pass(*, token: str, user: User, event: Event, now: datetime.datetime) -> str:
    """A pass valid QUEUE_PASS_MINUTES from now for a buyer in checkout whose pass is still
    valid, so that the seats they hold keep counting against new admissions."""
    if not holds_pass(token=token, user=user, event=event, now=now):
        raise NotAdmitted()
    until = now + _pass_duration()
    queue = store.queue_store()
    queue.extend_pass(event.pk, queue.current_entry(event.pk, str(user.pk)), until)
    return _sign_pass(user_id=user.pk, event_id=event.pk, until=until)


def extend_passes(
    *,
    user: User,
    events: Collection[Event],
    passes: Collection[str],
    now: datetime.datetime,
) -> list[str]:
    """The buyer's passes, those of ``events`` (the cart's, in checkout) extended: what the
    buyer keeps. A pass that expired is not renewed (its buyer goes back to the queue)."""
    kept = list(passes)
    for event in events:
        for token in passes:
            if check_pass(token=token, user=user, event=event, now=now):
                try:
                    extended = extend_pass(token=token, user=user, event=event, now=now)
                except NotAdmitted:
                    break  # over: refused at payment, which sends to the queue
                kept[kept.index(token)] = extended
                break
    return kept


def check_admission(
    *,
    user: User,
    event_ids: Iterable[int] | QuerySet,
    passes: Collection[str],
    now: datetime.datetime,
) -> None:
    """QueueRequired unless the sale of each of ``event_ids`` needs no pass now, or one of
    ``passes`` is the user's valid pass for it: what adding seats to a cart and paying for them
    ask. No query while no queue is on (``event_ids``, which may be a subquery, is read only
    then). A pass buys until it expires, within the per-account limits."""
    queues = enabled_queues()
    if not queues:
        return
    for event_id in set(event_ids) & queues.keys():
        config = queues[event_id]
        in_force = queue_in_force(config=config, now=now)
        if not (
            in_force
            and any(holds_pass(token=t, user=user, event=config.event, now=now) for t in passes)
        ):
            raise QueueRequired(event=config.event, in_force=in_force)


def discard_finished_queues(*, now: datetime.datetime) -> int:
    """Forget the lines of the events that took place (their keys would stay in Redis for
    good); how many."""
    finished = QueueConfig.objects.filter(event__starts_at__lt=now - datetime.timedelta(days=1))
    queue = store.queue_store()
    count = 0
    for event_id in finished.values_list("event_id", flat=True):
        queue.discard(event_id)
        count += 1
    return count
