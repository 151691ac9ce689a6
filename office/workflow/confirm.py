"""The confirmation step before an irreversible act, on every flow's pages.

A step declares what taking it will do (``Step.confirm``). On a page the form carries that text
(``{% confirm_attrs %}``, office/templatetags/confirm.py): with JavaScript a dialog repeats it and
the form is posted with ``confirmed``; without, the server answers a post lacking ``confirmed``
with :func:`confirmation_page` — the same text and the same fields, posted again to the same
address with ``confirmed``. The API takes steps directly: other systems confirm nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from office.workflow.machine import Machine

CONFIRMED = "confirmed"


def confirmation_page(
    request: HttpRequest, machine: Machine, record: Any, step: str, *, back: str, applies: bool = True
) -> HttpResponse | None:
    """The page asking the person to confirm ``step`` on ``record``, when the step asks for it,
    ``applies`` (a decision form's 退回 is no irreversible act) and the post lacks ``confirmed``;
    ``None`` when the step may be taken now. ``back`` is where 返回 leads (nothing is stored)."""
    if not applies or request.POST.get(CONFIRMED) or not machine.allows(request.user, record, step):
        return None  # a step not open now is refused by its service, with its own message
    message = machine.confirmation(request.user, record, step)
    if not message:
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in request.POST.getlist(name)
    ]
    context = {
        "record": record,
        "title": getattr(record, "title", "") or str(record),
        "message": message,
        "fields": fields,
        "action": request.get_full_path(),
        "back": back,
        "confirmed": CONFIRMED,
    }
    response = render(request, "workflow/confirm.html", context)
    # It repeats what the person typed (an opinion, a reason): never kept in a cache.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
