"""Invoices numbered while buyers pay at the same time, each on their own connection: one
sequence, without a gap or a duplicate. Meant for PostgreSQL (the advisory lock), and run on
SQLite too (its write lock)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from conftest import pay
from etickets.cart import services as cart
from etickets.core.errors import Busy
from etickets.invoices.models import DocumentKind, Invoice
from etickets.invoices.services import issue_documents
from etickets.orders.models import Order

BUYERS = 50


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seller")
def test_concurrent_orders_get_consecutive_numbers(make_user, make_event, make_offer):
    offer = make_offer(event=make_event(capacity=500))
    buyers = [make_user() for _ in range(BUYERS)]
    for buyer in buyers:
        cart.add_to_cart(buyer, offer=offer, quantity=1)
    start = threading.Barrier(BUYERS)

    def pay_then_issue(buyer):
        start.wait()
        try:
            for _ in range(20):  # « Forte affluence » is tried again, as a buyer would
                try:
                    order = pay(buyer)  # its job issues invoices after the commit
                    break
                except Busy:
                    continue
            else:
                pytest.fail("still « Forte affluence » after 20 tries")
            issue_documents()
            return order.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        order_ids = list(pool.map(pay_then_issue, buyers, timeout=120))

    issue_documents()  # the sweep: an order locked while a job ran waits for it
    assert Order.objects.count() == BUYERS
    assert not Order.objects.filter(invoicing_due=True).exists()
    invoices = list(Invoice.objects.filter(kind=DocumentKind.INVOICE).order_by("sequence"))
    assert [invoice.sequence for invoice in invoices] == list(range(1, BUYERS + 1))
    assert [invoice.number for invoice in invoices] == [f"F-{n:06d}" for n in range(1, 51)]
    assert sorted(invoice.order_id for invoice in invoices) == sorted(order_ids)
    # Numbers follow the dates of issue.
    dates = [invoice.issued_at for invoice in invoices]
    assert dates == sorted(dates)
