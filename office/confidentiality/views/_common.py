"""What every 保密 page shares: who may open the 保密员's registers and the access log, the
module's page context, and how a record's mark reads."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from office.confidentiality.visibility import is_security_officer, reads_access_log

NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理保密事项。")


def only_for(may_open):
    """A page for those ``may_open`` lets in; everyone else gets a plain 403 page that shows
    nothing of it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not may_open(request.user):
                return render_page(request, "confidentiality/forbidden.html", {}, section="", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


security_officer_required = only_for(is_security_officer)  # the 保密员's registers
access_log_reader_required = only_for(reads_access_log)  # the log: 保密员 and 安全审计员


def page_context(user, *, section: str) -> dict:
    """Every page of the module knows its tab and whether to offer the 保密员's registers (and,
    to the 安全审计员 as well, the access log)."""
    return {
        "section": section,
        "is_security_officer": is_security_officer(user),
        "reads_access_log": reads_access_log(user),
    }


def render_page(request, template: str, context: dict, *, section: str, status: int = 200) -> HttpResponse:
    return render(request, template, {**page_context(request.user, section=section), **context}, status=status)


def mark_of(record) -> str:
    return record.level_mark or str(record.level.label)
