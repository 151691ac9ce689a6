"""Every change to a 信访事项, one function per action (DESIGN.md), each through ``rules.CASE``."""

from petitions.services.after import case_archive, case_close, case_instruct, case_rate, case_review_request
from petitions.services.analysis import analysis_body, analysis_draft
from petitions.services.handling import (
    case_ask_extension,
    case_extend,
    case_hearing,
    case_hearing_end,
    case_note,
    case_reply,
    case_serve,
    reply_body,
)
from petitions.services.intake import PetitionerSpec, case_attach, case_link, case_merge, case_register, may_register
from petitions.services.ledgers import (
    dispute_create,
    dispute_update,
    leader_case_assign,
    leader_case_update,
    reception_create,
)
from petitions.services.routing import case_accept, case_object, case_route

__all__ = [
    "PetitionerSpec",
    "analysis_body",
    "analysis_draft",
    "case_accept",
    "case_archive",
    "case_ask_extension",
    "case_attach",
    "case_close",
    "case_extend",
    "case_hearing",
    "case_hearing_end",
    "case_instruct",
    "case_link",
    "case_merge",
    "case_note",
    "case_object",
    "case_rate",
    "case_register",
    "case_reply",
    "case_review_request",
    "case_route",
    "case_serve",
    "dispute_create",
    "dispute_update",
    "leader_case_assign",
    "leader_case_update",
    "may_register",
    "reception_create",
    "reply_body",
]
