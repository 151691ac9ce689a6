"""督办 on the dashboard: red and yellow items, 待我审批 extensions, 办结率 and 按期办结率 of the
period's tasks, lights by lead unit (a click opens the filtered 台账) and the 超期 ranking."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from office.dashboard.registry import Chart, Provider, Scope, Tile, gauge, rate
from supervision import selectors
from supervision.models import ItemState, Light, SupervisionItem, SupervisionTask, TaskState

LIGHT_COLOURS = {Light.RED: "#dc3545", Light.YELLOW: "#ffc107", Light.GREEN: "#198754"}
TOP_UNITS = 12


class SupervisionFigures(Provider):
    key = "supervision"
    order = 30

    def items(self, scope: Scope):
        return SupervisionItem.objects.all() if scope.whole else SupervisionItem.objects.visible_to(scope.user)

    def tasks(self, scope: Scope):
        return SupervisionTask.objects.filter(item__in=self.items(scope).values("pk")).exclude(
            state=TaskState.CANCELLED
        )

    def extensions_tile(self, scope: Scope) -> Tile:
        waiting = selectors.my_tasks(user=scope.user).get("extensions") or []
        return Tile(
            "supervision-extensions", _("待我审批延期"), len(waiting), url=reverse("supervision:mine"), personal=True
        )

    def panels(self, scope: Scope) -> list:
        if scope.live_only:  # the lights and rates come from the snapshot
            return [self.extensions_tile(scope)]
        ledger = reverse("supervision:ledger")
        lights = dict(
            selectors.with_item_light(self.items(scope), scope.today)
            .exclude(state__in=[ItemState.DONE, ItemState.CANCELLED])
            .values("light")
            .annotate(n=Count("id"))
            .values_list("light", "n")
        )
        period = self.tasks(scope).filter(assigned_at__date__gte=scope.start, assigned_at__date__lte=scope.end)
        totals = period.aggregate(
            tasks=Count("id"),
            done=Count("id", filter=Q(state=TaskState.DONE)),
            on_time=Count("id", filter=Q(state=TaskState.DONE, done_on_time=True)),
            overdue=Count("id", filter=Q(state__in=selectors.OWED, due__lt=scope.today)),
        )
        expected = totals["done"] + totals["overdue"]
        return [
            Tile(
                "supervision-red",
                _("红灯督办事项"),
                lights.get(Light.RED, 0),
                url=f"{ledger}?light=red",
                tone="danger",
            ),
            Tile(
                "supervision-yellow",
                _("黄灯督办事项"),
                lights.get(Light.YELLOW, 0),
                url=f"{ledger}?light=yellow",
                tone="warning",
            ),
            self.extensions_tile(scope),
            Chart(
                "supervision-completion",
                _("督办办结率"),
                gauge(
                    _("督办办结率"),
                    rate(totals["done"], totals["tasks"]),
                    _("已审结 %(done)d / 任务 %(tasks)d") % totals,
                ),
                table=[[_("任务"), totals["tasks"]], [_("已审结"), totals["done"]]],
            ),
            Chart(
                "supervision-on-time",
                _("督办按期办结率"),
                gauge(
                    _("督办按期办结率"),
                    rate(totals["on_time"], expected),
                    _("按期 %(on_time)d / 应办结 %(expected)d") % {"on_time": totals["on_time"], "expected": expected},
                ),
                table=[[_("按期审结"), totals["on_time"]], [_("应办结（已审结与逾期）"), expected]],
            ),
            *self.by_unit(scope, ledger),
        ]

    def by_unit(self, scope: Scope, ledger: str) -> list[Chart]:
        """Open tasks by lead unit and light (the units with most first), and the units with most
        overdue tasks."""
        rows = (
            selectors.with_task_light(self.tasks(scope).filter(state__in=selectors.OWED), scope.today)
            .values("lead_unit_id", "lead_unit__name", "light")
            .annotate(n=Count("id"))
        )
        units: dict[int, dict] = {}
        for row in rows:
            unit = units.setdefault(row["lead_unit_id"], {"name": row["lead_unit__name"], "total": 0})
            unit[row["light"]] = row["n"]
            unit["total"] += row["n"]
        busiest = sorted(units.items(), key=lambda kv: (-kv[1]["total"], kv[1]["name"]))[:TOP_UNITS]
        names = [unit["name"] for _pk, unit in busiest]
        links = [f"{ledger}?{urlencode({'lead_unit': pk})}" for pk, _unit in busiest]
        series = [
            {
                "id": light.value,
                "name": str(light.label),
                "type": "bar",
                "stack": "light",
                "itemStyle": {"color": LIGHT_COLOURS[light]},
                "data": [unit.get(light.value, 0) for _pk, unit in busiest],
            }
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
        ]
        overdue = sorted(
            ((pk, unit) for pk, unit in units.items() if unit.get(Light.RED.value)),
            key=lambda kv: (-kv[1][Light.RED.value], kv[1]["name"]),
        )[:10]
        return [
            Chart(
                "supervision-lights",
                _("在办督办任务红黄绿灯（按主办单位）"),
                {
                    "tooltip": {"trigger": "axis"},
                    "legend": {},
                    "grid": {"containLabel": True},
                    "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
                    "yAxis": {"type": "value"},
                    "series": series,
                },
                links=links,
                table=[[name, *(s["data"][i] for s in series)] for i, name in enumerate(names)],
            ),
            Chart(
                "supervision-overdue",
                _("逾期任务排名（按主办单位）"),
                {
                    "tooltip": {},
                    "grid": {"containLabel": True},
                    "xAxis": {"type": "value"},
                    "yAxis": {"type": "category", "inverse": True, "data": [u["name"] for _pk, u in overdue]},
                    "series": [
                        {
                            "id": Light.RED.value,
                            "type": "bar",
                            "itemStyle": {"color": LIGHT_COLOURS[Light.RED]},
                            "data": [u[Light.RED.value] for _pk, u in overdue],
                        }
                    ],
                },
                links=[f"{ledger}?{urlencode({'lead_unit': pk})}" for pk, _u in overdue],
                table=[[u["name"], u[Light.RED.value]] for _pk, u in overdue],
            ),
        ]
