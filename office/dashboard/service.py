"""The summary a scope reads, from snapshots so that no request counts a million rows: the
organisation-wide figures from the one the beat keeps (``tasks.refresh``), a reader's own from his
(computed the first time he opens the page, then refreshed by the same task after transitions and
dropped when a 知悉范围 changes, ``refresh``). What depends on the moment — his own tiles and the
listings of titles he may see now — is always read live. The Excel export writes the same figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from office.dashboard import registry
from office.dashboard.models import FigureSnapshot
from office.dashboard.registry import Scope

SNAPSHOT_FRESH = timedelta(minutes=15)
OWN_KEPT = timedelta(days=7)  # a reader's snapshot no one has read for a week is not refreshed any more


def summary(scope: Scope) -> dict:
    snapshot = FigureSnapshot.objects.filter(key=scope.key).first()
    if snapshot is None or timezone.now() - snapshot.computed_at > SNAPSHOT_FRESH:
        if scope.whole:
            return registry.summary(scope)
        data = registry.summary(scope)
        data["computed_at"] = _keep(scope, data).computed_at.isoformat()
        return data
    if not scope.whole:
        FigureSnapshot.objects.filter(pk=snapshot.pk).update(read_at=timezone.now())
    # The snapshot's figures, with this reader's own tiles and lists read now.
    live = registry.summary(Scope(user=scope.user, start=scope.start, end=scope.end, today=scope.today, live_only=True))
    data = dict(snapshot.payload)
    personal = {tile["key"]: tile for tile in live["tiles"] if tile["personal"]}
    data["tiles"] = [personal.get(tile["key"], tile) for tile in data["tiles"]]
    lists = {panel["key"]: panel for panel in live["panels"] if panel["kind"] == "listing"}
    data["panels"] = [lists.get(panel["key"], panel) for panel in data["panels"]]
    data["computed_at"] = snapshot.computed_at.isoformat()
    return data


def _without_live_parts(data: dict) -> dict:
    """A summary as kept: personal tiles zeroed and listings emptied (filled for each read)."""
    data = {**data, "tiles": [dict(t) for t in data["tiles"]], "panels": [dict(p) for p in data["panels"]]}
    for tile in data["tiles"]:
        if tile["personal"]:
            tile["value"] = 0
    for panel in data["panels"]:
        if panel["kind"] == "listing":
            panel["rows"] = []
    return data


def _keep(scope: Scope, data: dict) -> FigureSnapshot:
    now = timezone.now()
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=scope.key, defaults={"payload": _without_live_parts(data), "computed_at": now, "read_at": now}
    )
    return snapshot


def store(scope: Scope) -> FigureSnapshot:
    """Compute and keep the summary of ``scope`` (its live parts emptied)."""
    return _keep(scope, registry.summary(scope))


def refresh_own(*, today=None) -> int:
    """Recompute the readers' own snapshots read within ``OWN_KEPT`` (the others are dropped):
    each for its reader and period, as he would see it now. Answers how many were refreshed."""
    from datetime import date

    from office.org.models import User

    now = timezone.now()
    FigureSnapshot.objects.filter(key__startswith="own:", read_at__lt=now - OWN_KEPT).delete()
    done = 0
    for key in FigureSnapshot.objects.filter(key__startswith="own:").values_list("key", flat=True):
        _own, user_id, start, end = key.split(":")
        user = User.objects.filter(pk=user_id, is_active=True).select_related("person__unit").first()
        if user is None or getattr(user, "person", None) is None:
            FigureSnapshot.objects.filter(key=key).delete()
            continue
        scope = Scope(user=user, start=date.fromisoformat(start), end=date.fromisoformat(end))
        if scope.key != key:
            continue
        _keep(scope, registry.summary(scope))
        done += 1
    return done


def forget_own() -> int:
    """A 知悉范围 changed: every reader's figures are computed afresh on his next read."""
    return FigureSnapshot.objects.filter(key__startswith="own:").delete()[0]


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
