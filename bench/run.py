"""The measurements: each figure through the app's own path (DRF list API, HTML pages, the beat's
scan, the registration service) side by side with its raw-SQL floor (``bench.floors``), p50/p95
over repetitions per persona, and the queries it issues. The list figures also check that the app
returns the floor's rows: the same ids in the same order (and the same capped count).

At ``full`` scale a missed goal fails the run; at ``small`` scale timings are not judged, only that
every figure ran and the row checks passed."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from urllib.parse import parse_qs, urlparse

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import floors

PERSONAS = ("wide", "clerk", "narrow", "grants")
OUTGOING_URL = "/api/v1/documents/outgoing/"
INCOMING_URL = "/api/v1/documents/incoming/"


@dataclass
class Row:
    figure: str
    persona: str = ""
    times: list[float] = field(default_factory=list)  # ms
    floor_times: list[float] = field(default_factory=list)
    queries: int | None = None
    goal: str = ""
    ok: bool | None = None  # None: not judged (small scale, or not offered)
    note: str = ""
    equal: bool | None = None  # the app's rows are the floor's
    error: str = ""
    value: str = ""  # a figure that is not a timing (throughput, ratio)
    ratio: float | None = None

    @property
    def p50(self) -> float | None:
        return percentile(self.times, 50)

    @property
    def p95(self) -> float | None:
        return percentile(self.times, 95)

    @property
    def floor_p50(self) -> float | None:
        return percentile(self.floor_times, 50)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class Bench:
    def __init__(self, meta: dict, *, reps: int, judge: bool, budget: float, min_reps: int = 5, log=print):
        from django.contrib.auth import get_user_model

        self.meta = meta
        self.reps = reps
        self.judge = judge
        self.budget = budget
        self.min_reps = min(min_reps, reps)
        self.log = log
        self.rows: list[Row] = []
        users = get_user_model().objects.select_related("person")
        self.users = {name: users.get(pk=uid) for name, uid in meta["personas"].items()}

    # --- Timing ---------------------------------------------------------------------------------

    def repeat(self, fn) -> list[float]:
        """``fn`` once to warm up, then timed ``reps`` times (fewer when the cell's time budget is
        spent, but at least ``min_reps``). No warm-up with no budget (the smoke test)."""
        if self.budget > 0:
            fn()
        times: list[float] = []
        started = time.monotonic()
        for _ in range(self.reps):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
            if len(times) >= self.min_reps and time.monotonic() - started > self.budget:
                break
        return times

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        p95 = f"{row.p95:.1f}" if row.p95 is not None else "—"
        self.log(f"  {row.figure:<28} {row.persona:<7} p95 {p95:>9} ms  n={len(row.times)} {row.value} {row.error}")
        return row

    def cell(self, figure: str, persona: str, body) -> Row:
        row = Row(figure, persona)
        try:
            body(row)
        except Exception as error:
            row.error = f"{type(error).__name__}: {error}"[:300]
            row.ok = False
        return self.add(row)

    # --- Clients --------------------------------------------------------------------------------

    def api(self, persona: str):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(user=self.users[persona])
        return client

    def browser(self, persona: str):
        from django.test import Client

        client = Client()
        client.force_login(self.users[persona])
        return client

    @staticmethod
    def get_json(client, url: str, params: dict | None = None) -> dict:
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} {params or ''} answered {response.status_code}: {response.content[:200]!r}")
        return response.json()

    def count_queries(self, fn) -> int:
        with CaptureQueriesContext(connection) as captured:
            fn()
        return len(captured.captured_queries)

    # --- The list figures -----------------------------------------------------------------------

    def list_figure(self, figure: str, persona: str, url: str, floor: floors.ListFloor, *, page=1, q=None, note=""):
        def body(row: Row) -> None:
            client = self.api(persona)
            params = {"page_size": 50}
            if page != 1:
                params["page"] = page
            if q:
                params["q"] = q
            data = self.get_json(client, url, params)
            app_ids = [record["id"] for record in data["results"]]
            tsquery = None
            if q:
                from office import search

                tsquery = " & ".join(dict.fromkeys(search.tokens(q)))
            floor_ids, floor_count = floors.list_page(floor, self.users[persona].pk, page=page, tsquery=tsquery)
            row.equal = app_ids == floor_ids and data["count"] == floor_count
            if not row.equal:
                row.note = (
                    f"ROWS DIFFER: app {len(app_ids)} rows (count {data['count']}), floor {len(floor_ids)} "
                    f"(count {floor_count}); first app {app_ids[:3]} floor {floor_ids[:3]}"
                )
            else:
                row.note = f"{note}{len(app_ids)} rows of {data['count']}{'' if data['count_exact'] else '+'}"
            row.queries = self.count_queries(lambda: client.get(url, params))
            row.times = self.repeat(lambda: self.get_json(client, url, params))
            row.floor_times = self.repeat(
                lambda: floors.list_page(floor, self.users[persona].pk, page=page, tsquery=tsquery)
            )
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None
            if figure.endswith("page 1"):
                row.goal = "p95≤100ms, ≤3×floor"
                row.ok = row.equal and row.p95 <= 100 and (row.ratio or 0) <= 3
            else:
                row.goal = "p95≤100ms"
                row.ok = row.equal and row.p95 <= 100

        return self.cell(figure, persona, body)

    def deep_page(self, figure: str, persona: str, url: str, floor: floors.ListFloor) -> None:
        first = self.get_json(self.api(persona), url, {"page_size": 50})
        pages = max(1, math.ceil(first["count"] / 50))
        page = min(200, pages)
        self.list_figure(figure, persona, url, floor, page=page, note=f"page {page}: ")

    def cursor_page(self, figure: str, persona: str, url: str, floor: floors.ListFloor) -> None:
        """The second page through the API's cursor, when it offers one (asked with an empty
        ``cursor=``, its ``next`` link carries one); the floor is the rows after page 1 in the
        same order."""
        client = self.api(persona)
        first = self.get_json(client, url, {"page_size": 50, "cursor": ""})
        link = first.get("next") or ""
        cursor = parse_qs(urlparse(link).query).get("cursor")
        if not cursor:
            self.add(Row(figure, persona, goal="p95≤100ms", note="n/a: the API offers no cursor pagination"))
            return

        def body(row: Row) -> None:
            params = {"page_size": 50, "cursor": cursor[0]}
            data = self.get_json(client, url, params)
            app_ids = [record["id"] for record in data["results"]]
            floor_ids, _count = floors.list_page(floor, self.users[persona].pk, page=2)
            row.equal = app_ids == floor_ids
            row.note = (
                f"{len(app_ids)} rows" if row.equal else f"ROWS DIFFER: first app {app_ids[:3]} floor {floor_ids[:3]}"
            )
            row.queries = self.count_queries(lambda: client.get(url, params))
            row.times = self.repeat(lambda: self.get_json(client, url, params))
            row.floor_times = self.repeat(lambda: floors.list_page(floor, self.users[persona].pk, page=2))
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None
            row.goal = "p95≤100ms"
            row.ok = row.equal and row.p95 <= 100

        self.cell(figure, persona, body)

    def visibility(self, persona: str) -> None:
        """``visible_to`` page 1 (default ordering) against guardian's naive ``get_objects_for_user``
        page 1; the ratio is naive ÷ visible (goal ≥ 20)."""
        from guardian.shortcuts import get_objects_for_user

        from documents.models import OutgoingDocument

        user = self.users[persona]

        def body(row: Row) -> None:
            row.queries = self.count_queries(lambda: list(OutgoingDocument.objects.visible_to(user)[:50]))
            row.times = self.repeat(lambda: list(OutgoingDocument.objects.visible_to(user)[:50]))
            row.floor_times = self.repeat(
                lambda: list(get_objects_for_user(user, "documents.view_outgoingdocument", klass=OutgoingDocument)[:50])
            )
            row.ratio = row.floor_p50 / row.p50 if row.p50 else None
            row.goal = "naive÷visible ≥20×"
            row.note = "floor = naive get_objects_for_user; ratio = naive ÷ visible"
            row.ok = (row.ratio or 0) >= 20

        self.cell("visibility vs naive guardian", persona, body)

    def query_counts(self, persona: str) -> None:
        def body(row: Row) -> None:
            client = self.api(persona)
            counts = {}
            for name, url in (("out", OUTGOING_URL), ("in", INCOMING_URL)):
                for size in (2, 50):
                    self.get_json(client, url, {"page_size": size})
                    counts[f"{name}{size}"] = self.count_queries(
                        lambda url=url, size=size: client.get(url, {"page_size": size})
                    )
            row.queries = max(counts.values())
            row.value = " ".join(f"{k}={v}" for k, v in counts.items())
            row.goal = "≤5, same at 2 and 50"
            row.ok = row.queries <= 5 and counts["out2"] == counts["out50"] and counts["in2"] == counts["in50"]

        self.cell("queries per API list", persona, body)

    def html_page(self, figure: str, persona: str, url: str, *, goal_ms: float | None, max_queries: int | None) -> None:
        def body(row: Row) -> None:
            client = self.browser(persona)

            def get():
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url} answered {response.status_code}")

            get()
            row.queries = self.count_queries(get)
            row.times = self.repeat(get)
            goals, ok = [], True
            if goal_ms is not None:
                goals.append(f"p95≤{goal_ms:g}ms")
                ok = ok and row.p95 <= goal_ms
            if max_queries is not None:
                goals.append(f"queries≤{max_queries}")
                ok = ok and row.queries <= max_queries
            row.goal = ", ".join(goals)
            row.ok = ok

        self.cell(figure, persona, body)

    def completion(self, persona: str) -> None:
        """办结率: the selector the figures page shows, against its floor (same numbers checked)."""
        from django.utils import timezone

        from documents.incoming import selectors
        from office.forms import PeriodForm

        user = self.users[persona]
        start, end = PeriodForm.default_period()
        start = start.replace(year=start.year - 1)  # a year and a bit: enough rows at every scale
        tz = timezone.get_current_timezone()
        since = datetime.combine(start, clock.min, tzinfo=tz)
        until = datetime.combine(end + timedelta(days=1), clock.min, tzinfo=tz)

        def body(row: Row) -> None:
            app = [
                (f.unit_id, f.assigned, f.done, f.done_on_time)
                for f in selectors.completion_by_unit(user=user, start=start, end=end)
            ]
            floor = [(r[0], r[2], r[3], r[4]) for r in floors.completion(user.pk, since, until)]
            row.equal = sorted(app) == sorted(floor)
            row.note = (
                f"{len(app)} units, {sum(a[1] for a in app)} assigned"
                if row.equal
                else f"FIGURES DIFFER: app {app[:2]} floor {floor[:2]}"
            )
            row.queries = self.count_queries(lambda: selectors.completion_by_unit(user=user, start=start, end=end))
            row.times = self.repeat(lambda: selectors.completion_by_unit(user=user, start=start, end=end))
            row.floor_times = self.repeat(lambda: floors.completion(user.pk, since, until))
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None
            row.goal = "p95≤300ms"
            row.ok = row.equal and row.p95 <= 300

        self.cell("收文 办结率 (selector)", persona, body)

    def dashboard(self, persona: str) -> None:
        """领导驾驶舱 summary (own scope: over what he may see, read from his snapshot with his own
        tiles and lists live) beside the 收文 figures' COUNT floor; the snapshot's computation (the
        refresh task's work per reader); and the desk's 待办 (no floor: the flows' inbox queries)."""
        from django.utils import timezone

        from office.dashboard import registry, service
        from office.dashboard.forms import DashboardForm
        from office.dashboard.registry import Scope
        from office.desk import providers

        user = self.users[persona]
        start, end = DashboardForm.default_period()
        start = start.replace(year=start.year - 1)
        tz = timezone.get_current_timezone()
        since = datetime.combine(start, clock.min, tzinfo=tz)
        until = datetime.combine(end + timedelta(days=1), clock.min, tzinfo=tz)
        scope = Scope(user=user, start=start, end=end)

        def summary(row: Row) -> None:
            data = service.summary(scope)
            table = next(p for p in data["panels"] if p["key"] == "incoming-completion")["table"]
            floor = floors.completion(user.pk, since, until)
            app, hand = (table[0][1], table[1][1]), (sum(r[2] for r in floor), sum(r[3] for r in floor))
            row.equal = app == hand
            row.note = f"收文 交办/办结 {app[0]}/{app[1]}" if row.equal else f"FIGURES DIFFER: app {app} floor {hand}"
            row.queries = self.count_queries(lambda: service.summary(scope))
            row.times = self.repeat(lambda: service.summary(scope))
            row.floor_times = self.repeat(lambda: floors.completion(user.pk, since, until))
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None
            row.goal = "p95≤300ms"
            row.ok = row.equal and row.p95 <= 300

        def computed(row: Row) -> None:
            # What the refresh task computes for this reader (after transitions, off the request path).
            row.note = "refresh_own per reader, not on the request path"
            row.times = self.repeat(lambda: registry.summary(scope))
            row.floor_times = self.repeat(lambda: floors.completion(user.pk, since, until))
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None

        def desk(row: Row) -> None:
            _items, counts = providers.desk(user, providers.TODO)
            row.note = f"{counts[providers.TODO]} 待办, {counts[providers.READ]} 待阅"
            row.queries = self.count_queries(lambda: providers.desk(user, providers.TODO))
            row.times = self.repeat(lambda: providers.desk(user, providers.TODO))

        self.cell("dashboard summary (own)", persona, summary)
        self.cell("dashboard snapshot compute", persona, computed)
        self.cell("desk 待办", persona, desk)

    # --- The reminder scan ----------------------------------------------------------------------

    def scan(self) -> None:
        from office.reminders import services

        def tick():
            with transaction.atomic():
                services.scan()
                transaction.set_rollback(True)  # the tick's claims are not kept: every tick sees the same data

        def body(row: Row) -> None:
            with transaction.atomic():
                found = len(services.scan())
                transaction.set_rollback(True)
            row.queries = self.count_queries(tick)
            row.times = self.repeat(tick)
            row.floor_times = self.repeat(floors.scan_read)
            row.ratio = row.p50 / row.floor_p50 if row.floor_p50 else None
            row.goal = "p95≤50ms"
            row.note = f"{found} claimed per tick; floor = the window's read in one statement"
            row.ok = row.p95 <= 50

        self.cell("reminder scan tick", "beat", body)

    # --- Numbering ------------------------------------------------------------------------------

    def numbering(self, total: int, issuers: int = 32) -> None:
        """32 issuers at once, twice: served by the web tier as deployed (``WEB_CONCURRENCY``
        worker processes, the Procfile's 3 by default: the rate is judged), and with a database
        session each (64 busy processes on the machine: no duplicate and no gap is judged, the rate
        is shown)."""
        info = self.meta["counts"]["numbering"]

        def served(workers: int, *, judge_rate: bool):
            def body(row: Row) -> None:
                documents = prepare_numbering(info, total)
                outcome = register_concurrently(documents, info["clerks"], issuers, workers=workers)
                dup, gap = number_integrity(info["series"])
                settle_reminders()  # the 核发 deadlines registration opened: claimed, as the beat would
                rate = outcome["timed"] / outcome["seconds"] if outcome["seconds"] else 0.0
                row.value = f"{rate:.0f}/s, dup {dup}, gap {gap}"
                row.note = (
                    f"{outcome['registered']}/{len(documents)} registered for {issuers} issuers by {workers} "
                    f"processes in {outcome['seconds']:.2f} s"
                    + (f"; errors: {outcome['errors'][:2]}" if outcome["errors"] else "")
                )
                row.equal = dup == 0 and gap == 0 and not outcome["errors"]
                row.goal = "≥200/s, 0 dup, 0 gap" if judge_rate else "0 dup, 0 gap"
                row.ok = row.equal and (rate >= 200 or not judge_rate)

            return body

        workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
        self.cell("numbering, 32 issuers", f"{workers} web workers", served(workers, judge_rate=True))
        self.cell("numbering, 32 issuers", f"{issuers} sessions", served(issuers, judge_rate=False))

    # --- All figures ----------------------------------------------------------------------------

    def run(self, *, numbering_total: int) -> list[Row]:
        from bench.generate import SEARCH_2, SEARCH_4

        search = self.meta["counts"].get("search", {"2": SEARCH_2, "4": SEARCH_4})
        for persona in PERSONAS:
            self.list_figure("发文 list API page 1", persona, OUTGOING_URL, floors.OUTGOING)
        for persona in PERSONAS:
            self.list_figure("收文 list API page 1", persona, INCOMING_URL, floors.INCOMING)
        for persona in PERSONAS:
            self.deep_page("发文 deep page", persona, OUTGOING_URL, floors.OUTGOING)
        for persona in PERSONAS:
            self.cursor_page("发文 cursor page", persona, OUTGOING_URL, floors.OUTGOING)
        for persona in PERSONAS:
            self.visibility(persona)
        for persona in PERSONAS:
            self.query_counts(persona)
        for persona in PERSONAS:
            self.html_page("发文 HTML list", persona, "/documents/outgoing/", goal_ms=None, max_queries=8)
        for persona in PERSONAS:
            for size, term in (("2", search["2"]), ("4", search["4"])):
                self.list_figure(f"发文 search {size}字 “{term}”", persona, OUTGOING_URL, floors.OUTGOING, q=term)
        self.scan()
        for persona in PERSONAS:
            self.html_page("督办台账 page", persona, "/supervision/", goal_ms=300, max_queries=None)
        for persona in PERSONAS:
            self.html_page("收文 办结率 page", persona, "/documents/incoming/figures/", goal_ms=300, max_queries=None)
        for persona in PERSONAS:
            self.completion(persona)
        for persona in PERSONAS:
            self.dashboard(persona)
        self.numbering(numbering_total)
        if not self.judge:  # small scale: only that each figure ran and the rows agree
            for row in self.rows:
                if row.ok is not None:
                    row.ok = not row.error and row.equal is not False
        return self.rows


# --- Numbering helpers ----------------------------------------------------------------------------


# 发文 awaiting 登记 (复核 done), 内部, in the numbering organ's series (made for each run).
NUMBERING_DOCUMENTS = """
INSERT INTO documents_outgoingdocument (
  classification, secrecy_term_unit, declassify_condition, declassify_condition_met, classification_basis,
  copies, urgency, title, kind, direction, important, main_to_external, body, attachment_note, in_reply_to,
  written_date, note, cc_external, printing_organ, disclosure, disclosure_reason, sign_opinion, signed_at,
  signed_by_id, designated_signer_id, state, state_reason, retention, search_vector, created_at, updated_at,
  drafter_id, drafting_unit_id, series_id, restricted, barred_keys)
SELECT 1, '', '', false, '',
  0, '', %(title)s, 'notice', 'down', false, '', %(title)s, '', '',
  current_date, '', '', '', 'not_public', '', '同意', now(),
  %(head)s, %(head)s, 'recheck', '', '', to_tsvector('simple', %(vector)s), now() - interval '1 day', now(),
  %(drafter)s, %(unit)s, (%(series)s::bigint[])[1 + (g %% %(n)s)], false, '{}'::bigint[]
FROM generate_series(0, %(total)s - 1) g
RETURNING id
"""


def prepare_numbering(info: dict, total: int) -> list[int]:
    """``total`` 发文 awaiting 登记 (复核 done) in the numbering organ's series, made now in SQL."""
    from office import search

    series = info["series"]
    title = "关于档案数字化工作的通知"
    vector = search.document_text(title)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT head_id FROM org_unit WHERE id = (SELECT organ_id FROM org_unit WHERE id = %s)", [info["unit"]]
        )
        head = cursor.fetchone()[0]
        cursor.execute(
            NUMBERING_DOCUMENTS,
            {
                "title": title,
                "vector": vector,
                "head": head,
                "drafter": info["drafter"],
                "unit": info["unit"],
                "series": series,
                "n": len(series),
                "total": total,
            },
        )
        return sorted(row[0] for row in cursor.fetchall())


def register_concurrently(documents: list[int], clerks: list[int], issuers: int, *, workers: int) -> dict:
    """Register ``documents`` for ``issuers`` issuers at once (issuer i submits every document
    whose position ≡ i, as clerk i mod len), served by ``workers`` processes with a connection
    each, as web workers are (threads of one interpreter would measure its lock, not the service):
    each takes the next submission waiting. The parent registers the first document itself, so
    the workers fork warm (as a preloaded web server's do). Each registration runs in its own
    calendar scope, as a request."""
    import multiprocessing

    from django.db import connections

    def register(user, pk: int) -> None:
        from documents.models import OutgoingDocument
        from documents.outgoing import services
        from office.workdays.services import calendar_scope

        with calendar_scope():
            services.outgoing_register(actor=user, document=OutgoingDocument.objects.get(pk=pk))

    def clerk(index: int):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.select_related("person").get(pk=clerks[index % len(clerks)])

    register(clerk(0), documents[0])
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, submissions, outcomes = context.Barrier(workers + 1), context.Queue(), context.Queue()
    rest = documents[1:]
    for position in range(len(rest)):  # the issuers' submissions as they arrive: one from each in turn
        submissions.put((position % issuers, rest[position]))
    for _ in range(workers):
        submissions.put(None)

    def worker() -> None:
        registered, errors = 0, []
        try:
            users = {index: clerk(index) for index in range(min(issuers, len(clerks)))}
            barrier.wait()
            while (submission := submissions.get()) is not None:
                issuer, pk = submission
                try:
                    register(users[issuer % len(clerks)], pk)
                    registered += 1
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}"[:200])
        finally:
            connections.close_all()
            outcomes.put((registered, errors))

    processes = [context.Process(target=worker) for _ in range(workers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    results = [outcomes.get() for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    errors = [error for _, found in results for error in found]
    timed = sum(count for count, _ in results)
    return {"registered": 1 + timed, "timed": timed, "seconds": seconds, "errors": errors}


def settle_reminders() -> int:
    """One real tick, its reminders marked sent: the next run's tick finds the steady state again
    (the documents this run registered opened deadlines whose reminders fire now)."""
    from office.reminders import services

    with transaction.atomic():
        claimed = len(services.scan())
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reminders_reminder SET state = 'sent', sent_at = claimed_at, attempts = 1 "
                "WHERE state = 'pending'"
            )
    return claimed


def number_integrity(series: list[int]) -> tuple[int, int]:
    """Duplicates and gaps in the numbering series' ledgers, per series and year, and any number
    held by two documents."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COALESCE(sum(n - distinct_n), 0), COALESCE(sum(top - distinct_n), 0) FROM (
                 SELECT count(*) n, count(DISTINCT sequence) distinct_n, max(sequence) top
                 FROM documents_documentnumber WHERE series_id = ANY(%s) GROUP BY series_id, year) s""",
            [series],
        )
        dup, gap = cursor.fetchone()
        cursor.execute(
            """SELECT count(*) - count(DISTINCT number_id) FROM documents_outgoingdocument
               WHERE series_id = ANY(%s) AND number_id IS NOT NULL""",
            [series],
        )
        dup += cursor.fetchone()[0]
    return int(dup), int(gap)


# --- The table --------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def table(rows: list[Row]) -> str:
    header = ["figure", "persona", "p50 ms", "p95 ms", "floor p50", "ratio", "queries", "n", "goal", "ok", "note"]
    lines = []
    for row in rows:
        ok = "n/a" if row.ok is None else ("ok" if row.ok else "FAIL")
        ratio = "—" if row.ratio is None else f"{row.ratio:.1f}×"
        note = " ".join(part for part in (row.value, row.note, row.error) if part)
        lines.append(
            [
                row.figure,
                row.persona,
                _ms(row.p50),
                _ms(row.p95),
                _ms(row.floor_p50),
                ratio,
                "—" if row.queries is None else str(row.queries),
                str(len(row.times)) if row.times else "—",
                row.goal,
                ok,
                note,
            ]
        )
    widths = [max(_width(h), *(_width(line[i]) for line in lines)) for i, h in enumerate(header)]
    widths[-1] = 0
    out = [" | ".join(_pad(h, widths[i]) for i, h in enumerate(header)).rstrip()]
    out.append("-|-".join("-" * max(3, w) for w in widths[:-1]) + "-|-----")
    out.extend(" | ".join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip() for line in lines)
    return "\n".join(out)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def verdict(rows: list[Row]) -> tuple[bool, list[str]]:
    """Whether the run passes: every judged row ok (a not-offered figure is not a failure)."""
    failed = [f"{row.figure} [{row.persona}]" for row in rows if row.ok is False]
    return not failed, failed


def measure(
    meta: dict, *, judge: bool, reps: int | None = None, budget: float | None = None, numbering_total=None, log=print
):
    full = meta["scale"] == "full"
    reps = reps or int(os.environ.get("BENCH_REPS", 30 if full else 3))
    budget = budget if budget is not None else float(os.environ.get("BENCH_CELL_SECONDS", 20))
    numbering_total = numbering_total or (640 if full else 64)
    bench = Bench(meta, reps=reps, judge=judge, budget=budget, min_reps=5 if full else 1, log=log)
    return bench.run(numbering_total=numbering_total)
