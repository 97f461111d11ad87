from collections.abc import Callable

from .cards import Card
from .providers import Authorisation, get_provider


def card_authoriser(card: Card, idempotency_key: str) -> Callable[[int, str], Authorisation]:
    """A function that authorises an amount on this card through the provider.

    The shop's checkout calls it with the amount it computed; it never sees the card itself.
    """
    provider = get_provider()

    def authorise(amount_cents: int, description: str) -> Authorisation:
        return provider.authorise(
            amount_cents=amount_cents,
            card=card,
            idempotency_key=idempotency_key,
            description=description,
        )

    return authorise
