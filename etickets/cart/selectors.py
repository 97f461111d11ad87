import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils import timezone

from etickets.accounts.models import User
from etickets.catalog.selectors import OFFER_COLUMNS, OFFER_WIDTH, load_offer
from etickets.core import sql
from etickets.inventory.models import Hold

from .models import CartLine

LINE = sql.Loader(CartLine)
HOLD = sql.Loader(Hold)


@dataclass(frozen=True)
class CartSummary:
    lines: list[CartLine]
    total_cents: int
    expires_at: datetime.datetime | None  # the earliest hold's end; None for an empty cart
    expired: bool  # some line has lost its hold

    @property
    def ticket_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def seconds_left(self) -> int:
        if self.expires_at is None:
            return 0
        return max(int((self.expires_at - timezone.now()).total_seconds()), 0)


def cart_lines(*, user_id: int | None = None, cart_id: int | None = None) -> list[CartLine]:
    """A cart's lines in order, each with its offer, event, free seats and hold: one query."""
    where, key = ("c.user_id = %s", user_id) if cart_id is None else ("l.cart_id = %s", cart_id)
    found = sql.rows(
        f"SELECT {OFFER_COLUMNS}, {LINE.select('l')}, {HOLD.select('h')} "
        "FROM cart_cartline l JOIN cart_cart c ON c.id = l.cart_id "
        "JOIN catalog_offer o ON o.id = l.offer_id JOIN catalog_event e ON e.id = o.event_id "
        f"LEFT JOIN inventory_hold h ON h.line_id = l.id WHERE {where} ORDER BY l.added_at, l.id",
        [timezone.now(), key],
    )
    lines = []
    for values in found:
        line = LINE.load(values[OFFER_WIDTH : OFFER_WIDTH + LINE.width])
        line.offer = load_offer(values[:OFFER_WIDTH])
        hold_values = values[OFFER_WIDTH + LINE.width :]
        hold = HOLD.load(hold_values) if hold_values[0] is not None else None
        if hold is not None:
            hold.line = line
        CartLine.hold.related.set_cached_value(line, hold)
        lines.append(line)
    return lines


def cart_event_ids(*, user: User) -> QuerySet:
    """The ids of the events of the user's cart (a query, run when read)."""
    return CartLine.objects.filter(cart__user=user).values_list("offer__event_id", flat=True)


def cart_summary(user: User) -> CartSummary:
    return summarise(cart_lines(user_id=user.pk))


def cart_total(user: User) -> tuple[int, int]:
    """The number of lines of the user's cart and its total in cents: one aggregate, without
    building the lines (paying needs the amount before it locks anything)."""
    count, total = sql.one(
        "SELECT COUNT(*), COALESCE(SUM(l.quantity * o.price_cents), 0) FROM cart_cartline l "
        "JOIN cart_cart c ON c.id = l.cart_id JOIN catalog_offer o ON o.id = l.offer_id "
        "WHERE c.user_id = %s",
        [user.pk],
    )
    return count, total


def summarise(lines: list[CartLine]) -> CartSummary:
    """The summary of these lines, each with its offer and hold (as ``cart_lines`` gives)."""
    now = timezone.now()
    holds = [getattr(line, "hold", None) for line in lines]
    expired = any(hold is None or not hold.is_live(now) for hold in holds)
    deadlines = [hold.expires_at for hold in holds if hold is not None]
    return CartSummary(
        lines=lines,
        total_cents=sum(line.subtotal_cents for line in lines),
        expires_at=min(deadlines) if deadlines else None,
        expired=expired,
    )


def cart_size(user: User) -> int:
    """Tickets in the user's cart, for the « Panier » link of the navigation bar."""
    return CartLine.objects.filter(cart__user=user).aggregate(n=Sum("quantity"))["n"] or 0
