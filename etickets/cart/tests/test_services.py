import datetime

import pytest
from django.utils import timezone

from etickets.cart import selectors, services
from etickets.cart.models import CartLine
from etickets.catalog.models import Event, OfferKind
from etickets.catalog.selectors import offer_on_sale
from etickets.inventory.models import Hold
from etickets.inventory.selectors import free_seats
from etickets.inventory.services import purge_expired_holds

# Tests of other rules that let one buyer fill an event: the per-account limits have theirs
# (test_limits.py).
pytestmark = pytest.mark.usefixtures("generous_limits")


@pytest.fixture
def stade(make_event):
    return make_event(capacity=10)


def expire_holds():
    Hold.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))


@pytest.mark.django_db
def test_adding_holds_seats_for_15_minutes(make_user, make_offer, stade):
    user = make_user()
    duo = make_offer(event=stade, kind=OfferKind.DUO)
    services.add_to_cart(user, offer=duo, quantity=2)
    hold = Hold.objects.get()
    assert hold.seats == 4
    left = (hold.expires_at - timezone.now()).total_seconds()
    assert 14 * 60 < left <= 15 * 60
    assert free_seats(stade) == 6
    assert offer_on_sale(duo.pk).tickets_available == 3


@pytest.mark.django_db
def test_adding_again_adds_to_the_line(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=2)
    services.add_to_cart(user, offer=solo, quantity=3)
    assert CartLine.objects.get().quantity == 5
    assert Hold.objects.get().seats == 5


@pytest.mark.django_db
def test_not_enough_seats_says_how_many_remain(make_user, make_offer, stade):
    familiale = make_offer(event=stade, kind=OfferKind.FAMILIALE)
    with pytest.raises(services.NotEnoughSeats) as refused:
        services.add_to_cart(make_user(), offer=familiale, quantity=3)
    assert str(refused.value) == (
        "Il ne reste que 2 billets pour cette offre : choisissez une quantité plus petite."
    )
    assert not Hold.objects.exists()


@pytest.mark.django_db
def test_sold_out(make_user, make_offer, stade):
    solo = make_offer(event=stade)
    services.add_to_cart(make_user(), offer=solo, quantity=10)
    with pytest.raises(services.SoldOut) as refused:
        services.add_to_cart(make_user(), offer=solo, quantity=1)
    assert "Complet" in str(refused.value)


@pytest.mark.django_db
def test_an_offer_read_as_sold_out_is_refused_without_queueing(
    make_user, make_offer, stade, django_assert_num_queries
):
    solo = make_offer(event=stade)
    services.add_to_cart(make_user(), offer=solo, quantity=10)
    offer = offer_on_sale(solo.pk)  # read with its availability, as the views and API do
    late = make_user()
    with django_assert_num_queries(0), pytest.raises(services.SoldOut):
        services.add_to_cart(late, offer=offer, quantity=1)


@pytest.mark.django_db
def test_other_buyers_holds_count_until_they_expire(make_user, make_offer, stade):
    solo = make_offer(event=stade)
    services.add_to_cart(make_user(), offer=solo, quantity=10)
    expire_holds()
    assert free_seats(stade) == 10
    services.add_to_cart(make_user(), offer=solo, quantity=10)  # the expired seats are free again


@pytest.mark.django_db
def test_limit_per_order(make_user, make_offer, make_event):
    offer = make_offer(event=make_event(capacity=100), max_per_order=4)
    user = make_user()
    services.add_to_cart(user, offer=offer, quantity=3)
    with pytest.raises(services.LimitReached) as refused:
        services.add_to_cart(user, offer=offer, quantity=2)
    assert str(refused.value) == (
        "Vous ne pouvez pas prendre plus de 4 billets de cette offre par commande."
    )
    assert CartLine.objects.get().quantity == 3


@pytest.mark.django_db
def test_site_wide_cap_per_offer(make_user, make_offer, make_event, settings):
    settings.MAX_TICKETS_PER_OFFER = 6
    with pytest.raises(services.LimitReached):
        services.add_to_cart(
            make_user(), offer=make_offer(event=make_event(capacity=100)), quantity=7
        )


@pytest.mark.django_db
def test_unpublished_and_past_offers_cannot_be_added(make_user, make_offer, make_event):
    hidden = make_offer(is_published=False)
    with pytest.raises(services.OfferNotOnSale):
        services.add_to_cart(make_user(), offer=hidden, quantity=1)
    past = make_offer(event=make_event(starts_at=timezone.now() - datetime.timedelta(hours=1)))
    with pytest.raises(services.EventOver) as refused:
        services.add_to_cart(make_user(), offer=past, quantity=1)
    assert "déjà eu lieu" in str(refused.value)


@pytest.mark.parametrize("quantity", [0, -3])
@pytest.mark.django_db
def test_quantity_must_be_positive(make_user, make_offer, quantity):
    with pytest.raises(services.InvalidQuantity):
        services.add_to_cart(make_user(), offer=make_offer(), quantity=quantity)


