"""Reads of the waiting room: the draw's public record and the admission pass's check."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing

from etickets.catalog.models import Event

from . import store
from .models import QueueConfig


def pass_signer() -> signing.Signer:
    # Its own salt: no other signed value of the site can pass for an admission pass.
    return signing.Signer(salt="etickets.waitingroom.pass")


def check_pass(*, token: str, user: AbstractBaseUser, event: Event, now: datetime.datetime) -> bool:
    """Whether ``token`` is a pass of ``user`` for ``event`` still valid at ``now``: its
    signature says so, no query needed."""
    try:
        content = pass_signer().unsign_object(token)
    except signing.BadSignature:
        return False
    return (
        content.get("u") == user.pk
        and content.get("e") == event.pk
        and now.timestamp() < content.get("x", 0)
    )


@dataclass(frozen=True)
class FairnessRecord:
    commitment: str
    seed: str | None  # revealed once the draw is made
    drawn: int  # the line's first ``drawn`` entries are fair_order(seed, those entries)
    entry_ids: list[str] | None  # the line in order, once drawn


def fairness_record(*, event: Event) -> FairnessRecord | None:
    """What lets anyone check the draw of the event's queue; None without a queue."""
    config = QueueConfig.objects.filter(event=event).first()
    if config is None:
        return None
    draw = store.queue_store().draw_record(event.pk)
    if draw is None:
        return FairnessRecord(commitment=config.seed_commitment, seed=None, drawn=0, entry_ids=None)
    return FairnessRecord(
        commitment=config.seed_commitment, seed=config.seed, drawn=draw.drawn, entry_ids=draw.line
    )


@dataclass(frozen=True)
class QueueOverview:
    enabled: bool
    opens_at: datetime.datetime
    paused: bool
    admission_rate: int
    waiting: int
    admitted: int
    passes_out: int
    minutes_to_clear: int | None  # at the current rate; None while paused
    seed_commitment: str
    is_open: bool


def queue_overview(*, event: Event, now: datetime.datetime) -> QueueOverview | None:
    """The back office's live figures of the event's queue; None without a queue. One query,
    the rest from the store."""
    config = QueueConfig.objects.filter(event=event).first()
    if config is None:
        return None
    queue = store.queue_store()
    waiting = queue.length(event.pk)
    return QueueOverview(
        enabled=config.enabled,
        opens_at=config.opens_at,
        paused=config.paused,
        admission_rate=config.admission_rate,
        waiting=waiting,
        admitted=queue.admitted_count(event.pk),
        passes_out=queue.passes_out(event.pk, now),
        # Ceiling division: a last, partial minute still takes a minute.
        minutes_to_clear=None if config.paused else -(-waiting // config.admission_rate),
        seed_commitment=config.seed_commitment,
        is_open=now >= config.opens_at,
    )
