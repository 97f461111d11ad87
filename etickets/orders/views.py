from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def order_detail(request, reference):
    """« Confirmation de commande »: the order, its payment and the way to the tickets."""
    order = selectors.order_for_owner(request.user, reference)
    return render(request, "orders/order_detail.html", {"order": order})


@login_required
def order_list(request):
    """« Mes commandes »."""
    return render(request, "orders/order_list.html", {"orders": selectors.orders_of(request.user)})
