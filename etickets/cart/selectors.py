from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from .models import CartLine


@dataclass(frozen=True)
class CartSummary:
    lines: list[CartLine]
    total_cents: int
    expires_at: object  # the earliest hold's end; None for an empty cart
    expired: bool  # some line has lost its hold

    @property
    def ticket_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def seconds_left(self) -> int:
        if self.expires_at is None:
            return 0
        return max(int((self.expires_at - timezone.now()).total_seconds()), 0)


def cart_summary(user) -> CartSummary:
    lines = list(
        CartLine.objects.filter(cart__user=user)
        .select_related("offer__event", "hold")
        .order_by("added_at", "id")
    )
    now = timezone.now()
    holds = [getattr(line, "hold", None) for line in lines]
    expired = any(hold is None or hold.expires_at <= now for hold in holds)
    deadlines = [hold.expires_at for hold in holds if hold is not None]
    return CartSummary(
        lines=lines,
        total_cents=sum(line.subtotal_cents for line in lines),
        expires_at=min(deadlines) if deadlines else None,
        expired=expired,
    )


def cart_size(user) -> int:
    """Tickets in the user's cart, for the « Panier » link of the navigation bar."""
    return CartLine.objects.filter(cart__user=user).aggregate(n=Sum("quantity"))["n"] or 0
