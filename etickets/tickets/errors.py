from django.utils.translation import gettext_lazy as _

from etickets.core.errors import DomainError

# The verdicts of a check, in the order they are tried (docs/ARCHITECTURE.md, « Tickets »):
# a QR code's, or a typed number's (unknown and ambiguous numbers, then cancelled…).
REASONS = {
    "malformed": _(
        "Code non reconnu : ce n'est ni le QR code ni le numéro (12 caractères) d'un billet "
        "JO E-Tickets."
    ),
    "bad_signature": _("QR code falsifié : sa signature n'est pas celle de JO E-Tickets."),
    # A rotating code (docs/ARCHITECTURE.md, « Rotating QR codes ») shown too long ago, or dated
    # ahead of the gate's clock.
    "expired_code": _(
        "Code expiré (capture d'écran ?) : le QR code du billet change toutes les 15 secondes. "
        "Le titulaire doit ouvrir son billet sur son téléphone."
    ),
    "future_code": _(
        "Code daté dans le futur : l'heure du téléphone du spectateur ou de cet appareil est "
        "fausse. Demandez-lui de recharger la page de son billet."
    ),
    "unknown_ticket": _("Billet inconnu : aucun billet ne porte ce numéro."),
    # A ticket number typed at a gate (tickets.services.check_ticket_number).
    "unknown_number": _(
        "Aucun billet de cette épreuve ne porte ce numéro : vérifiez la saisie et l'épreuve "
        "imprimée sur le billet."
    ),
    "ambiguous_number": _("Numéro porté par plusieurs billets : scannez le QR code du billet."),
    "wrong_event": _("Ce billet est valable pour une autre épreuve."),
    "key_rotated": _(
        "Ce QR code a été remplacé par un plus récent : le titulaire doit présenter le nouveau."
    ),
    "cancelled": _("Billet annulé : sa commande a été remboursée."),
    "listed": _(
        "Billet mis en revente par son titulaire : il ne peut pas entrer tant qu'il n'est pas "
        "retiré de la revente."
    ),
    "transferred": _(
        "Billet transféré : son titulaire l'a remis à une autre personne, dont le billet porte "
        "un nouveau QR code."
    ),
    "resold": _("Billet revendu sur la revente officielle : il n'est plus valable."),
    "already_used": _("Billet déjà utilisé."),
    # An entry by number the gate refuses whatever the ticket (gate.services.number_entry_refusal).
    "number_budget": _(
        "Trop d'entrées par numéro en une minute pour ce contrôleur : billet non validé. "
        "Scannez le QR code, ou réessayez dans un instant."
    ),
    "number_hours": _(
        "Entrée par numéro possible seulement le jour de l'épreuve, peu avant son début : "
        "billet non validé."
    ),
}


class TicketRefused(DomainError):
    """A ticket that must not enter, with the reason (a key of REASONS)."""

    def __init__(self, reason: str, ticket=None):
        self.reason = reason
        self.code = reason
        self.ticket = ticket
        super().__init__(REASONS[reason])
