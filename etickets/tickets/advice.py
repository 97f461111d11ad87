"""The instructions printed on every ticket and shown on its page (manual §8)."""

from django.utils.translation import gettext_lazy as _

INSTRUCTIONS = [
    _("Arrivez en avance : au moins 1 h avant le début de l'épreuve."),
    _("Préparez une pièce d'identité : elle pourra vous être demandée, le billet est nominatif."),
    _(
        "Ce billet ne peut être utilisé qu'une seule fois : après validation, il est marqué "
        "comme « Utilisé »."
    ),
    _(
        "Gardez le QR code lisible : écran lumineux et téléphone chargé, ou impression nette, "
        "un billet par page."
    ),
    _("Conservez ce billet dans un endroit sec et sûr, et ne le partagez pas en ligne."),
]

# Where the event's codes rotate (docs/ARCHITECTURE.md, « Rotating QR codes »): first on the PDF,
# whose static code is a printed ticket at the gate.
PRINTED_TICKET = _(
    "Billet imprimé : une pièce d'identité à votre nom vous sera demandée à l'entrée. Sur "
    "téléphone, ouvrez plutôt ce billet dans « Mes billets » : son QR code change toutes les "
    "15 secondes."
)
