from django.db.models import Q, QuerySet
from django.utils import timezone

from etickets.accounts.models import User
from etickets.core.clock import calendar_now
from etickets.tickets.models import Ticket, TicketState

from .models import DataExport, ExportState


def by_address(user: User, field: str) -> Q:
    """The records whose ``field`` names the user's address (a guest's contact message, a
    transfer offered to it) — only if the address was verified: anyone may sign up with an
    address that is not theirs, and must not get, nor erase, its owner's records."""
    if user.email_verified_at is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__iexact": user.email})


def exports_of(user: User) -> QuerySet[DataExport]:
    """``user``'s exports being built, and those ready to download, newest first."""
    ready = Q(state=ExportState.READY, expires_at__gt=timezone.now())
    return DataExport.objects.filter(ready | Q(state=ExportState.PENDING), user=user).order_by(
        "-created_at"
    )


def export_for_owner(*, user: User, export_id: str) -> DataExport | None:
    """``user``'s own export, ready and not expired; None for anything else."""
    return DataExport.objects.filter(
        pk=export_id, user=user, state=ExportState.READY, expires_at__gt=timezone.now()
    ).first()


def valid_future_tickets(user: User) -> int:
    """The tickets ``user`` holds that may still enter an event to come or of today (valid or
    listed, unused; calendar clock): the gates let latecomers in to the end of the event's
    day, Paris time."""
    today = timezone.localtime(calendar_now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return Ticket.objects.filter(
        holder=user,
        state__in=[TicketState.VALID, TicketState.LISTED],
        used_at__isnull=True,
        event__starts_at__gte=today,
    ).count()
