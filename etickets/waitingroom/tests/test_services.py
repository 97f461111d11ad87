"""Configuring a queue, pacing the admissions, the admission pass, the draw's public record."""

import datetime
import hashlib
import threading

import pytest
from django.db import connection
from django.utils import timezone

from etickets.catalog.models import Event
from etickets.waitingroom import selectors, services
from etickets.waitingroom.fairness import fair_order

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def opening(make_event, queue):
    """An event of 100 seats whose sale opens in an hour, 10 buyers a minute, and 30 entries
    joined before the opening."""
    event = make_event(capacity=100)
    opens_at = timezone.now() + datetime.timedelta(hours=1)
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=10, enabled=True)
    for account in range(30):
        queue.join(event.pk, f"a{account}", opens_at - datetime.timedelta(minutes=5))
    return event, opens_at


def test_the_seed_is_drawn_once_and_the_opening_cannot_move_once_passed(make_event):
    event = make_event()
    opens_at = timezone.now() + datetime.timedelta(hours=1)
    config = services.configure_queue(
        event=event, opens_at=opens_at, admission_rate=10, enabled=False
    )
    assert len(config.seed) == 64
    assert config.seed_commitment == hashlib.sha256(config.seed.encode()).hexdigest()
    later = opens_at + datetime.timedelta(hours=1)
    changed = services.configure_queue(event=event, opens_at=later, admission_rate=20, enabled=True)
    assert (changed.seed, changed.opens_at, changed.admission_rate) == (config.seed, later, 20)
    with pytest.raises(services.SaleAlreadyOpen):
        services.configure_queue(
            event=event, opens_at=timezone.now() - SECOND, admission_rate=20, enabled=True
        )


def test_nobody_is_admitted_before_the_opening_or_without_an_enabled_queue(opening):
    event, opens_at = opening
    assert services.admit_due(event=event, now=opens_at - SECOND) == []
    services.configure_queue(event=event, opens_at=opens_at, admission_rate=10, enabled=False)
    assert services.admit_due(event=event, now=opens_at + datetime.timedelta(minutes=5)) == []


def test_admissions_come_at_the_rate_with_the_fraction_carried_over(opening, queue):
    event, opens_at = opening
    assert services.admit_due(event=event, now=opens_at + 5 * SECOND) == []
    assert len(services.admit_due(event=event, now=opens_at + 90 * SECOND)) == 15
    assert services.admit_due(event=event, now=opens_at + 95 * SECOND) == []
    assert len(services.admit_due(event=event, now=opens_at + 96 * SECOND)) == 1
    assert queue.admission_log(event.pk) == queue.draw_record(event.pk).line[:16]


def test_admissions_stop_at_what_the_seats_left_can_absorb(opening, queue, settings):
    event, opens_at = opening
    settings.QUEUE_CAPACITY_MARGIN = 1.1
    Event.objects.filter(pk=event.pk).update(sold=95)  # room for 110 - 95 = 15 passes
    admitted = services.admit_due(event=event, now=opens_at + 3 * datetime.timedelta(minutes=2))
    assert len(admitted) == 15
    # The 15 passes out fill the room until they expire; the minutes meanwhile are not saved
    # up for a burst after.
    expired = opens_at + datetime.timedelta(minutes=6 + 15)
    assert services.admit_due(event=event, now=expired - SECOND) == []
    assert len(services.admit_due(event=event, now=expired + 5 * SECOND)) == 1


def test_a_paused_queue_admits_none_and_resumes_without_a_burst(opening):
    event, opens_at = opening
    services.set_paused(event=event, paused=True)
    assert services.admit_due(event=event, now=opens_at + datetime.timedelta(minutes=2)) == []
    services.set_paused(event=event, paused=False)
    services.set_rate(event=event, admission_rate=60)
    resumed = opens_at + datetime.timedelta(minutes=2, seconds=3)
    assert len(services.admit_due(event=event, now=resumed)) == 3


def test_a_pause_earns_nothing_even_when_no_admission_ran_during_it(opening):
    event, opens_at = opening
    assert len(services.admit_due(event=event, now=opens_at + datetime.timedelta(minutes=1))) == 10
    services.set_paused(event=event, paused=True)
    resumed = opens_at + datetime.timedelta(minutes=5)
    services.set_paused(event=event, paused=False, now=resumed)
    assert len(services.admit_due(event=event, now=resumed + 6 * SECOND)) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_admit_each_entry_once_and_in_order(opening, queue):
    event, opens_at = opening
    services.set_rate(event=event, admission_rate=60)

    def admit_every_second():
        for second in range(0, 21):
            services.admit_due(event=event, now=opens_at + second * SECOND)
        connection.close()  # this thread's own

    threads = [threading.Thread(target=admit_every_second) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    services.admit_due(event=event, now=opens_at + 20 * SECOND)
    assert queue.admission_log(event.pk) == queue.draw_record(event.pk).line[:20]
    assert queue.admitted_count(event.pk) == 20


def test_the_record_reveals_the_seed_and_the_draw_anyone_can_redo(opening, queue):
    event, opens_at = opening
    before = selectors.fairness_record(event=event)
    assert before.seed is None and before.entry_ids is None
    services.admit_due(event=event, now=opens_at + SECOND)
    late = queue.join(event.pk, "late", opens_at + 2 * SECOND)
    record = selectors.fairness_record(event=event)
    assert record.commitment == before.commitment
    assert hashlib.sha256(record.seed.encode()).hexdigest() == record.commitment
    assert record.drawn == 30
    drawn = record.entry_ids[:30]
    assert fair_order(seed=record.seed, entry_ids=sorted(drawn)) == drawn
    assert record.entry_ids[30:] == [late]


def test_a_pass_is_its_admitted_buyers_for_its_event_until_it_expires(
    opening, queue, make_user, make_event
):
    event, opens_at = opening
    buyer, other = make_user(email_verified_at=timezone.now()), make_user()
    services.join_queue(
        user=buyer, event=event, client_address="192.0.2.1", now=opens_at - SECOND
    )  # drawn among 31
    now = opens_at + 4 * datetime.timedelta(minutes=1)  # 40 admitted
    with pytest.raises(services.NotAdmitted):
        services.issue_pass(user=buyer, event=event, now=now)
    services.admit_due(event=event, now=now)
    token = services.issue_pass(user=buyer, event=event, now=now)

    def check(token=token, user=buyer, event=event, now=now):
        return selectors.check_pass(token=token, user=user, event=event, now=now)

    assert check()
    assert not check(user=other)
    assert not check(event=make_event())
    assert not check(token=token[:-1] + ("A" if token[-1] != "A" else "B"))
    expiry = now + datetime.timedelta(minutes=15)
    assert not check(now=expiry)
    extended = services.extend_pass(token=token, user=buyer, event=event, now=expiry - SECOND)
    assert check(token=extended, now=expiry + datetime.timedelta(minutes=10))
    with pytest.raises(services.NotAdmitted):
        services.extend_pass(token=token, user=buyer, event=event, now=expiry)


def test_the_periodic_job_admits_in_every_open_queue(opening, make_event, queue):
    event, opens_at = opening
    later = make_event()
    services.configure_queue(
        event=later,
        opens_at=opens_at + datetime.timedelta(hours=1),
        admission_rate=10,
        enabled=True,
    )
    queue.join(later.pk, "a0", opens_at)
    assert services.admit_all_due(now=opens_at + datetime.timedelta(minutes=1)) == 10
    assert queue.admitted_count(event.pk) == 10
    assert queue.admitted_count(later.pk) == 0
