"""Invoices and credit notes as PDF, drawn on request from their rows (ReportLab, in the style
of the tickets: tickets/pdf.py). What they say is the row's, copied when it was issued; only
the labels follow the reader's language."""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from etickets.core.templatetags.etickets import euros
from etickets.tickets.pdf import GOLD, GREY, INK, LINE, _text, _wrapped

from .models import Invoice

WIDTH, HEIGHT = A4
MARGIN = 1.8 * cm
# The lines' table: the description, then the figures, each right-aligned at its column's end.
COLUMNS = [
    (MARGIN + 7.4 * cm, "left"),  # description, from the margin
    (MARGIN + 8.6 * cm, "right"),  # quantity
    (MARGIN + 11.0 * cm, "right"),  # unit price before tax
    (MARGIN + 12.5 * cm, "right"),  # VAT rate
    (MARGIN + 14.9 * cm, "right"),  # total before tax
    (WIDTH - MARGIN, "right"),  # total with tax
]
BOTTOM = MARGIN + 1.2 * cm  # below it: the footer


def document_pdf(invoice: Invoice, language: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_text(f"JO E-Tickets — {invoice.number}"))
    canvas.setAuthor(_text(invoice.seller_name))
    with translation.override(language):
        _draw(canvas, invoice)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def percent(invoice: Invoice) -> str:
    return f"{formats.number_format(invoice.vat_percent, use_l10n=True)} %"


def _date(value, with_time=False) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i" if with_time else "j F Y")


def _card(invoice: Invoice) -> str:
    return _("Carte %(brand)s se terminant par %(last4)s") % {
        "brand": invoice.payment_brand,
        "last4": invoice.payment_last4,
    }


def _header(canvas) -> float:
    top = HEIGHT - MARGIN
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(MARGIN, top - 14, "JO E-Tickets")
    canvas.setFont("Helvetica", 10)
    canvas.setFillColor(GREY)
    canvas.drawRightString(WIDTH - MARGIN, top - 12, _text(_("Jeux Olympiques de Paris 2024")))
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(3)
    canvas.line(MARGIN, top - 24, WIDTH - MARGIN, top - 24)
    return top - 58


def _block(canvas, x, y, label, lines, width) -> float:
    """A labelled block of lines (the seller, the client); the height left below it."""
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(GREY)
    canvas.drawString(x, y, _text(label).upper())
    canvas.setFillColor(INK)
    y -= 15
    for index, text in enumerate(lines):
        font = "Helvetica-Bold" if index == 0 else "Helvetica"
        y = _wrapped(canvas, text, x, y, width, font, 10.5, 14)
    return y


def _draw(canvas, invoice: Invoice) -> None:
    y = _header(canvas)
    title = _("Avoir") if invoice.is_credit_note else _("Facture")
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(MARGIN, y, _text(f"{title} {invoice.number}"))
    y -= 30

    split = (WIDTH - 2 * MARGIN) * 0.6  # the seller's column, wide enough for its VAT number
    seller = [
        invoice.seller_name,
        *invoice.seller_address.splitlines(),
        _("SIRET : %(siret)s") % {"siret": invoice.seller_siret},
        _("N° de TVA intracommunautaire : %(number)s") % {"number": invoice.seller_vat_number},
    ]
    left = _block(canvas, MARGIN, y, _("Vendeur"), seller, split - 0.6 * cm)
    right = _block(
        canvas,
        MARGIN + split,
        y,
        _("Client"),
        [invoice.buyer_name, invoice.buyer_email],
        WIDTH - 2 * MARGIN - split,
    )
    y = min(left, right) - 12

    if invoice.is_credit_note:
        facts = [
            (_("Date de l'avoir"), _date(invoice.issued_at)),
            (_("Facture d'origine"), invoice.credited.number if invoice.credited else ""),
            (_("Commande"), invoice.order.reference),
            (_("Date du remboursement"), _date(invoice.paid_at, with_time=True)),
            (_("Remboursé sur"), _card(invoice)),
        ]
    else:
        facts = [
            (_("Date de facture"), _date(invoice.issued_at)),
            (_("Commande"), invoice.order.reference),
            (_("Date du paiement"), _date(invoice.paid_at, with_time=True)),
            (_("Moyen de paiement"), _card(invoice)),
        ]
    canvas.setFont("Helvetica", 10)
    for label, value in facts:
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, y, _text(label))
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN + 4.6 * cm, y, _text(value))
        y -= 15
    y = _lines(canvas, invoice, y - 16)
    y = _totals(canvas, invoice, y - 10)
    _footer(canvas, invoice)


