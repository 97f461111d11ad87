import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from etickets.accounts.models import User
from etickets.catalog.selectors import OFFER_COLUMNS, OFFER_WIDTH, load_offer
from etickets.core import sql
from etickets.inventory.models import Hold
from etickets.tickets.selectors import TICKETS_HELD_SQL, tickets_held_params

from .models import CartLine, ResaleLine

LINE = sql.Loader(CartLine)
HOLD = sql.Loader(Hold)


@dataclass(frozen=True)
class CartSummary:
    lines: list[CartLine]
    total_cents: int
    expires_at: datetime.datetime | None  # the earliest hold's end; None for an empty cart
    expired: bool  # some line has lost its hold
    resale_lines: list[ResaleLine] = field(default_factory=list)

    @property
    def ticket_count(self) -> int:
        return sum(line.quantity for line in self.lines) + len(self.resale_lines)

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.resale_lines)

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


def cart_event_ids(*, user: User) -> Iterator[int]:
    """The ids of the events of the user's cart, its tickets of the resale included: one
    query, run only if the ids are read (a purchase reads them while some sale has a queue)."""
    yield from (
        event_id
        for (event_id,) in sql.rows(
            "SELECT o.event_id FROM cart_cartline l JOIN cart_cart c ON c.id = l.cart_id "
            "JOIN catalog_offer o ON o.id = l.offer_id WHERE c.user_id = %s UNION ALL "
            "SELECT r.event_id FROM cart_resaleline r JOIN cart_cart c ON c.id = r.cart_id "
            "WHERE c.user_id = %s",
            [user.pk, user.pk],
        )
    )


_HAS_RESALE_LINES = (
    "SELECT 1 FROM cart_resaleline r JOIN cart_cart c ON c.id = r.cart_id "
    "WHERE c.user_id = %s LIMIT 1"
)


def resale_lines(*, user_id: int | None = None, cart_id: int | None = None) -> list[ResaleLine]:
    """A cart's tickets of the official resale, each with its listing, offer and event."""
    if cart_id is None and not sql.row(_HAS_RESALE_LINES, [user_id]):
        return []  # most carts: a hand-written query rather than building the ORM's
    lines = ResaleLine.objects.select_related("listing__offer__event")
    if cart_id is not None:
        return list(lines.filter(cart_id=cart_id))
    return list(lines.filter(cart__user=user_id))


def cart_summary(user: User) -> CartSummary:
    return summarise(cart_lines(user_id=user.pk), resale_lines(user_id=user.pk))


@dataclass(frozen=True)
class CartTotal:
    lines: int  # of offers and of the resale
    resale_lines: int
    total_cents: int


def cart_total(user: User) -> CartTotal:
    """The lines of the user's cart and its total in cents: one aggregate, without building
    the lines (paying needs the amount before it locks anything)."""
    count, total, resale, resale_total = sql.row(
        "SELECT COUNT(l.id), COALESCE(SUM(l.quantity * o.price_cents), 0), "
        "(SELECT COUNT(*) FROM cart_resaleline r WHERE r.cart_id = c.id), "
        "(SELECT COALESCE(SUM(r.price_cents), 0) FROM cart_resaleline r WHERE r.cart_id = c.id) "
        "FROM cart_cart c LEFT JOIN cart_cartline l ON l.cart_id = c.id "
        "LEFT JOIN catalog_offer o ON o.id = l.offer_id WHERE c.user_id = %s GROUP BY c.id",
        [user.pk],
    ) or (0, 0, 0, 0)
    return CartTotal(count + resale, resale, total + resale_total)


def summarise(lines: list[CartLine], resale: list[ResaleLine] | None = None) -> CartSummary:
    """The summary of these lines, each with its offer and hold (as ``cart_lines`` gives), and
    of its tickets of the resale (each held until its own time)."""
    now = timezone.now()
    resale = resale or []
    holds = [getattr(line, "hold", None) for line in lines]
    expired = any(hold is None or not hold.is_live(now) for hold in holds)
    deadlines = [hold.expires_at for hold in holds if hold is not None]
    deadlines += [line.held_until for line in resale if line.held_until > now]
    return CartSummary(
        lines=lines,
        total_cents=sum(line.subtotal_cents for line in lines)
        + sum(line.subtotal_cents for line in resale),
        expires_at=min(deadlines) if deadlines else None,
        expired=expired,
        resale_lines=resale,
    )


def cart_size(user: User) -> int:
    """Tickets in the user's cart, for the « Panier » link of the navigation bar."""
    found = sql.row(
        "SELECT COALESCE((SELECT SUM(l.quantity) FROM cart_cartline l WHERE l.cart_id = c.id), 0)"
        " + (SELECT COUNT(*) FROM cart_resaleline r WHERE r.cart_id = c.id) "
        "FROM cart_cart c WHERE c.user_id = %s",
        [user.pk],
    )
    return found[0] if found else 0


def tickets_in_hand(*, user_id: int, event_id: int) -> int:
    """The tickets of an event the account has (``tickets.selectors.tickets_held``), the
    event's tickets of the resale in its cart and those its waiting entries still wait for:
    what the per-account limit counts besides the cart's other lines. One query: it runs on
    every add to a cart."""
    (count,) = sql.one(
        f"SELECT ({TICKETS_HELD_SQL}) + (SELECT COUNT(*) FROM cart_resaleline r "
        "JOIN cart_cart c ON c.id = r.cart_id WHERE c.user_id = %s AND r.event_id = %s) "
        "+ (SELECT COALESCE(SUM(w.quantity), 0) FROM waitlist_waitingentry w "
        "JOIN catalog_offer o ON o.id = w.offer_id "
        "WHERE w.user_id = %s AND o.event_id = %s AND w.state = 'WAITING')",
        [*tickets_held_params(user_id=user_id, event_id=event_id), *[user_id, event_id] * 2],
    )
    return count
