"""Small pieces every domain's pages use: the person behind the account, a service's refusal as a
message, the list's query string without its page, the cache headers and the watermark of a
classified record's page, a list's page of rows, and the bounded, audited .xlsx register download.

A "record" here is anything with ``is_classified`` and ``level`` (``Classified`` models)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from office.api.helpers import XLSX
from office.api.pagination import BoundedCountPaginator
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Person, User
from office.registers import PAGE_EXPORT_LIMIT, Register, RegisterRefused, produce
from office.workflow import TransitionNotAllowed


def person_or_403(user: User, refusal: str) -> Person:
    """The person behind ``user``; an account without one is refused with ``refusal``."""
    person = person_of(user)
    if person is None:
        raise PermissionDenied(str(refusal))
    return person


def service_error_text(error: Exception) -> str:
    """What a service's refusal (a workflow move, a rule, a permission) says to the person."""
    if isinstance(error, TransitionNotAllowed):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("无权办理此项。")


def take_step(request, form, perform) -> int | None:
    """Take a page's step: ``perform()`` (the service call, returning the success message) for a valid
    ``form``. None when it was taken (its message queued: the caller redirects); else the status to
    show the page again with — 409 for a step not open now, 403 for one not the person's, 400 for the
    form's or the service's field errors. A refused step has stored nothing."""
    from office.confidentiality.forms import add_service_error

    if not form.is_valid():
        return 400
    try:
        done = perform()
    except TransitionNotAllowed as error:
        messages.error(request, error.message)
        return 409
    except PermissionDenied as error:
        messages.error(request, service_error_text(error))
        return 403
    except ValidationError as error:
        add_service_error(form, error)
        return 400
    messages.success(request, done)
    return None


def page_of(request, rows, size: int = 50) -> Page:
    """The ``?page=`` of ``rows``; a page number that is junk or past the end gives the first or
    the last page, never an error. The count is the API's (``BoundedCountPaginator``): exact up to
    ``EXACT_COUNT_LIMIT``, above it a lower bound (``page.paginator.count_exact`` false) that the
    pager prints as such."""
    return BoundedCountPaginator(rows, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's filters as a query string, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def no_store(response: HttpResponse, record) -> HttpResponse:
    """Classified pages are never kept in a browser's or a proxy's cache."""
    if record.is_classified:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
    return response


def watermark(user: User, record) -> dict | None:
    """The reader's name (and for 绝密 their unit) and the time, drawn over classified content."""
    if not record.is_classified:
        return None
    person = person_of(user)
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    top_secret = record.level == Level.TOP_SECRET
    parts = [person.name, person.unit.name, now] if top_secret else [person.name, now]
    return {"text": " · ".join(parts), "dense": top_secret}


def register_download(request, records, register: Register, *, form, back: str) -> HttpResponse:
    """``register`` of a visible list filtered by ``form`` as .xlsx (``office.registers``). A bad
    filter never exports more than the person asked for, and past the limit of a page's export
    (``PAGE_EXPORT_LIMIT``) the person is sent back to ``back`` with the same filters."""
    try:
        if form.errors:
            raise RegisterRefused(_("筛选条件有误，请改正后再导出。"))
        content, filename = produce(
            register, request.user, records, filters=request.GET.dict(), request=request, limit=PAGE_EXPORT_LIMIT
        )
    except RegisterRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back + "?" + request.GET.urlencode())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