@pytest.mark.django_db
def test_lowering_a_quantity_gives_seats_back(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=6)
    services.set_quantity(user, offer=solo, quantity=2)
    assert Hold.objects.get().seats == 2
    assert free_seats(stade) == 8


@pytest.mark.django_db
def test_raising_a_quantity_must_fit(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=6)
    services.add_to_cart(make_user(), offer=solo, quantity=3)
    with pytest.raises(services.NotEnoughSeats):
        services.set_quantity(user, offer=solo, quantity=8)
    services.set_quantity(user, offer=solo, quantity=7)
    assert free_seats(stade) == 0


@pytest.mark.django_db
def test_zero_removes_the_line_and_frees_the_seats(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=4)
    services.set_quantity(user, offer=solo, quantity=0)
    assert not CartLine.objects.exists()
    assert not Hold.objects.exists()


@pytest.mark.django_db
def test_remove_and_clear(make_user, make_offer, stade):
    user = make_user()
    solo, duo = make_offer(event=stade), make_offer(event=stade, kind=OfferKind.DUO)
    services.add_to_cart(user, offer=solo, quantity=1)
    services.add_to_cart(user, offer=duo, quantity=1)
    services.remove_line(user, offer=solo)
    assert list(CartLine.objects.values_list("offer", flat=True)) == [duo.pk]
    services.clear_cart(user)
    assert not CartLine.objects.exists()
    assert free_seats(stade) == 10


@pytest.mark.django_db
def test_an_expired_cart_is_reserved_again_while_seats_remain(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=4)
    expire_holds()
    assert selectors.cart_summary(user).expired
    assert services.renew_expired_holds(user) == []
    summary = selectors.cart_summary(user)
    assert not summary.expired
    assert 14 * 60 < summary.seconds_left <= 15 * 60


@pytest.mark.django_db
def test_an_expired_cart_keeps_what_still_fits(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=4)
    expire_holds()
    services.add_to_cart(make_user(), offer=solo, quantity=8)  # someone took most seats meanwhile
    (adjustment,) = services.renew_expired_holds(user)
    assert (adjustment.wanted, adjustment.kept) == (4, 2)
    assert CartLine.objects.get(cart__user=user).quantity == 2
    assert free_seats(stade) == 0


@pytest.mark.django_db
def test_an_expired_line_with_nothing_left_leaves_the_cart(make_user, make_offer, stade):
    user = make_user()
    solo = make_offer(event=stade)
    services.add_to_cart(user, offer=solo, quantity=4)
    expire_holds()
    Event.objects.filter(pk=stade.pk).update(sold=10)
    (adjustment,) = services.renew_expired_holds(user)
    assert adjustment.kept == 0
    assert not CartLine.objects.filter(cart__user=user).exists()


@pytest.mark.django_db
def test_adding_renews_the_whole_cart(make_user, make_offer, make_event, stade):
    user = make_user()
    first = make_offer(event=stade)
    services.add_to_cart(user, offer=first, quantity=1)
    expire_holds()
    services.add_to_cart(user, offer=make_offer(event=make_event()), quantity=1)
    assert not selectors.cart_summary(user).expired


@pytest.mark.django_db
def test_purge_deletes_only_expired_holds(make_user, make_offer, stade):
    solo = make_offer(event=stade)
    services.add_to_cart(make_user(), offer=solo, quantity=1)
    services.add_to_cart(make_user(), offer=solo, quantity=1)
    Hold.objects.filter(pk=Hold.objects.first().pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert purge_expired_holds() == 1
    assert Hold.objects.count() == 1


@pytest.mark.django_db
def test_seats_of_one_event_are_shared_by_its_offers(make_user, make_offer, stade):
    solo = make_offer(event=stade)
    familiale = make_offer(event=stade, kind=OfferKind.FAMILIALE)
    services.add_to_cart(make_user(), offer=familiale, quantity=2)  # 8 seats
    assert offer_on_sale(solo.pk).tickets_available == 2
    assert offer_on_sale(familiale.pk).tickets_available == 0
    with pytest.raises(services.SoldOut):
        services.add_to_cart(make_user(), offer=familiale, quantity=1)


@pytest.mark.django_db
def test_refreshing_a_cart_renews_only_expired_holds(make_user, make_offer, stade):
    user = make_user()
    services.add_to_cart(user, offer=make_offer(event=stade), quantity=2)
    fresh = services.refresh_cart(user=user)
    assert (fresh.renewed, fresh.summary.expired, fresh.summary.ticket_count) == (False, False, 2)
    expire_holds()
    renewed = services.refresh_cart(user=user)
    assert (renewed.renewed, renewed.summary.expired, renewed.adjustments) == (True, False, [])
    assert Hold.objects.get().is_live()
    assert free_seats(stade) == 8
