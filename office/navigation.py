"""What the navigation shows a person: only the pages he may use, by the rule the page itself
applies (offered ⇔ accepted, for links).

A flow registers the predicate its page checks, once, beside its rules
(``navigation.offer("incoming_receive", rules.is_office)``); the base layout's context has
``may`` (``office.context_processors.shell``), so a template writes ``{% if may.incoming_receive %}``.
A link without a registered rule is open to every signed-in person. The kernel names no domain app:
the flows register themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from office.org.models import User

Predicate = Callable[["User"], bool]
_RULES: dict[str, Predicate] = {}


def offer(name: str, predicate: Predicate) -> Predicate:
    """Register the rule of the page ``name`` (the one its view applies)."""
    _RULES[name] = predicate
    return predicate


def rule_for(name: str) -> Predicate | None:
    return _RULES.get(name)


class Links:
    """``may[name]`` for one user, each rule run at most once per request."""

    def __init__(self, user: User | None):
        self.user = user
        self._answers: dict[str, bool] = {}

    def __getitem__(self, name: str) -> bool:
        if name not in self._answers:
            user = self.user
            if user is None or not user.is_authenticated:
                self._answers[name] = False
            else:
                predicate = _RULES.get(name)
                self._answers[name] = True if predicate is None else bool(predicate(user))
        return self._answers[name]

    def __contains__(self, name: str) -> bool:  # the template engine asks before it looks up
        return True
