from django.utils.translation import gettext_lazy as _

from etickets.core.errors import DomainError

# The verdicts of a check, in the order they are tried (docs/ARCHITECTURE.md, « Tickets »).
REASONS = {
    "malformed": _("QR code illisible ou incomplet : ce n'est pas un billet JO E-Tickets."),
    "bad_signature": _("QR code falsifié : sa signature n'est pas celle de JO E-Tickets."),
    "unknown_ticket": _("Billet inconnu : aucun billet ne porte ce numéro."),
    "wrong_event": _("Ce billet est valable pour une autre épreuve."),
    "key_rotated": _(
        "Ce QR code a été remplacé par un plus récent : le titulaire doit présenter le nouveau."
    ),
    "cancelled": _("Billet annulé : sa commande a été remboursée."),
    "already_used": _("Billet déjà utilisé."),
}


class TicketRefused(DomainError):
    """A ticket that must not enter, with the reason (a key of REASONS)."""

    def __init__(self, reason: str, ticket=None):
        self.reason = reason
        self.code = reason
        self.ticket = ticket
        super().__init__(REASONS[reason])
