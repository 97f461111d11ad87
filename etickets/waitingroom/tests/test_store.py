"""The queue store, on Redis and in-process: one place per account, the draw, FIFO after it."""

import datetime

import pytest

from etickets.waitingroom import store
from etickets.waitingroom.fairness import fair_order
from etickets.waitingroom.store import NotInLine, entry_id

OPENS = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
BEFORE = OPENS - datetime.timedelta(minutes=20)
AFTER = OPENS + datetime.timedelta(seconds=5)
SEED = "ab" * 32


def admit(queue, n, when=AFTER):
    return queue.admit(
        1, n, paced_from=queue.pacing(1), paced_to=when, pass_until=when + datetime.timedelta(1)
    )


def test_one_place_per_account_however_often_it_joins(queue):
    first = queue.join(1, "7", BEFORE)
    assert queue.join(1, "7", BEFORE + datetime.timedelta(minutes=1)) == first
    assert first == entry_id(event_id=1, account_key="7")
    assert queue.join(2, "7", BEFORE) != first  # another event, another entry
    assert queue.length(1) == 1
    queue.draw(1, SEED, OPENS)
    assert queue.join(1, "7", AFTER) == first
    assert queue.length(1) == 1


def test_no_place_before_the_draw(queue):
    entry = queue.join(1, "7", BEFORE)
    with pytest.raises(NotInLine):
        queue.position(1, entry)
    assert queue.draw_record(1) is None
    assert admit(queue, 5) == []


def test_the_draw_is_reproducible_from_the_seed_and_later_arrivals_queue_in_order(queue):
    early = [queue.join(1, str(account), BEFORE) for account in range(20)]
    late = [
        queue.join(1, str(account), OPENS + datetime.timedelta(seconds=account))
        for account in range(20, 23)
    ]
    assert queue.draw(1, SEED, OPENS)
    assert not queue.draw(1, "cd" * 32, OPENS)  # made once
    after_draw = [queue.join(1, str(account), AFTER) for account in range(23, 26)]
    record = queue.draw_record(1)
    assert record.drawn == 20
    drawn = fair_order(seed=SEED, entry_ids=early)
    assert drawn != early  # shuffled (20 entries: not their order by chance)
    assert record.line == [*drawn, *late, *after_draw]
    assert [queue.position(1, entry) for entry in record.line] == list(range(26))


def test_joining_again_never_improves_a_place(queue):
    entries = [queue.join(1, str(account), BEFORE) for account in range(10)]
    queue.draw(1, SEED, OPENS)
    last = queue.draw_record(1).line[-1]
    account = str(entries.index(last))
    assert queue.join(1, account, AFTER) == last
    assert queue.position(1, last) == 9
    newcomer = queue.join(1, "new", AFTER)
    assert queue.position(1, newcomer) == 10


def test_admissions_follow_the_line_and_are_logged(queue):
    for account in range(6):
        queue.join(1, str(account), BEFORE)
    queue.draw(1, SEED, OPENS)
    line = queue.draw_record(1).line
    assert admit(queue, 4) == line[:4]
    assert admit(queue, 4, AFTER + datetime.timedelta(seconds=1)) == line[4:]
    assert queue.admission_log(1) == line
    assert queue.admitted_count(1) == 6
    assert queue.length(1) == 0
    assert queue.position(1, line[0]) is None


def test_an_admission_counts_only_for_the_caller_who_saw_the_pacing_last(queue):
    for account in range(4):
        queue.join(1, str(account), BEFORE)
    queue.draw(1, SEED, OPENS)
    seen = queue.pacing(1)
    until = AFTER + datetime.timedelta(minutes=15)
    assert len(queue.admit(1, 2, paced_from=seen, paced_to=AFTER, pass_until=until)) == 2
    assert queue.admit(1, 2, paced_from=seen, paced_to=AFTER, pass_until=until) == []
    assert queue.pacing(1) == AFTER


