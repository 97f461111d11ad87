import pytest
from django.db import connection, transaction

from etickets.cart import services as cart
from etickets.inventory import services as pool
from etickets.inventory.services import lock_seat_pools


def synchronous_commit() -> str | None:
    if connection.vendor != "postgresql":
        return None  # SQLite has no such setting: its WAL is synced at checkpoints
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_holds_commit_without_waiting_for_the_disk_and_sales_wait(make_event):
    event = make_event(capacity=10)
    with transaction.atomic():
        assert lock_seat_pools([event.pk], durable=False)[event.pk].capacity == 10
        for_holds = synchronous_commit()
    with transaction.atomic():
        lock_seat_pools([event.pk])
        for_sales = synchronous_commit()
    if connection.vendor == "postgresql":
        assert (for_holds, for_sales) == ("off", "on")


@pytest.mark.django_db
def test_a_cart_takes_its_pools_as_holds(make_user, make_offer, monkeypatch):
    taken = []

    def spy(event_ids, **options):
        taken.append(options)
        return lock_seat_pools(event_ids, **options)

    monkeypatch.setattr(pool, "lock_seat_pools", spy)
    cart.add_to_cart(make_user(), offer=make_offer(), quantity=1)
    assert taken == [{"durable": False}]
