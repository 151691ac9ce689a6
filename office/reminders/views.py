"""我的期限, the notifications page and the bell's htmx fragment.

Thin edges: selectors read (only the person's own deadlines and notifications), services write.
A notification that is not the person's is a 404, like anything they may not see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from office.pages import page_of
from office.reminders import selectors, services

# htmx stops polling on this status (the session ended: the bell stays as it is).
HTMX_STOP_POLLING = 286


@require_GET
@login_required
def my_deadlines(request):
    """The person's open deadlines, soonest first, with their badges and latest events."""
    page = page_of(request, selectors.with_recent_events(selectors.my_deadlines(user=request.user)))
    deadlines = list(page.object_list)
    labels = selectors.subject_labels(deadlines, user=request.user)
    context = {
        "section": "deadlines",
        "page": page,
        "rows": [(deadline, labels[deadline.pk]) for deadline in deadlines],
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "reminders/my_deadlines.html", context)


@require_GET
@login_required
def notifications(request):
    context = {
        "section": "notifications",
        "page": page_of(request, selectors.notifications_for(request.user)),
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "reminders/notifications.html", context)


@require_POST
@login_required
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = reverse("reminders:notifications")
    page = request.POST.get("page", "")
    return redirect(f"{target}?page={page}" if page.isdigit() else target)


@require_POST
@login_required
def notifications_read_all(request):
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(request, _("已将%(n)d条通知标为已读。") % {"n": marked})
    return redirect("reminders:notifications")


@require_GET
def notification_count(request):
    """The bell's inside (icon and unread badge), polled by htmx. Never cached; after logout it
    answers the bare icon and tells htmx to stop polling instead of redirecting to the login page."""
    if not request.user.is_authenticated:
        response = HttpResponse(render_to_string("reminders/partials/bell.html", {"unread": 0}))
        response.status_code = HTMX_STOP_POLLING
    else:
        unread = selectors.unread_count(request.user)
        response = HttpResponse(render_to_string("reminders/partials/bell.html", {"unread": unread}))
    add_never_cache_headers(response)
    return response