def test_passes_count_until_they_expire_and_can_be_extended(queue):
    for account in range(3):
        queue.join(1, str(account), BEFORE)
    queue.draw(1, SEED, OPENS)
    until = AFTER + datetime.timedelta(minutes=15)
    admitted = queue.admit(1, 2, paced_from=None, paced_to=AFTER, pass_until=until)
    assert queue.passes_out(1, AFTER) == 2
    assert queue.pass_expiry(1, admitted[0]) == until
    assert queue.passes_out(1, until) == 0
    later = until + datetime.timedelta(minutes=5)
    queue.extend_pass(1, admitted[0], later)
    assert queue.passes_out(1, until) == 1
    waiting = queue.draw_record(1).line[2]
    queue.extend_pass(1, waiting, later)  # never admitted: no pass to extend
    assert queue.pass_expiry(1, waiting) is None


def test_on_redis_a_join_while_the_draw_is_made_goes_to_the_back(redis_queue, monkeypatch):
    """Redis's draw is computed outside Redis, from arrivals frozen meanwhile: whoever joins then
    waits aside and comes after them, even with a clock before the opening."""
    queue = redis_queue
    early = [queue.join(1, str(account), BEFORE) for account in range(5)]

    def order_with_a_join_meanwhile(*, seed, entry_ids):
        queue.join(1, "meanwhile", BEFORE)
        return fair_order(seed=seed, entry_ids=entry_ids)

    monkeypatch.setattr(store, "fair_order", order_with_a_join_meanwhile)
    assert queue.draw(1, SEED, OPENS)
    meanwhile = entry_id(event_id=1, account_key="meanwhile")
    assert queue.draw_record(1).line == [*fair_order(seed=SEED, entry_ids=early), meanwhile]
    assert queue.join(1, "meanwhile", AFTER) == meanwhile
    assert queue.length(1) == 6


def test_a_new_place_only_at_the_back_once_admitted_and_the_pass_over(queue):
    first = queue.join(1, "7", BEFORE)
    queue.join(1, "8", BEFORE)
    assert queue.requeue(1, "7", AFTER) is None  # not drawn yet
    queue.draw(1, SEED, OPENS)
    assert queue.requeue(1, "7", AFTER) is None  # waiting: no second place
    queue.admit(1, 2, paced_from=None, paced_to=AFTER, pass_until=AFTER + datetime.timedelta(1))
    queue.join(1, "9", AFTER)
    assert queue.requeue(1, "7", AFTER) is None  # its pass is still valid
    later = AFTER + datetime.timedelta(days=2)
    second = queue.requeue(1, "7", later)
    assert second not in (None, first)
    assert queue.current_entry(1, "7") == second
    assert queue.join(1, "7", later) == second  # joining again keeps the new place
    assert queue.position(1, second) == 1  # behind "9", who came before
    assert queue.requeue(1, "7", later) is None  # not admitted again yet


def test_a_poll_reads_the_place_the_admissions_and_the_status(queue):
    entry = queue.join(1, "7", BEFORE)
    assert queue.poll(1, "0" * 32) == store.Poll(joined=False, place=None, admitted=0, status=None)
    queue.set_status(1, '{"state": "soon"}')
    assert queue.poll(1, entry) == store.Poll(
        joined=True, place=None, admitted=0, status='{"state": "soon"}'
    )
    for account in range(5):
        queue.join(1, f"late{account}", AFTER + datetime.timedelta(seconds=account))
    queue.draw(1, SEED, OPENS)
    admit(queue, 3)
    late = queue.current_entry(1, "late4")
    assert queue.poll(1, late).ahead == 2
    assert queue.poll(1, entry).ahead is None  # admitted (first: the only early one)
    queue.discard(1)
    assert queue.poll(1, entry) == store.Poll(joined=False, place=None, admitted=0, status=None)


def test_joining_all_at_once_queues_in_the_given_order(queue):
    queue.join_all(1, ["3", "1", "2"], OPENS)
    queue.draw(1, SEED, OPENS)
    record = queue.draw_record(1)
    assert record is not None and record.drawn == 0  # none arrived before the opening
    assert record.line == [entry_id(event_id=1, account_key=key) for key in ("3", "1", "2")]
