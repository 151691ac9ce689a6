"""``/api/v1/supervision/items/``: supervised items (督办事项) — 立项, 分解交办, 协办意见, 进展反馈,
审结 / 退回重办, 延期 along its chain, 撤销 — the 督办台账 export, the figures and scores, the overdue
list, 我的督办, and the 通报 / 督查专报 drafts handed to the documents module.

Thin edges over ``supervision.services`` and ``supervision.selectors``: serializers check shape,
services check rules. Lists and the ledger come from ``selectors.items_visible``; single items
(details and every action) from ``VisibleViewSetMixin.get_object``, looked up before the body is
read, so an item outside the caller's reach is a 404 whatever is sent. A task, an extension request
or an attachment that is not the item's own is a 404 too. A detail above 内部 is written to the
access log; a 绝密 item's texts (requirement, reports, inputs, reasons, comments) are never
returned, and it is never in the ledger.

A move the workflow does not allow is a 409 ``{"detail", "code": "transition_not_allowed"}``; a
person whose step it is not gets 403; bad input is a 400 and changes nothing.

In this package: ``viewsets`` (the viewset, its reads and files), ``workflow`` and ``drafts`` (the
actions mixed into it), ``serializers`` (the answers), ``inputs`` (query parameters and bodies) and
``querysets`` (what the answers are loaded with).
"""

from supervision.api.viewsets import SupervisionItemViewSet

__all__ = ["SupervisionItemViewSet"]
