"""The access and security log, on screen and as an Excel export (保密员 and 安全审计员)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from office.api.helpers import XLSX
from office.confidentiality import audit, exports, forms, log_text, selectors
from office.confidentiality.models import AuditAction
from office.confidentiality.views._common import access_log_reader_required, render_page
from office.confidentiality.visibility import exportable
from office.pages import page_of, query_without_page

EXPORT_LIMIT = 50_000  # rows in one access-log export; narrow the filters for more


def _record_types() -> QuerySet[ContentType]:
    models = selectors.classified_models()
    return ContentType.objects.filter(pk__in=[ContentType.objects.get_for_model(model).pk for model in models])


def _record_type_label(content_type: ContentType | None) -> str:
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model else ""


def _access_log_form(request) -> forms.AccessLogFilterForm:
    return forms.AccessLogFilterForm(request.GET or None, record_types=_record_types())


@access_log_reader_required
@require_GET
def access_log(request):
    """The access and security log, filtered, 50 a page (保密员 and 安全审计员; search terms only
    as ``audit.shown_detail`` lets the reader see them)."""
    form = _access_log_form(request)
    if form.is_bound and not form.is_valid():
        events = selectors.access_log(user=request.user).none()
    else:
        filters = form.selector_filters() if form.is_bound else {}
        events = selectors.access_log(user=request.user, filters=filters)
    page = page_of(request, events)
    terms_up_to = audit.terms_readable_up_to(request.user)
    events_shown = list(page.object_list)
    details = [audit.shown_detail(event.detail, terms_up_to=terms_up_to) for event in events_shown]
    actor_units = log_text.actor_units(events_shown)
    rows = [
        {
            "event": event,
            "record_type": _record_type_label(event.content_type),
            "detail": detail,  # as the reader may see it (the API's shape)
            "detail_items": items,  # the same, in words: names, units, Chinese labels
            "actor_unit": actor_units.get(event.actor_id, ""),
        }
        for event, detail, items in zip(events_shown, details, log_text.describe_details(details), strict=True)
    ]
    return render_page(
        request,
        "confidentiality/access_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
        section="access_log",
    )


CHUNK = 2000


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@access_log_reader_required
@require_GET
def access_log_export(request):
    """The filtered log as an Excel file; the export is itself an audit event. Events about 绝密
    records (their titles) stay on screen: ``exportable`` leaves them out, as every export does."""
    form = _access_log_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(forms.errors_as_text(form), status=400, content_type="text/plain; charset=utf-8")
    filters = form.selector_filters() if form.is_bound else {}
    events = exportable(selectors.access_log(user=request.user, filters=filters))

    workbook, sheet = exports.log_workbook()
    headers = [
        _("序号"),
        _("时间"),
        _("操作人"),
        _("操作"),
        _("记录类型"),
        _("记录编号"),
        _("记录"),
        _("密级"),
        _("来源地址"),
        _("详情"),
    ]
    sheet.append(headers)

    rows = 0
    terms_up_to = audit.terms_readable_up_to(request.user)
    for chunk in _chunks(events[:EXPORT_LIMIT].iterator(chunk_size=CHUNK), CHUNK):
        # The details in words, as the page shows them (names of people and units read per chunk).
        details = [audit.shown_detail(event.detail, terms_up_to=terms_up_to) for event in chunk]
        for event, detail, items in zip(chunk, details, log_text.describe_details(details), strict=True):
            cells = exports.event_cells(sheet, event, record_type=_record_type_label(event.content_type), detail=detail)
            cells[-1] = exports.text_cell(sheet, "；".join(f"{label}：{text}" for label, text in items))
            sheet.append(cells)
            rows += 1
    if rows == EXPORT_LIMIT:
        sheet.append([exports.text_cell(sheet, _("仅导出前%(n)d条，请缩小筛选范围。") % {"n": EXPORT_LIMIT})])
    content = exports.workbook_bytes(workbook)

    audit.record(
        request.user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": "access_log", "filters": form.described() if form.is_bound else {}, "rows": rows},
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.xlsx"'
    add_never_cache_headers(response)
    return response
