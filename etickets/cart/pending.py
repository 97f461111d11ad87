"""What a visitor chose with « Ajouter au panier » before logging in, kept in their session
until the cart page adds it (``services.add_pending``): once they have logged in, through a
second factor or a sign-up on the way. The login itself never touches the cart.

Stored as {offer id: quantity}, their last choice per offer; an entry this module did not write
(an older format, a bug) is dropped as it is read."""

import re

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _

from etickets.catalog.models import Offer
from etickets.core.errors import DomainError

KEY = "cart_pending_additions"
# More than a buyer needs before logging in, and a bound on what the cart page tries at once.
MAX_OFFERS = 10
_OFFER_ID = re.compile(r"[1-9][0-9]{0,17}")  # within a BigAutoField


class TooManyChosen(DomainError):
    message = _(
        "Vous avez déjà choisi %(count)s offres : connectez-vous pour les ajouter à votre "
        "panier avant d'en choisir d'autres."
    )
    code = "limit_reached"
    status = 409


def remember(session: SessionBase, *, offer: Offer, quantity: int) -> None:
    """Keep ``quantity`` tickets of ``offer`` for after the login, instead of any earlier
    choice of that offer; TooManyChosen past MAX_OFFERS offers."""
    additions = read(session)
    if offer.pk not in additions and len(additions) >= MAX_OFFERS:
        raise TooManyChosen(count=MAX_OFFERS)
    additions[offer.pk] = quantity
    _store(session, additions)


def read(session: SessionBase) -> dict[int, int]:
    """The additions waiting, {offer id: quantity} in the order chosen; a malformed entry is
    dropped."""
    stored = session.get(KEY)
    if stored is None:
        return {}
    if (
        isinstance(stored, dict)
        and len(stored) <= MAX_OFFERS
        and all(isinstance(key, str) and _OFFER_ID.fullmatch(key) for key in stored)
        and all(type(value) is int and value >= 1 for value in stored.values())
    ):
        return {int(key): value for key, value in stored.items()}
    del session[KEY]
    return {}


def forget(session: SessionBase, *, offer_id: int) -> None:
    """Drop one addition, done or refused."""
    additions = read(session)
    additions.pop(offer_id, None)
    _store(session, additions)


def clear(session: SessionBase) -> None:
    session.pop(KEY, None)


def _store(session: SessionBase, additions: dict[int, int]) -> None:
    if additions:
        session[KEY] = {str(offer_id): quantity for offer_id, quantity in additions.items()}
    else:
        clear(session)
