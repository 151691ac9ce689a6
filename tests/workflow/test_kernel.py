"""The workflow kernel's own parts: the year counter every number series takes from, and the
in-transaction hooks between apps."""

import threading

import pytest
from django.db import connection, transaction

from documents.models import IncomingCounter
from office.workflow import Hook, take_next
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


def test_counter_starts_at_one_per_key_and_year_and_counts_on():
    """GIVEN two organs WHEN numbers are taken for each and for two years THEN each (organ, year)
    counts 1, 2, 3 … on its own."""
    first, second = OrganFactory(), OrganFactory()
    assert [take_next(IncomingCounter, organ=first, year=2026) for _ in range(3)] == [1, 2, 3]
    assert take_next(IncomingCounter, organ=second, year=2026) == 1
    assert take_next(IncomingCounter, organ=first.pk, year=2027) == 1
    assert IncomingCounter.objects.get(organ=first, year=2026).last == 3


def test_a_rolled_back_number_is_given_again():
    """GIVEN a number taken in a transaction that rolls back WHEN the next one is taken THEN it is
    the same number: no gap."""
    organ = OrganFactory()
    take_next(IncomingCounter, organ=organ, year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_next(IncomingCounter, organ=organ, year=2026) == 2
        raise RuntimeError
    assert take_next(IncomingCounter, organ=organ, year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_takers_never_share_a_number():
    """GIVEN eight threads taking numbers of the same series and year at once WHEN they commit
    THEN every number from 1 to 40 was given exactly once."""
    organ = OrganFactory()
    taken, errors = [], []

    def take():
        try:
            for _ in range(5):
                with transaction.atomic():
                    taken.append(take_next(IncomingCounter, organ=organ, year=2026))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 41))


def test_hook_calls_receivers_in_order_once_each_and_returns_their_answers():
    """GIVEN a hook with two receivers, one connected twice WHEN it is sent THEN each answers once,
    in the order connected; a receiver's error reaches the sender (its step rolls back)."""
    hook: Hook[int] = Hook("test")

    def double(value):
        return value * 2

    def boom(value):
        raise ValueError(value)

    hook.connect(double)
    hook.connect(double)
    hook.connect(str)
    assert hook.send(21) == [42, "21"]
    hook.connect(boom)
    with pytest.raises(ValueError):
        hook.send(1)
