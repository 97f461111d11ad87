from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors, services
from .models import Invoice
from .pdf import document_pdf


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(document_pdf(invoice, get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def document(request, number):
    """An invoice or credit note of one's own orders, as PDF."""
    return pdf_response(selectors.document_for_owner(request.user, number))


@login_required
@require_safe
def order_invoice(request, reference):
    """The invoice of one's own order, as PDF: the confirmation e-mail's link, which may be
    followed before the job has issued it. Without a broker it is issued now; with one, the
    sweep issues it within seconds (a web request must not queue for the numbering lock in a
    sales rush)."""
    invoice = selectors.invoice_of_order_for_owner(request.user, reference)
    if invoice is None and settings.CELERY_TASK_ALWAYS_EAGER:
        services.issue_documents()
        invoice = selectors.invoice_of_order_for_owner(request.user, reference)
    if invoice is None:  # its order was locked by a refund or an e-mail being sent
        messages.info(
            request, _("Votre facture est en cours d'émission : réessayez dans un instant.")
        )
        return redirect("orders:detail", reference=reference)
    return pdf_response(invoice)
