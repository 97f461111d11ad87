from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from etickets.cart.views import refreshed_summary
from etickets.core.errors import DomainError
from etickets.payments.forms import CardForm
from etickets.payments.providers import PaymentDeclined
from etickets.payments.services import card_authoriser
from etickets.waitingroom import passes
from etickets.waitingroom.services import QueueRequired, extend_passes

from . import selectors
from .services import CartEmpty, place_order


@sensitive_post_parameters("number", "cvv", "expiry")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request):
    """« Paiement »: the order summary and the card form; « Payer » places the order."""
    form = CardForm(request.POST) if request.method == "POST" else CardForm.new()
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["idempotency_key"]
        try:
            order = place_order(
                user=request.user,
                idempotency_key=key,
                authorise=card_authoriser(form.card(), idempotency_key=str(key)),
                passes=passes.of_request(request),
            )
        except PaymentDeclined as refusal:
            form = CardForm.after_refusal(form, refusal)
        except QueueRequired as refusal:
            return passes.send_to_queue(request, refusal)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("cart:cart")
        else:
            return redirect(order)
    summary = refreshed_summary(request)
    if summary.is_empty:
        messages.info(request, str(CartEmpty.message))
        return redirect("cart:cart")
    # In checkout the buyer's passes last: the seats they hold keep counting against admissions.
    passes.keep(
        request,
        extend_passes(
            user=request.user,
            events={line.offer.event for line in summary.lines}
            | {line.listing.offer.event for line in summary.resale_lines},
            passes=passes.of_request(request),
            now=timezone.now(),
        ),
    )
    return render(request, "orders/checkout.html", {"form": form, "summary": summary})


@login_required
def order_detail(request, reference):
    """« Confirmation de commande »: the order, its payment and the way to the tickets."""
    order = selectors.order_for_owner(request.user, reference)
    return render(request, "orders/order_detail.html", {"order": order})


@login_required
def order_list(request):
    """« Mes commandes »."""
    return render(request, "orders/order_list.html", {"orders": selectors.orders_of(request.user)})
