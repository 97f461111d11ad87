"""Data for the sales-rush benchmark (`make bench`): buyers with API tokens, rush events, a
gate event whose tickets are already sold, and a sale behind a waiting room with its line.
Writes what the load client needs to a JSON file.

``python -m tools.bench.seed --output var/bench/data.json`` with the site's settings in the
environment (scripts/bench.sh)."""

import argparse
import datetime
import json
import random
import secrets
import uuid

import django
from django.apps import apps

if not apps.ready:  # run as a script; the tests have set Django up already
    django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from etickets.accounts import services as accounts
from etickets.api.models import ApiToken
from etickets.catalog.models import Event, Offer, OfferKind
from etickets.gate.models import CONTROLLER_GROUP
from etickets.orders.models import Order, OrderLine, new_reference
from etickets.tickets.models import Ticket
from etickets.tickets.tokens import issue_token
from etickets.waitingroom import services as waitingroom
from etickets.waitingroom import store

PRICES = {OfferKind.SOLO: 5000, OfferKind.DUO: 9000, OfferKind.FAMILIALE: 16000}


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Load the benchmark's data set and write its description as JSON."
    )
    parser.add_argument("--output", required=True)
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--seats", type=int, default=500)
    # Three rush events for each of the benchmark's two concurrencies.
    parser.add_argument("--rushes", type=int, default=6)
    parser.add_argument("--gate-tickets", type=int, default=2000)
    parser.add_argument("--warmup-seats", type=int, default=100)
    # The waiting room (issue 21): its line, the visitors of it who poll, its pace per minute.
    parser.add_argument("--queue-visitors", type=int, default=100_000)
    parser.add_argument("--queue-pollers", type=int, default=2_000)
    parser.add_argument("--queue-rate", type=int, default=9_000)
    parser.add_argument("--queue-seats", type=int, default=10_000)
    options = vars(parser.parse_args())
    Seeder().seed(**options)
    print(f"Benchmark data written to {options['output']}")


class Seeder:
    @transaction.atomic
    def seed(self, **options) -> dict:
        run = secrets.token_hex(3)
        user_model = get_user_model()
        users = [self.account(f"{run}-{n}") for n in range(options["buyers"])]
        buyers = [ApiToken.issue(user, "bench")[1] for user in users]
        rushes = [
            self.rush_event(f"Bench rush {run}-{n}", options["seats"])
            for n in range(options["rushes"])
        ]
        # Buyers of their own for the warm-up, so that the rushes' buyers' tokens stay cold;
        # enough of them to sell every seat in Solo tickets within the per-account limit.
        warmup = self.rush_event(f"Bench warm-up {run}", options["warmup_seats"])
        warmup_buyers = max(16, -(-options["warmup_seats"] // settings.MAX_TICKETS_PER_EVENT))
        warmup["buyers"] = [self.buyer(f"{run}-warmup-{n}") for n in range(warmup_buyers)]

        gate_event = self.event(f"Bench gate {run}", options["gate_tickets"])
        controller = user_model.objects.create_user(
            email=f"bench-{run}-gate@example.org",
            username=f"bench-{run}-gate",
            password=secrets.token_urlsafe(16),
            first_name="Gate",
            last_name="Bench",
        )
        controller.groups.add(Group.objects.get_or_create(name=CONTROLLER_GROUP)[0])
        device = accounts.totp_device_in_setup(controller)
        device.confirmed = True
        device.save()
        tokens = self.sold_tickets(gate_event, controller, options["gate_tickets"])

        description = {
            "buyers": buyers,
            "rushes": rushes,
            "warmup": warmup,
            "queue": self.queued_sale(run, [str(user.pk) for user in users], options),
            "offers_page": "/offres/",
            "gate": {
                "event": gate_event.pk,
                "controller_token": ApiToken.issue(controller, "bench gate")[1],
                "tickets": tokens,
            },
        }
        with open(options["output"], "w") as file:
            json.dump(description, file)
        return description

    def buyer(self, name) -> str:
        """A new buyer's API token."""
        return ApiToken.issue(self.account(name), "bench")[1]

    def account(self, name):
        return get_user_model().objects.create_user(
            email=f"bench-{name}@example.org",
            username=f"bench-{name}",
            password=secrets.token_urlsafe(16),
            first_name="Bench",
            last_name=f"#{name}",
        )

    def queued_sale(self, run, buyers: list[str], options: dict) -> dict:
        """An event whose sale is behind its waiting room: open, drawn from arrivals after the
        opening only (so in the order they are added here), and paused until the load client's
        phase starts. The buyers are every other place at the head of the line, among visitors
        who never buy; some of those visitors poll."""
        sale = self.rush_event(f"Bench queue {run}", options["queue_seats"])
        event = Event.objects.get(pk=sale["event"])
        now = timezone.now()
        waitingroom.configure_queue(
            event=event, opens_at=now, admission_rate=options["queue_rate"], enabled=True
        )
        waitingroom.set_paused(event=event, paused=True)
        visitors = [
            f"bench-{run}-visitor-{n}"
            for n in range(max(options["queue_visitors"] - len(buyers), 0))
        ]
        head = [key for pair in zip(buyers, visitors, strict=False) for key in pair]
        line = head + buyers[len(head) // 2 :] + visitors[len(head) // 2 :]
        # Redis outlives the database: a line left by an earlier run's event of this id goes.
        store.queue_store().discard(event.pk)
        store.queue_store().join_all(event.pk, line, now)
        pollers = random.sample(visitors, min(options["queue_pollers"], len(visitors)))
        return {
            **sale,
            "rate": options["queue_rate"],
            "visitors": len(line),
            "pollers": [store.entry_id(event_id=event.pk, account_key=key) for key in pollers],
        }

    def rush_event(self, title, seats) -> dict:
        event = self.event(title, seats)
        offers = {
            kind.lower(): Offer.objects.create(
                event=event, kind=kind, slug=f"{event.slug}-{kind.lower()}", price_cents=price
            ).pk
            for kind, price in PRICES.items()
        }
        return {"event": event.pk, "seats": seats, "offers": offers}

    def event(self, title, capacity):
        return Event.objects.create(
            sport="athletisme",
            title_fr=title,
            slug=f"{title.lower().replace(' ', '-')}",
            description_fr="Benchmark",
            venue_fr="Stade de France",
            city_fr="Saint-Denis",
            starts_at=timezone.now() + datetime.timedelta(days=30),
            capacity=capacity,
            # The gate scenario scans static codes, let in at once (as before rotating codes).
            rotating_codes=False,
        )

    def sold_tickets(self, event, holder, count):
        """``count`` Solo tickets of ``event``, sold in one order (written in bulk)."""
        offer = Offer.objects.create(
            event=event, kind=OfferKind.SOLO, slug=f"{event.slug}-solo", price_cents=5000
        )
        order = Order.objects.create(
            reference=new_reference(),
            user=holder,
            idempotency_key=uuid.uuid4(),
            total_cents=5000 * count,
            invoicing_due=False,  # no payment: tickets to scan, not a sale to invoice
        )
        line = OrderLine.objects.create(
            order=order, offer=offer, quantity=count, unit_price_cents=5000, persons=1
        )
        tickets = Ticket.objects.bulk_create(
            Ticket(order=order, order_line=line, event=event, holder=holder, persons=1)
            for _ in range(count)
        )
        Event.objects.filter(pk=event.pk).update(sold=count)
        for ticket in tickets:
            ticket.order, ticket.holder = order, holder
        return [issue_token(ticket) for ticket in tickets]


if __name__ == "__main__":
    main()
