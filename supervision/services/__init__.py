"""Every action on a supervised item: 立项, 分解交办, 协办意见, 进展反馈, 审结 / 退回重办, 延期, 撤销,
and the 通报 / 督查专报 drafts it hands to the documents module.

One function per action, in a transaction: it locks the item, checks the actor and the state, writes
the 流转记录 (``SupervisionEvent``), and opens, moves or closes the Deadlines. Other modules open items
through :func:`open_item` only (DESIGN.md: a meeting decision, a leader's 批示 on an incoming document).

By family: ``items`` (立项 and numbering, 分解交办, 撤销), ``tasks`` (协办意见, 进展反馈, 审结 / 退回重办),
``extensions`` (延期 along its chain), ``bulletins`` (通报, 督查专报); ``_common`` holds what they share.
Callers use the names below, as ``supervision.services.<name>``.
"""

# The choices open_item takes, for modules that reach supervision only through its services.
from supervision.models import Priority, Source
from supervision.services._common import (
    REPORT_KIND,
    TASK_KIND,
    above_ceiling,
    is_lead_of,
    is_supervisor_of,
)
from supervision.services.bulletins import draft_bulletin, draft_report, is_any_supervisor
from supervision.services.extensions import decide_extension, may_decide, request_extension
from supervision.services.items import (
    OPENERS,
    TaskSpec,
    cancel_item,
    default_due,
    items_from,
    open_item,
    split_item,
    supervision_office,
)
from supervision.services.tasks import report_progress, review_task, send_input

__all__ = [
    "OPENERS",
    "REPORT_KIND",
    "TASK_KIND",
    "Priority",
    "Source",
    "TaskSpec",
    "above_ceiling",
    "cancel_item",
    "decide_extension",
    "default_due",
    "draft_bulletin",
    "draft_report",
    "is_any_supervisor",
    "is_lead_of",
    "is_supervisor_of",
    "items_from",
    "may_decide",
    "open_item",
    "report_progress",
    "request_extension",
    "review_task",
    "send_input",
    "split_item",
    "supervision_office",
]
