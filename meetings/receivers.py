"""What the 会议 app answers of other apps' hooks: a 发文 核发 that is a meeting's 纪要 moves the
meeting to 纪要已印发 and opens the 督办 items of its 议定事项 (``services.minutes.minutes_issued``)."""

from __future__ import annotations


def document_issued(payload):
    """``documents.hooks.document_issued``, inside the 核发's transaction: nothing for a 发文 that is
    no meeting's 纪要 (most of them)."""
    from meetings.services.minutes import minutes_issued

    return minutes_issued(payload.document, payload.actor)


def connect() -> None:
    """Connect to the hooks this app answers (``AppConfig.ready``)."""
    from documents import hooks

    hooks.document_issued.connect(document_issued)
