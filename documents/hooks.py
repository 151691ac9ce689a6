"""What 公文 tells other apps, inside its own transaction (``office.workflow.Hook``): they connect in
their ``AppConfig.ready()``, so documents never imports them."""

from __future__ import annotations

from dataclasses import dataclass

from office.workflow import Hook


@dataclass(frozen=True)
class InstructionGiven:
    """A leader's 批示 on an incoming document asked for 督办 (列入督办)."""

    actor: object  # User
    document: object  # IncomingDocument
    lead_unit: object  # Unit
    assisting_units: list


@dataclass(frozen=True)
class FollowUpsOf:
    """Which records other apps opened from ``record`` that ``user`` may see (for its page)."""

    user: object
    record: object


@dataclass(frozen=True)
class DocumentIssued:
    """A 发文 was 核发 (its 公开属性 decides what 政务公开 does with it)."""

    actor: object  # User
    document: object  # OutgoingDocument


instruction_given: Hook[InstructionGiven] = Hook("documents.instruction_given")
follow_ups_of: Hook[FollowUpsOf] = Hook("documents.follow_ups_of")
document_issued: Hook[DocumentIssued] = Hook("documents.document_issued")
