"""Writes of the waiting room: its settings, joining, admitting at the configured pace, and the
admission pass (docs/ARCHITECTURE.md, "Waiting room")."""

import datetime
import hashlib
import math
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etickets.catalog.models import Event
from etickets.core.errors import DomainError
from etickets.inventory.selectors import held_seats_by_event

from . import store
from .models import QueueConfig
from .selectors import check_pass, pass_signer


class SaleAlreadyOpen(DomainError):
    message = _("La vente est déjà ouverte : son heure d'ouverture ne peut plus changer.")
    code = "sale_open"


class NotAdmitted(DomainError):
    message = _("Votre tour n'est pas encore venu, ou votre passage a expiré.")
    code = "not_admitted"
    status = 403


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
            return QueueConfig.objects.create(
                event=event,
                opens_at=opens_at,
                admission_rate=admission_rate,
                enabled=enabled,
                seed=seed,
                seed_commitment=hashlib.sha256(seed.encode()).hexdigest(),
            )
        # Moving an opening that passed (or to the past) would change who counts as having
        # joined before it, after the seed and the entries could be known.
        if opens_at != config.opens_at and min(opens_at, config.opens_at) <= now:
            raise SaleAlreadyOpen()
        config.opens_at = opens_at
        config.admission_rate = admission_rate
        config.enabled = enabled
        config.save(update_fields=["opens_at", "admission_rate", "enabled", "updated_at"])
        return config


def set_paused(*, event: Event, paused: bool) -> None:
    QueueConfig.objects.filter(event=event).update(paused=paused, updated_at=timezone.now())


def set_rate(*, event: Event, admission_rate: int) -> None:
    QueueConfig.objects.filter(event=event).update(
        admission_rate=admission_rate, updated_at=timezone.now()
    )


def join_queue(*, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> str:
    """The user's entry in the event's queue: one per account, however often they join."""
    return store.queue_store().join(event.pk, str(user.pk), now)


def _pass_duration() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.QUEUE_PASS_MINUTES)


def _seats_room(*, event_id: int, queue: store.QueueStore, now: datetime.datetime) -> int:
    """How many more passes the seats left can absorb: sold + held + passes out stay within
    the capacity × QUEUE_CAPACITY_MARGIN (some pass holders buy nothing)."""
    capacity, sold = Event.objects.values_list("capacity", "sold").get(pk=event_id)
    held = held_seats_by_event([event_id]).get(event_id, 0)
    limit = math.floor(capacity * settings.QUEUE_CAPACITY_MARGIN)
    return max(limit - sold - held - queue.passes_out(event_id, now), 0)


def admit_due(*, event: Event, now: datetime.datetime) -> list[str]:
    """Admit those whose turn has come: ``admission_rate`` a minute since the last admission
    (the fraction of one carries over), fewer if the seats left cannot absorb them, none while
    paused. Safe on several nodes at once: the store admits only for the caller that still
    saw the pacing where it left it. Returns the entries admitted, in order."""
    config = QueueConfig.objects.filter(event=event, enabled=True, opens_at__lte=now).first()
    return [] if config is None else _admit(config=config, now=now)


def admit_all_due(*, now: datetime.datetime) -> int:
    """``admit_due`` for every open queue (Celery beat, every second); how many were admitted."""
    configs = QueueConfig.objects.filter(enabled=True, opens_at__lte=now)
    return sum(len(_admit(config=config, now=now)) for config in configs)


def _admit(*, config: QueueConfig, now: datetime.datetime) -> list[str]:
    event_id = config.event_id
    queue = store.queue_store()
    queue.draw(event_id, config.seed, config.opens_at)
    paced_from = queue.pacing(event_id)
    start = paced_from or config.opens_at
    pass_until = now + _pass_duration()
    if config.paused:
        # The pause's time earns no admissions: no burst when it ends.
        paced_to = max(now, start)
        queue.admit(event_id, 0, paced_from=paced_from, paced_to=paced_to, pass_until=pass_until)
        return []
    minute = datetime.timedelta(minutes=1)
    due = (now - start) * config.admission_rate // minute
    if due <= 0:
        return []
    room = _seats_room(event_id=event_id, queue=queue, now=now)
    # Admissions the seats could not absorb are dropped, not saved up for a burst.
    paced_to = now if room < due else start + due * minute / config.admission_rate
    return queue.admit(
        event_id, min(due, room), paced_from=paced_from, paced_to=paced_to, pass_until=pass_until
    )


def _sign_pass(*, user_id: int, event_id: int, until: datetime.datetime) -> str:
    return pass_signer().sign_object({"u": user_id, "e": event_id, "x": until.timestamp()})


def issue_pass(*, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> str:
    """The signed pass of an admitted user, expiring with their admission."""
    entry = store.entry_id(event_id=event.pk, account_key=str(user.pk))
    until = store.queue_store().pass_expiry(event.pk, entry)
    if until is None or until <= now:
        raise NotAdmitted()
    return _sign_pass(user_id=user.pk, event_id=event.pk, until=until)


def extend_pass(*, token: str, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> str:
    """A pass valid QUEUE_PASS_MINUTES from now for a buyer in checkout whose pass is still
    valid, so that the seats they hold keep counting against new admissions."""
    if not check_pass(token=token, user=user, event=event, now=now):
        raise NotAdmitted()
    until = now + _pass_duration()
    entry = store.entry_id(event_id=event.pk, account_key=str(user.pk))
    store.queue_store().extend_pass(event.pk, entry, until)
    return _sign_pass(user_id=user.pk, event_id=event.pk, until=until)
