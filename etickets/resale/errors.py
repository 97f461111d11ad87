"""The resale's refusals that the cart and orders meet too (they cannot import its services,
which use theirs)."""

from django.utils.translation import gettext_lazy as _

from etickets.core.errors import DomainError


class ListingUnavailable(DomainError):
    message = _(
        "Ce billet de revente n'est plus disponible : il vient d'être vendu ou retiré. Vous "
        "n'avez pas été débité."
    )
    code = "listing_unavailable"
    status = 409


class ResaleClosed(DomainError):
    message = _(
        "La revente de billets pour cette épreuve est fermée : elle ferme %(hours)s heures "
        "avant son début, comme les transferts."
    )
    code = "resale_closed"
    status = 409
