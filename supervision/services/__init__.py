"""Every action on a supervised item: 立项, 分解交办, 协办意见, 进展反馈, 审结 / 退回重办, 延期, 撤销,
and the 通报 / 督查专报 drafts it hands to the documents module.

One function per action, in a transaction: it locks the item, checks the actor and the state, writes
the 流转记录 (``SupervisionEvent``), and opens, moves or closes the Deadlines. Other modules open items
through :func:`item_open` only (DESIGN.md: a meeting decision, a leader's 批示 on an incoming document).

By family: ``items`` (立项 and numbering, 分解交办, 撤销), ``tasks`` (协办意见, 进展反馈, 单位审签,
审结 / 退回重办), ``follow_up`` (催办, 领导批示),
``extensions`` (延期 along its chain), ``bulletins`` (通报, 督查专报); ``_common`` holds what they share.
Callers use the names below, as ``supervision.services.<name>``.
"""

# The choices item_open takes, for modules that reach supervision only through its services.
from supervision.models import Priority, Source
from supervision.services._common import (
    REPORT_KIND,
    TASK_KIND,
    above_ceiling,
    is_lead_of,
    is_supervisor_of,
)
from supervision.services.bulletins import bulletin_draft, is_any_supervisor, report_draft
from supervision.services.extensions import extension_decide, extension_request, may_decide
from supervision.services.follow_up import item_chase, item_instruct
from supervision.services.items import (
    OPENERS,
    TaskSpec,
    default_due,
    item_cancel,
    item_open,
    item_split,
    items_from,
    supervision_office,
)
from supervision.services.tasks import task_report, task_review, task_send_input, task_sign_off

__all__ = [
    "OPENERS",
    "REPORT_KIND",
    "TASK_KIND",
    "Priority",
    "Source",
    "TaskSpec",
    "above_ceiling",
    "bulletin_draft",
    "default_due",
    "extension_decide",
    "extension_request",
    "is_any_supervisor",
    "is_lead_of",
    "is_supervisor_of",
    "item_cancel",
    "item_chase",
    "item_instruct",
    "item_open",
    "item_split",
    "items_from",
    "may_decide",
    "report_draft",
    "supervision_office",
    "task_report",
    "task_review",
    "task_send_input",
    "task_sign_off",
]
