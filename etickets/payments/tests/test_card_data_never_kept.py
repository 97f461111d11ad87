"""After purchases, nothing we own holds a card number or a security code: no table, no log,
no SQL statement, no session, no e-mail."""

import logging
import re

import pytest
from django.apps import apps
from django.contrib.sessions.backends.base import SessionBase
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from etickets.cart import services as cart
from etickets.orders.models import Order

CARDS = [
    ("4242 4242 4242 4242", "918"),
    ("4000 0000 0000 0002", "736"),
    ("5555555555554444", "604"),
]


def everything_stored() -> str:
    """Every row of every table, but its keys: on PostgreSQL, sequences are not reset between
    tests, so an id would sooner or later read like a security code."""
    rows = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            rows.append(repr({k: v for k, v in row.items() if k != "id" and not k.endswith("_id")}))
    return "\n".join(rows)


@pytest.mark.django_db
def test_card_numbers_and_codes_are_never_stored_or_logged(client, make_user, make_offer, caplog):
    user = make_user()
    client.force_login(user)
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        for number, cvv in CARDS:
            cart.add_to_cart(user, offer=make_offer(), quantity=1)
            page = client.get("/paiement/").content.decode()
            key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
            with TestCase.captureOnCommitCallbacks(execute=True):
                client.post(
                    "/paiement/",
                    {"idempotency_key": key, "number": number, "expiry": "08/30", "cvv": cvv},
                )
            if number.startswith("4000"):  # declined: empty the cart for the next purchase
                cart.clear_cart(user)
    assert Order.objects.count() == 2  # the two approved cards

    session = client.session
    haystacks = {
        "tables": everything_stored(),
        "logs": caplog.text,
        "sql": "\n".join(q["sql"] for q in queries.captured_queries),
        "session": repr(dict(session.items())) if isinstance(session, SessionBase) else "",
        "emails": "\n".join(m.body + m.alternatives[0][0] for m in mail.outbox),
    }
    assert "4242" in haystacks["tables"]  # the last four digits are kept, as they may be
    for number, cvv in CARDS:
        digits = number.replace(" ", "")
        for where, text in haystacks.items():
            assert digits not in text.replace(" ", ""), f"card number in {where}"
            assert digits[:12] not in text, f"card number prefix in {where}"
            assert not re.search(rf"\bcvv\W+{cvv}\b|\b{cvv}\b", text), f"code {cvv} in {where}"
