"""The summary a scope reads: organisation-wide figures come from the snapshot the beat keeps
(``tasks.refresh``: this year's, every few minutes), everything else is computed for the viewer
over what he may see. The Excel export writes the same figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from office.dashboard import registry
from office.dashboard.models import FigureSnapshot
from office.dashboard.registry import Scope

SNAPSHOT_FRESH = timedelta(minutes=15)


def summary(scope: Scope) -> dict:
    if not scope.whole:
        return registry.summary(scope)
    snapshot = FigureSnapshot.objects.filter(key=scope.key).first()
    if snapshot is None or timezone.now() - snapshot.computed_at > SNAPSHOT_FRESH:
        return registry.summary(scope)
    # The snapshot's organisation-wide figures, with this viewer's own tiles and lists.
    own = registry.summary(Scope(user=scope.user, start=scope.start, end=scope.end))
    data = dict(snapshot.payload)
    # What depends on who reads it (his own work, titles he may see) is never the snapshot's.
    personal = {tile["key"]: tile for tile in own["tiles"] if tile["personal"]}
    data["tiles"] = [personal.get(tile["key"], tile) for tile in data["tiles"]]
    lists = {panel["key"]: panel for panel in own["panels"] if panel["kind"] == "listing"}
    data["panels"] = [lists.get(panel["key"], panel) for panel in data["panels"]]
    data["computed_at"] = snapshot.computed_at.isoformat()
    return data


def store(scope: Scope) -> FigureSnapshot:
    """Compute and keep the organisation-wide summary of ``scope`` (lists and personal tiles
    emptied: they are filled for each reader)."""
    data = registry.summary(scope)
    for tile in data["tiles"]:
        if tile["personal"]:
            tile["value"] = 0
    for panel in data["panels"]:
        if panel["kind"] == "listing":
            panel["rows"] = []
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=scope.key, defaults={"payload": data, "computed_at": timezone.now()}
    )
    return snapshot


def workbook_response(scope: Scope, data: dict):
    """The page as .xlsx: the tiles on the first sheet, each chart's figures on a sheet of its own
    (texts as text cells: a unit named "=…" stays a name)."""
    from openpyxl import Workbook

    from office.api.helpers import XLSX, download
    from office.sheets import chinese_date, text_cell, workbook_bytes

    book = Workbook(write_only=True)

    def row(sheet, values):
        sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in values])

    overview = book.create_sheet(_("概览"))
    period = f"{chinese_date(scope.start)}至{chinese_date(scope.end)}"
    row(overview, [_("领导驾驶舱"), period, _("全局") if scope.whole else _("本人知悉范围")])
    for tile in data["tiles"]:
        row(overview, [tile["label"], tile["value"]])
    for panel in data["panels"]:
        if panel["kind"] == "chart" and panel["table"]:
            sheet = book.create_sheet(_sheet_title(panel["title"]))
            row(sheet, [panel["title"]])
            for values in panel["table"]:
                row(sheet, values)
    filename = f"领导驾驶舱_{scope.start.isoformat()}_{scope.end.isoformat()}.xlsx"
    return download(workbook_bytes(book), content_type=XLSX, filename=filename)


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, "")
    return title[:31]
