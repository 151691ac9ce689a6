"""Typed in-transaction hooks between domain apps.

The app that owns an event declares it (``instruction_given = Hook[InstructionGiven]("…")``) and
sends it inside its own transaction; another app connects a receiver in its ``AppConfig.ready()``.
The sender never imports the receiver, so two domain apps never import each other in a circle, and
a receiver's failure rolls the sender's step back with it (unlike ``on_commit`` work).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Payload = TypeVar("Payload")


class Hook(Generic[Payload]):
    def __init__(self, name: str):
        self.name = name
        self._receivers: list[Callable[[Payload], object]] = []

    def connect(self, receiver: Callable[[Payload], object]) -> Callable[[Payload], object]:
        """Register ``receiver`` once (usable as a decorator); ``ready()`` may run twice in tests."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def send(self, payload: Payload) -> list:
        """Call every receiver in the caller's transaction; their answers, in order (a query hook
        such as "records opened from this one" collects them)."""
        return [receiver(payload) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"
