"""What « Télécharger mes données » holds: everything the site keeps about an account, as a
readable JSON (``donnees.json``), with its screenshots and its tickets' PDFs, in one ZIP.

Each field is listed here by name, never a model dumped whole: a secret (the password's hash,
the account or purchase key, a second factor's key, a token's or a link's hash) cannot slip in
by a new column. Other people's data stays out too: a transfer received names no sender, a
report's replies do not name the staff who wrote them.
"""

import datetime
import io
import json
import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone, translation
from django_otp.plugins.otp_static.models import StaticToken

from etickets.accounts.models import User
from etickets.accounts.selectors import has_two_factor
from etickets.api.models import ApiToken
from etickets.cart.models import CartLine
from etickets.gate.models import Scan
from etickets.orders.models import Order
from etickets.resale.models import Listing
from etickets.support.models import ContactMessage, ProblemReport
from etickets.tickets.models import REPLACED_STATES, Ticket, Transfer
from etickets.tickets.pdf import tickets_pdf
from etickets.waitlist.models import WaitingEntry

from .selectors import by_address

JSON_NAME = "donnees.json"


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _axes_username(user: User) -> str:
    return user.email.strip().lower()


def _account(user: User) -> dict[str, Any]:
    return {
        "nom_utilisateur": user.username,
        "email": user.email,
        "email_verifie_le": _when(user.email_verified_at),
        "prenom": user.first_name,
        "nom": user.last_name,
        "langue": user.language,
        "inscrit_le": _when(user.date_joined),
        "derniere_connexion": _when(user.last_login),
        "actif": user.is_active,
        "administrateur": user.is_staff and user.is_superuser,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "double_authentification": has_two_factor(user),
        "codes_de_secours_restants": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    }


def _logins(user: User) -> dict[str, Any]:
    username = _axes_username(user)
    return {
        "connexions": [
            {
                "le": _when(log.attempt_time),
                "deconnexion_le": _when(log.logout_time),
                "adresse_ip": log.ip_address,
                "navigateur": log.user_agent,
            }
            for log in AccessLog.objects.filter(username=username).order_by("attempt_time")
        ],
        "echecs_de_connexion": [
            {
                "le": _when(attempt.attempt_time),
                "adresse_ip": attempt.ip_address,
                "navigateur": attempt.user_agent,
                "echecs": attempt.failures_since_start,
            }
            for attempt in AccessAttempt.objects.filter(username=username).order_by("attempt_time")
        ]
        + [
            {
                "le": _when(failure.attempt_time),
                "adresse_ip": failure.ip_address,
                "navigateur": failure.user_agent,
                "blocage": failure.locked_out,
            }
            for failure in AccessFailureLog.objects.filter(username=username).order_by(
                "attempt_time"
            )
        ],
    }


def _orders(user: User) -> list[dict[str, Any]]:
    orders = (
        Order.objects.filter(user=user)
        .select_related("payment")
        .prefetch_related("lines__offer__event", "payment__refunds")
        .order_by("created_at")
    )
    found: list[dict[str, Any]] = []
    for order in orders:
        payment = getattr(order, "payment", None)
        found.append(
            {
                "reference": order.reference,
                "le": _when(order.created_at),
                "etat": order.status,
                "total_centimes": order.total_cents,
                "rembourse_centimes": order.refunded_cents,
                "lignes": [
                    {
                        "offre": line.offer.title,
                        "quantite": line.quantity,
                        "prix_unitaire_centimes": line.unit_price_cents,
                        "personnes_par_billet": line.persons,
                    }
                    for line in order.lines.all()
                ],
                # The card: its brand and last four digits, all the site ever had of it.
                "paiement": payment
                and {
                    "carte": payment.brand,
                    "quatre_derniers_chiffres": payment.last4,
                    "montant_centimes": payment.amount_cents,
                    "etat": payment.status,
                    "le": _when(payment.created_at),
                    "remboursements": [
                        {
                            "montant_centimes": refund.amount_cents,
                            "etat": refund.status,
                            "le": _when(refund.created_at),
                        }
                        for refund in payment.refunds.all()
                    ],
                },
            }
        )
    return found


def _tickets(user: User) -> list[dict[str, Any]]:
    tickets = (
        Ticket.objects.filter(holder=user)
        .select_related("event", "order", "order_line__offer")
        .order_by("created_at")
    )
    scans: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for scan in Scan.objects.filter(ticket__holder=user).order_by("scanned_at"):
        scans[scan.ticket_id].append(
            {"le": _when(scan.scanned_at), "porte": scan.gate, "verdict": scan.verdict}
        )
    return [
        {
            "numero": ticket.number,
            "epreuve": ticket.event.title,
            "debut": _when(ticket.event.starts_at),
            "lieu": ticket.event.venue,
            "offre": ticket.order_line.offer.title,
            "personnes": ticket.persons,
            "etat": ticket.status_code,
            "commande": ticket.order.reference,
            "utilise_le": _when(ticket.used_at),
            "porte": ticket.used_gate,
            "cree_le": _when(ticket.created_at),
            "controles": scans.get(ticket.pk, []),
        }
        for ticket in tickets
    ]


