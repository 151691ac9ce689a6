"""The 督查督办 pages: the list pages (``pages``: 督办台账 and its export, 我的督办, the figures and the
通报, 立项), an item's page (``item``) and the actions on it (``actions``). See ``pages`` for how thin
they are kept."""

from supervision.views.item import (
    attachment,
    attachment_preview,
    extension_decide,
    item_action,
    item_detail,
    item_redirect,
    task_action,
)
from supervision.views.pages import bulletin, figures, item_open, ledger, ledger_export, mine

__all__ = [
    "attachment",
    "attachment_preview",
    "bulletin",
    "extension_decide",
    "figures",
    "item_action",
    "item_detail",
    "item_open",
    "item_redirect",
    "ledger",
    "ledger_export",
    "mine",
    "task_action",
]