def _row(canvas, y, cells, font, size) -> None:
    canvas.setFont(font, size)
    for (x, align), text in zip(COLUMNS[1:], cells, strict=True):
        if align == "right":
            canvas.drawRightString(x, y, _text(text))


def _table_head(canvas, y) -> float:
    canvas.setFillColor(GREY)
    canvas.setFont("Helvetica-Bold", 8.5)
    canvas.drawString(MARGIN, y, _text(_("Désignation")).upper())
    _row(
        canvas,
        y,
        [_("Qté"), _("PU HT"), _("TVA"), _("Total HT"), _("Total TTC")],
        "Helvetica-Bold",
        8.5,
    )
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(1)
    canvas.line(MARGIN, y - 6, WIDTH - MARGIN, y - 6)
    canvas.setFillColor(INK)
    return y - 20


def _lines(canvas, invoice: Invoice, y) -> float:
    y = _table_head(canvas, y)
    for line in invoice.lines.all():
        if y < BOTTOM + 3 * cm:  # a long order goes on over the next page
            _footer(canvas, invoice)
            canvas.showPage()
            y = _table_head(canvas, _header(canvas))
        below = _wrapped(
            canvas, line.description, MARGIN, y, COLUMNS[0][0] - MARGIN, "Helvetica", 9.5, 12
        )
        _row(
            canvas,
            y,
            [
                str(line.quantity),
                euros(line.unit_price_before_tax_cents),
                percent(invoice),
                euros(line.total_before_tax_cents),
                euros(line.total_cents),
            ],
            "Helvetica",
            9.5,
        )
        y = below - 8
    canvas.setStrokeColor(LINE)
    canvas.line(MARGIN, y + 4, WIDTH - MARGIN, y + 4)
    return y


def _totals(canvas, invoice: Invoice, y) -> float:
    label_x = COLUMNS[3][0]
    rows = [
        (_("Total HT"), euros(invoice.total_before_tax_cents), "Helvetica"),
        (
            _("TVA %(rate)s") % {"rate": percent(invoice)},
            euros(invoice.total_vat_cents),
            "Helvetica",
        ),
        (_("Total TTC"), euros(invoice.total_cents), "Helvetica-Bold"),
    ]
    for label, amount, font in rows:
        canvas.setFont(font, 11)
        canvas.drawRightString(label_x, y, _text(label))
        canvas.drawRightString(WIDTH - MARGIN, y, _text(amount))
        y -= 17
    return y


def _footer(canvas, invoice: Invoice) -> None:
    if invoice.is_credit_note:
        note = _(
            "Avoir sur la facture %(invoice)s : %(amount)s remboursés le %(date)s. Document "
            "émis électroniquement, non modifiable."
        ) % {
            "invoice": invoice.credited.number if invoice.credited else "",
            "amount": euros(invoice.total_cents),
            "date": _date(invoice.paid_at),
        }
    else:
        note = _(
            "Facture acquittée : %(amount)s payés le %(date)s. Document émis électroniquement, "
            "non modifiable."
        ) % {"amount": euros(invoice.total_cents), "date": _date(invoice.paid_at)}
    canvas.setFillColor(GREY)
    _wrapped(canvas, note, MARGIN, MARGIN + 10, WIDTH - 2 * MARGIN, "Helvetica", 8.5, 11)
    canvas.setFillColor(INK)