def _transfers(user: User) -> dict[str, Any]:
    sent = Transfer.objects.filter(sender=user).select_related("ticket").order_by("created_at")
    received = (
        Transfer.objects.filter(Q(recipient=user) | by_address(user, "recipient_email"))
        .select_related("ticket")
        .order_by("created_at")
    )
    return {
        "transferts_proposes": [
            {
                "billet": transfer.ticket.number,
                "destinataire": transfer.recipient_email,
                "etat": transfer.state,
                "propose_le": _when(transfer.created_at),
                "decide_le": _when(transfer.decided_at),
            }
            for transfer in sent
        ],
        # Not who offered them: that is the sender's data.
        "transferts_recus": [
            {
                "billet": transfer.ticket.number,
                "etat": transfer.state,
                "propose_le": _when(transfer.created_at),
                "decide_le": _when(transfer.decided_at),
            }
            for transfer in received
        ],
        "reventes": [
            {
                "billet": listing.ticket.number,
                "prix_centimes": listing.price_cents,
                "reverse_centimes": listing.payout_cents,
                "etat": listing.state,
                "mis_en_vente_le": _when(listing.created_at),
                "fin_le": _when(listing.ended_at),
            }
            for listing in Listing.objects.filter(seller=user).select_related("ticket")
        ],
    }


def _shopping(user: User) -> dict[str, Any]:
    return {
        "panier": [
            {
                "offre": line.offer.title,
                "quantite": line.quantity,
                "ajoute_le": _when(line.added_at),
            }
            for line in CartLine.objects.filter(cart__user=user).select_related("offer__event")
        ],
        "listes_d_attente": [
            {
                "offre": entry.offer.title,
                "quantite": entry.quantity,
                "etat": entry.state,
                "inscrit_le": _when(entry.joined_at),
            }
            for entry in WaitingEntry.objects.filter(user=user).select_related("offer__event")
        ],
    }


def _support(user: User, files: dict[str, bytes]) -> dict[str, Any]:
    messages = ContactMessage.objects.filter(
        Q(user=user) | by_address(user, "email"), erased_at__isnull=True
    ).order_by("created_at")
    reports: list[dict[str, Any]] = []
    for report in ProblemReport.objects.filter(user=user).prefetch_related(
        "screenshots", "replies"
    ):
        shots: list[str] = []
        for number, shot in enumerate(report.screenshots.all(), start=1):
            if shot.pending:
                continue
            name = posixpath.join(
                "captures", report.reference, f"{number}{posixpath.splitext(shot.file.name)[1]}"
            )
            try:
                with shot.file.open("rb") as file:
                    files[name] = file.read()
            except FileNotFoundError:
                continue
            shots.append(name)
        reports.append(
            {
                "reference": report.reference,
                "description": report.description,
                "etat": report.status,
                "envoye_le": _when(report.created_at),
                "resolu_le": _when(report.closed_at),
                "efface_le": _when(report.erased_at),
                "reponses": [
                    {
                        "le": _when(reply.created_at),
                        "de": "vous" if reply.author_id == user.pk else "assistance",
                        "texte": reply.body,
                    }
                    for reply in report.replies.all()
                ],
                "captures": shots,
            }
        )
    return {
        "messages_de_contact": [
            {
                "dossier": message.case_number,
                "nom": message.name,
                "email": message.email,
                "objet": message.subject,
                "message": message.message,
                "recu_le": _when(message.created_at),
            }
            for message in messages
        ],
        "signalements": reports,
    }


def _api_tokens(user: User) -> list[dict[str, Any]]:
    # Their names and dates; never the token nor its hash.
    return [
        {
            "nom": token.name,
            "cree_le": _when(token.created_at),
            "expire_le": _when(token.expires_at),
            "utilise_le": _when(token.last_used_at),
            "revoque": token.revoked,
        }
        for token in ApiToken.objects.filter(user=user).order_by("created_at")
    ]


def _ticket_pdfs(user: User, files: dict[str, bytes]) -> None:
    """One PDF per order, of the tickets the user holds (as « Mes billets » offers them)."""
    held = (
        Ticket.objects.filter(holder=user)
        .exclude(state__in=REPLACED_STATES)
        .select_related("event", "order", "order_line__offer", "holder")
        .order_by("order__created_at", "order_line_id", "created_at")
    )
    by_order: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in held:
        by_order[ticket.order.reference].append(ticket)
    for reference, tickets in by_order.items():
        files[f"billets/{reference}.pdf"] = tickets_pdf(tickets, user.language)


def collect(user: User, files: dict[str, bytes]) -> dict[str, Any]:
    """The account's data, in French keys; files to join are added to ``files``."""
    with translation.override(user.language):
        return {
            "genere_le": _when(timezone.now()),
            "compte": _account(user),
            **_logins(user),
            "commandes": _orders(user),
            "billets": _tickets(user),
            **_transfers(user),
            **_shopping(user),
            **_support(user, files),
            "jetons_api": _api_tokens(user),
        }


def build_zip(user: User) -> bytes:
    files: dict[str, bytes] = {}
    data = collect(user, files)
    _ticket_pdfs(user, files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, indent=2, ensure_ascii=False))
        for name, content in _sorted(files.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


def _sorted(items: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return sorted(items, key=lambda item: item[0])
