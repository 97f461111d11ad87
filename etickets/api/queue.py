"""/api/v1 waiting room: join a sale's queue, follow one's place, get one's admission pass
(send it as ``X-Queue-Pass`` to add to the cart and to pay)."""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema

from etickets.catalog.models import Event
from etickets.core.http import client_ip
from etickets.waitingroom import selectors, services
from etickets.waitingroom.models import QueueConfig

from .errors import RowId
from .shop import customer

queue_router = Router(tags=["waiting room"], auth=customer)


class QueueOut(Schema):
    state: str = Field(description="soon, open, full, sold_out or closed")
    opens_at: datetime.datetime
    joined: bool
    ahead: int | None = Field(description="People ahead; null before the draw or once admitted")
    estimated_wait_minutes: int | None
    poll_seconds: int = Field(description="When to ask again")
    queue_pass: str | None = Field(
        description="Once admitted: send it as `X-Queue-Pass` to add to the cart and pay"
    )
    pass_expires_at: datetime.datetime | None
    queue_url: str


def _describe(request, event: Event, config: QueueConfig) -> dict:
    now = timezone.now()
    line = selectors.line_of_account(user=request.auth, event=event, config=config, now=now)
    token = services.issue_pass(user=request.auth, event=event, now=now) if line.let_in else None
    return {
        "state": line.state,
        "opens_at": config.opens_at,
        "joined": line.poll.joined,
        "ahead": line.ahead,
        "estimated_wait_minutes": line.wait_minutes,
        "poll_seconds": line.poll_seconds,
        "queue_pass": token,
        "pass_expires_at": line.poll.pass_until if token else None,
        "queue_url": request.build_absolute_uri(
            reverse("waitingroom:queue", kwargs={"slug": event.slug})
        ),
    }


def _queued_event(event_id: int) -> tuple[Event, QueueConfig]:
    config = get_object_or_404(
        QueueConfig.objects.select_related("event"),
        event_id=event_id,
        enabled=True,
        event__is_published=True,
    )
    return config.event, config


@queue_router.get("/{event_id}/queue", response=QueueOut, summary="My place in a sale's queue")
def queue_status(request, event_id: RowId):
    event, config = _queued_event(event_id)
    return _describe(request, event, config)


@queue_router.post(
    "/{event_id}/queue", response=QueueOut, summary="Join a sale's queue (verified e-mail)"
)
def join_queue(request, event_id: RowId):
    event, config = _queued_event(event_id)
    services.join_queue(
        user=request.auth, event=event, client_address=client_ip(request), now=timezone.now()
    )
    return _describe(request, event, config)
