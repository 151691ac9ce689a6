"""Every change to a 政府信息公开申请, one function per action (DESIGN.md), each through ``rules.REQUEST``.
The 主动公开 of 发文 is ``petitions.disclosure.publication``."""

from petitions.disclosure.services.answer import (
    already_public,
    notice_body,
    request_answer,
    request_close,
    request_deliver,
    request_outcome,
)
from petitions.disclosure.services.handling import (
    request_abnormal,
    request_ask_review,
    request_consult,
    request_extend,
    request_fee,
    request_opinion,
    request_secrecy_review,
)
from petitions.disclosure.services.intake import (
    may_register,
    request_abandon,
    request_confirm,
    request_correct,
    request_receive_correction,
    request_register,
)

__all__ = [
    "already_public",
    "may_register",
    "notice_body",
    "request_abandon",
    "request_abnormal",
    "request_answer",
    "request_ask_review",
    "request_close",
    "request_confirm",
    "request_consult",
    "request_correct",
    "request_deliver",
    "request_extend",
    "request_fee",
    "request_opinion",
    "request_outcome",
    "request_receive_correction",
    "request_register",
    "request_secrecy_review",
]
