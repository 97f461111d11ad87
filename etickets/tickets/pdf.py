"""Tickets as PDF: one A4 page per ticket, legible in black and white (ReportLab)."""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from etickets.core.templatetags.etickets import euros

from .advice import INSTRUCTIONS, PRINTED_TICKET
from .qr import qr_code
from .tokens import issue_token

INK = black
GREY = Color(0.35, 0.35, 0.38)
LINE = Color(0.75, 0.75, 0.78)
GOLD = Color(0.84, 0.76, 0.47)
WIDTH, HEIGHT = A4
MARGIN = 1.8 * cm
QR_SIZE = 6.5 * cm  # the manual asks for at least 4 cm

# Helvetica is WinAnsi: the narrow no-break space of French numbers is not in it.
_WINANSI = str.maketrans({"\u202f": " ", "\u00a0": " "})


def _text(value) -> str:
    return str(value).translate(_WINANSI)


def tickets_pdf(tickets, language: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_text(f"JO E-Tickets — {tickets[0].order.reference}"))
    canvas.setAuthor("JO E-Tickets")
    with translation.override(language):
        for ticket in tickets:
            _draw_ticket(canvas, ticket)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_qr(canvas, token, x, y, size):
    """The QR code as vector squares, on white, each run of dark modules one rectangle."""
    rows = list(qr_code(token).matrix_iter(scale=1, border=4))
    module = size / len(rows)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(black)
    for row_index, row in enumerate(rows):
        top = y + size - (row_index + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                canvas.rect(x + start * module, top, (column - start) * module, module, 0, 1)
                start = None


def _label_value(canvas, x, y, label, value, width, size=12):
    """A fact, its value wrapped within ``width``; the height left below it."""
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(GREY)
    canvas.drawString(x, y, _text(label).upper())
    canvas.setFillColor(INK)
    return _wrapped(canvas, value, x, y - size - 2, width, "Helvetica-Bold", size, size + 2)


def _pieces(canvas, word, width, font, size):
    """``word`` cut where it would overflow ``width`` (an e-mail address has no space)."""
    piece = ""
    for char in word:
        if piece and canvas.stringWidth(piece + char, font, size) > width:
            yield piece
            piece = ""
        piece += char
    yield piece


def _wrapped(canvas, text, x, y, width, font, size, leading):
    canvas.setFont(font, size)
    words = [
        piece for word in _text(text).split() for piece in _pieces(canvas, word, width, font, size)
    ]
    line = ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if canvas.stringWidth(candidate, font, size) > width and line:
            canvas.drawString(x, y, line)
            y -= leading
            line = word
        else:
            line = candidate
    if line:
        canvas.drawString(x, y, line)
        y -= leading
    return y


def _draw_ticket(canvas, ticket):
    event, order, holder = ticket.event, ticket.order, ticket.holder
    offer = ticket.order_line.offer
    starts_at = timezone.localtime(event.starts_at)
    top = HEIGHT - MARGIN

    # Header band: black on white with a gold rule, so that it prints on any printer.
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(MARGIN, top - 14, "JO E-Tickets")
    canvas.setFont("Helvetica", 10)
    canvas.setFillColor(GREY)
    canvas.drawRightString(WIDTH - MARGIN, top - 12, _text(_("Jeux Olympiques de Paris 2024")))
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(3)
    canvas.line(MARGIN, top - 24, WIDTH - MARGIN, top - 24)

    y = top - 58
    canvas.setFont("Helvetica-Bold", 10)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, y, _text(event.get_sport_display()).upper())
    canvas.setFillColor(INK)
    y = _wrapped(canvas, event.title, MARGIN, y - 26, WIDTH - 2 * MARGIN, "Helvetica-Bold", 22, 27)

    # Left column: the facts; right column: the QR code.
    column_top = y - 14
    left = MARGIN
    date = formats.date_format(starts_at, "l j F Y")
    facts = [
        (_("Date"), date[:1].upper() + date[1:]),
        (_("Heure"), formats.time_format(starts_at, "H:i")),
        (_("Lieu"), f"{event.venue}, {event.city}"),
        (
            _("Type de billet"),
            f"{offer.get_kind_display()} — "
            + ngettext("%(n)s personne", "%(n)s personnes", ticket.persons) % {"n": ticket.persons},
        ),
        (_("Titulaire"), f"{holder.first_name} {holder.last_name}"),
        (_("Adresse email"), holder.email),
        (_("Référence de commande"), order.reference),
        (_("Numéro du billet"), ticket.number),
        (_("Prix"), euros(ticket.order_line.unit_price_cents)),
    ]
    # The facts wrap short of the QR code, whatever the length of a venue or an address.
    qr_x = WIDTH - MARGIN - QR_SIZE
    y = column_top
    for label, value in facts:
        y = _label_value(canvas, left, y, label, value, qr_x - left - 0.6 * cm) - 8

    qr_y = column_top - QR_SIZE + 8
    _draw_qr(canvas, issue_token(ticket), qr_x, qr_y, QR_SIZE)
    canvas.setFont("Helvetica", 9)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(
        qr_x + QR_SIZE / 2,
        qr_y - 14,
        _text(
            ngettext(
                "Admet %(n)s personne — valable une seule fois",
                "Admet %(n)s personnes — valable une seule fois",
                ticket.persons,
            )
            % {"n": ticket.persons}
        ),
    )

    # Practical information, as in the manual (§8).
    y = min(y, qr_y - 40) - 10
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(1)
    canvas.line(MARGIN, y + 16, WIDTH - MARGIN, y + 16)
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, _text(_("Informations pratiques")))
    y -= 20
    canvas.setFont("Helvetica", 10.5)
    for advice in [PRINTED_TICKET, *INSTRUCTIONS] if event.rotating_codes else INSTRUCTIONS:
        canvas.drawString(MARGIN, y, "•")
        y = _wrapped(canvas, advice, MARGIN + 12, y, WIDTH - 2 * MARGIN - 12, "Helvetica", 10.5, 14)
        y -= 4

    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(GREY)
    canvas.drawString(
        MARGIN,
        MARGIN - 6,
        _text(
            _("Assistance : support@jo-etickets.fr · 01 23 45 67 89 (du lundi au vendredi, 9h-18h)")
        ),
    )
    canvas.drawRightString(
        WIDTH - MARGIN, MARGIN - 6, _text(f"{order.reference} · {ticket.number}")
    )
    canvas.setFillColor(INK)
