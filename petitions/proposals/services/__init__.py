"""Every change to a 建议提案, one function per action (DESIGN.md), each through ``rules.PROPOSAL``."""

from petitions.proposals.services.handling import (
    proposal_assist_opinion,
    proposal_close,
    proposal_contact,
    proposal_extend,
    proposal_rate,
    proposal_rehandle,
    proposal_reply,
    proposal_send,
    reply_body,
    reply_title,
)
from petitions.proposals.services.intake import (
    liaison_set,
    may_import,
    proposal_adjust_decide,
    proposal_adjust_request,
    proposal_assign,
    proposals_import,
    session_create,
)

__all__ = [
    "liaison_set",
    "may_import",
    "proposal_adjust_decide",
    "proposal_adjust_request",
    "proposal_assign",
    "proposal_assist_opinion",
    "proposal_close",
    "proposal_contact",
    "proposal_extend",
    "proposal_rate",
    "proposal_rehandle",
    "proposal_reply",
    "proposal_send",
    "proposals_import",
    "reply_body",
    "reply_title",
    "session_create",
]
