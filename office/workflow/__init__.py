"""The kernel of every record that moves (STYLE.md §5).

A flow declares its steps once, in its ``rules.py``, as a :class:`Machine`; its services take a
step with ``machine.check`` and ``machine.move``; its pages, its API and the desk show
``machine.offered(user, record)`` and nothing else. Nothing here names a domain app.

``TransitionNotAllowed``, ``Hook`` and ``take_next`` load with no app registry; the machine
(which reads people) loads on first use, so a models module may import this package.
"""

from office.workflow.counters import next_number_sql, peek_next, take_next
from office.workflow.errors import TransitionNotAllowed
from office.workflow.hooks import Hook

__all__ = [
    "Actor",
    "Hook",
    "Machine",
    "Step",
    "TransitionNotAllowed",
    "actor_of",
    "in_state",
    "next_number_sql",
    "peek_next",
    "person_acting",
    "take_next",
    "user_acting",
]


def __getattr__(name: str):
    if name in {"Actor", "Machine", "Step", "actor_of", "in_state", "person_acting", "user_acting"}:
        from office.workflow import machine

        return getattr(machine, name)
    raise AttributeError(name)
