"""The questions and answers of the user manual, §9, word for word.

Each question keeps a stable anchor: ``/faq/#billets-nominatifs`` links to one question, so the
anchors must never change once published. The French text is the source of the translations.
"""

from typing import NamedTuple

from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Link(NamedTuple):
    label: Promise | str
    url: Promise | str


class Question(NamedTuple):
    anchor: str
    question: Promise
    answer: Promise
    see_also: tuple[Link, ...] = ()


class Section(NamedTuple):
    anchor: str
    title: Promise
    questions: tuple[Question, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "questions-generales",
        _("Questions générales"),
        (
            Question(
                "achat-sans-compte",
                _("Puis-je acheter des billets sans créer de compte ?"),
                _(
                    "Non, vous devez créer un compte pour finaliser un achat. Cela garantit la "
                    "sécurité de vos billets et vous permet de les retrouver facilement."
                ),
            ),
            Question(
                "nombre-de-billets",
                _("Combien de billets puis-je acheter en une seule commande ?"),
                _(
                    "Le nombre de billets est limité par la disponibilité de chaque offre. Pour "
                    "certains événements populaires, une limite peut être appliquée."
                ),
            ),
            Question(
                "billets-nominatifs",
                _("Les billets sont-ils nominatifs ?"),
                _(
                    "Oui, les billets sont liés à votre compte. Une pièce d'identité pourra vous "
                    "être demandée lors de l'événement."
                ),
            ),
        ),
    ),
    Section(
        "questions-paiements",
        _("Questions sur les paiements"),
        (
            Question(
                "moyens-de-paiement",
                _("Quels moyens de paiement sont acceptés ?"),
                _("Nous acceptons les cartes bancaires Visa, Mastercard et American Express."),
            ),
            Question(
                "paiement-securise",
                _("Le paiement est-il sécurisé ?"),
                _(
                    "Oui, toutes les transactions sont chiffrées et sécurisées. Nous ne stockons "
                    "jamais vos informations de carte bancaire."
                ),
                (
                    Link(
                        _("Politique de confidentialité"),
                        format_lazy("{}#paiement-par-carte", reverse_lazy("support:privacy")),
                    ),
                ),
            ),
            Question(
                "annulation-remboursement",
                _("Puis-je annuler ma commande et être remboursé ?"),
                _(
                    "Les conditions d'annulation et de remboursement dépendent de la politique "
                    "des Jeux Olympiques. Consultez nos conditions générales de vente pour plus "
                    "d'informations."
                ),
                (
                    Link(
                        _("Conditions générales de vente"),
                        format_lazy(
                            "{}#annulation-remboursement", reverse_lazy("support:terms_of_sale")
                        ),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "questions-techniques",
        _("Questions techniques"),
        (
            Question(
                "billets-non-recus",
                _("Que faire si je ne reçois pas mes billets après le paiement ?"),
                _(
                    'Vérifiez la section "Mes billets" dans votre compte. Si vous ne les voyez '
                    "pas, contactez notre service client."
                ),
            ),
            Question(
                "scanner-qr-code",
                _("Comment faire si je ne peux pas scanner le QR code ?"),
                _(
                    "Assurez-vous que votre écran est suffisamment lumineux et que le QR code est "
                    "entièrement visible. En cas de problème persistant, vous pouvez imprimer le "
                    "billet."
                ),
            ),
            Question(
                "telephone-perdu",
                _("Que faire si j'ai perdu mon téléphone avec mes billets ?"),
                _(
                    "Connectez-vous à votre compte JO E-Tickets depuis un autre appareil ou "
                    "ordinateur. Vos billets seront toujours accessibles."
                ),
            ),
        ),
    ),
)
