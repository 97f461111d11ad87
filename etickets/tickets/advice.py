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
