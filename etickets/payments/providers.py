"""The payment provider interface the shop talks to, whatever acquirer is behind it."""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from etickets.core.errors import DomainError

from .cards import Card


@dataclass(frozen=True)
class Authorisation:
    """What the shop keeps of a payment: never the card, only this."""

    reference: str
    brand: str
    last4: str
    amount_cents: int
    authorised_at: datetime.datetime


@dataclass(frozen=True)
class OpenAuthorisation:
    """An authorisation the provider holds, neither captured nor voided."""

    reference: str
    idempotency_key: str
    amount_cents: int
    created_at: datetime.datetime


class PaymentDeclined(DomainError):
    message = _(
        "Paiement refusé par votre banque. Vérifiez vos informations ou utilisez une autre carte."
    )
    code = "card_declined"
    status = 402


class InsufficientFunds(PaymentDeclined):
    message = _("Paiement refusé : provision insuffisante. Utilisez une autre carte.")
    code = "insufficient_funds"
    status = 402


class ProcessingError(PaymentDeclined):
    message = _(
        "Une erreur technique est survenue chez notre prestataire de paiement. Vous n'avez pas "
        "été débité : réessayez dans un instant."
    )
    code = "processing_error"
    status = 402


class PaymentProvider(Protocol):
    """Every call is idempotent: the same ``idempotency_key`` gives the same answer."""

    name: str

    def authorise(
        self, *, amount_cents: int, card: Card, idempotency_key: str, description: str
    ) -> Authorisation:
        """Reserve the amount on the card; raise PaymentDeclined (or a subclass) if refused."""

    def capture(self, reference: str) -> None:
        """Take the authorised amount."""

    def void(self, reference: str) -> None:
        """Release an authorisation that will not be captured."""

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> None:
        """Give back all or part of a captured amount."""

    def open_authorisations(self, *, older_than: datetime.datetime) -> list[OpenAuthorisation]:
        """The shop's authorisations made before ``older_than`` still neither captured nor
        voided (as real providers list them, by the shop's account and their metadata)."""


def get_provider() -> PaymentProvider:
    return import_string(settings.PAYMENT_PROVIDER)()
