"""Panels, the scope they are computed for, the providers that answer them, and the summary.

A panel is plain data (JSON-ready): a ``Tile`` (a number and where it leads), a ``Chart`` (an
ECharts option built here, data only — the page's script draws it and follows ``links`` on a
click) or a ``Listing`` (a few lines with links). Providers answer panels in their own order; the
summary puts tiles first."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone


@dataclass
class Scope:
    user: object
    start: date
    end: date
    whole: bool = False  # organisation-wide figures (view_global_statistics), not only what he may see
    today: date = field(default_factory=timezone.localdate)
    # Only what is read live for each request: the reader's own tiles (``personal``) and the listings
    # (titles he may see now). A provider skips its counts and charts then; they come from a snapshot.
    live_only: bool = False

    @property
    def key(self) -> str:
        """The snapshot's key: one organisation-wide summary per period, one per reader otherwise."""
        period = f"{self.start.isoformat()}:{self.end.isoformat()}"
        return f"global:{period}" if self.whole else f"own:{getattr(self.user, 'pk', None)}:{period}"


@dataclass
class Tile:
    key: str
    label: str
    value: int | str
    url: str = ""
    tone: str = "primary"  # primary, danger, warning, success, secondary
    hint: str = ""
    personal: bool = False  # the reader's own work (待我签发…): never taken from the global snapshot
    kind: str = "tile"


@dataclass
class Chart:
    key: str
    title: str
    option: dict  # an ECharts option: data only
    links: list[str] = field(default_factory=list)  # one URL per category (bar) or none
    table: list[list] = field(default_factory=list)  # the same figures as rows, for the export and no-JS readers
    kind: str = "chart"


@dataclass
class Listing:
    key: str
    title: str
    rows: list[dict]  # {"title", "url", "meta"}
    url: str = ""  # "more"
    kind: str = "listing"


class Provider:
    """Answers its panels for a scope. With ``scope.live_only`` it answers only its personal tiles
    and its listings (the rest is read from the snapshot): a provider with counts or charts over
    many rows skips them then."""

    key = ""
    order = 50  # where its panels go among the others' (tiles first, then charts and lists)

    def panels(self, scope: Scope) -> list[Tile | Chart | Listing]:
        return []


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[provider.key] = provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda p: (p.order, p.key))


def summary(scope: Scope) -> dict:
    panels = [panel for p in providers() for panel in p.panels(scope)]
    tiles = [asdict(p) for p in panels if isinstance(p, Tile)]
    return {
        "scope": "global" if scope.whole else "own",
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "tiles": tiles,
        "panels": [asdict(p) for p in panels if not isinstance(p, Tile)],
    }


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def gauge(title: str, value: float | None, name: str) -> dict:
    """A half-gauge of a percentage (no figure: an empty dial)."""
    return {
        "series": [
            {
                "type": "gauge",
                "startAngle": 200,
                "endAngle": -20,
                "min": 0,
                "max": 100,
                "progress": {"show": True, "width": 12},
                "axisLine": {"lineStyle": {"width": 12}},
                "pointer": {"show": False},
                "axisTick": {"show": False},
                "splitLine": {"show": False},
                "axisLabel": {"show": False},
                "title": {"offsetCenter": [0, "35%"], "fontSize": 13},
                "detail": {
                    "valueAnimation": False,
                    "offsetCenter": [0, "-5%"],
                    "fontSize": 22,
                    "formatter": "{value}%",
                },
                "data": [{"value": value if value is not None else 0, "name": name}],
            }
        ],
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
    }


class Drafter:
    """Turns the dashboard's 月报/季报 into a draft 报告 in the module that keeps 公文 (registered
    from its ``AppConfig.ready()`` with ``register_drafter``): the kernel writes the text, the
    drafter knows the 发文代字 and the services."""

    def series(self, user) -> list[tuple[int, str]]:
        """The active 发文代字 ``user`` may draft in: (id, label), in order."""
        return []

    def draft(self, *, actor, series: int, title: str, body: str) -> tuple[int, str]:
        """Create the draft (a 报告, 上行文, in 拟稿) and answer its id and page; a service's
        ``ValidationError`` or ``PermissionDenied`` when it refuses."""
        raise NotImplementedError


_drafter: list[Drafter] = []


def register_drafter(drafter: Drafter) -> None:
    _drafter[:] = [drafter]  # one module keeps 公文; ready() may run twice (tests)


def drafter() -> Drafter | None:
    return _drafter[0] if _drafter else None
