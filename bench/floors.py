# ruff: noqa: E501, S608 — SQL built from this module's own constants and integers, kept on long lines
"""The raw-SQL floors: hand-written queries that return the rows the app's read paths return, as
fast as this schema lets them. Each list floor resolves the person's facts (clearance, organ,
unit lineage within the organ, their units' groups) in one query, then takes each branch of the
visibility rule (office/confidentiality/visibility.py) on its own indexed column, top-N per
branch, merged; the count is capped at 10,001 as the API's is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

CAP = 10_001
SORTED_NOT_WALKED = " + interval '0 s'"

FACTS = """
WITH RECURSIVE up(id, parent_id, kind) AS (
  SELECT u.id, u.parent_id, u.kind FROM org_unit u JOIN org_person p ON p.unit_id = u.id WHERE p.user_id = %(uid)s
  UNION ALL
  SELECT u.id, u.parent_id, u.kind FROM org_unit u JOIN up ON u.id = up.parent_id WHERE up.kind <> 'organ'
)
SELECT p.id, p.clearance, pu.organ_id, ARRAY(SELECT id FROM up),
       ARRAY(SELECT group_id FROM org_unit WHERE id IN (SELECT id FROM up) AND group_id IS NOT NULL), lg.is_active,
       ARRAY(SELECT s.id FROM documents_documentseries s JOIN org_unit o ON o.id = s.organ_id WHERE o.head_id = p.id),
       ARRAY(SELECT s.id FROM documents_documentseries s WHERE s.office_id IN (SELECT id FROM up)),
       ARRAY(SELECT s.id FROM documents_documentseries s JOIN org_unit o ON o.id = s.organ_id
             WHERE o.organ_id = pu.organ_id),
       ARRAY(SELECT u.id FROM org_unit u WHERE u.organ_id = pu.organ_id)
FROM org_person p JOIN org_unit pu ON pu.id = p.unit_id JOIN org_user lg ON lg.id = p.user_id
WHERE p.user_id = %(uid)s
"""


@dataclass
class Facts:
    uid: int
    pid: int
    clearance: int
    organ: int | None
    lineage: list[int]
    groups: list[int]
    # The rows of other tables the person's paths run through (resolved once, like the app's):
    s_head: list[int]  # series of organs the person heads
    s_office: list[int]  # series whose office is one of the person's units
    s_organ: list[int]  # series of the person's organ
    organ_units: list[int]  # the units of the person's organ

    def params(self) -> dict:
        return {
            "uid": self.uid,
            "pid": self.pid,
            "clr": self.clearance,
            "organ": self.organ,
            "lineage": self.lineage,
            "groups": self.groups,
            "s_head": self.s_head,
            "s_office": self.s_office,
            "s_organ": self.s_organ,
            "organ_units": self.organ_units,
        }

    def reaches(self, branch: str) -> bool:
        """Whether a branch can match at all (an empty id list matches nothing: left out)."""
        params = self.params()
        return not any(f"%({name})s" in branch and not params[name] for name in ARRAYS) and (
            self.organ is not None or "%(organ" not in branch
        )


ARRAYS = ("lineage", "groups", "s_head", "s_office", "s_organ", "organ_units")


def facts(cursor, uid: int) -> Facts | None:
    cursor.execute(FACTS, {"uid": uid})
    row = cursor.fetchone()
    if row is None or not row[5]:
        return None
    return Facts(uid, row[0], row[1], row[2], *(list(value) for value in (row[3], row[4], *row[6:10])))


def permission_id(cursor, app: str, model: str) -> int:
    cursor.execute(
        "SELECT p.id FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id "
        "WHERE c.app_label = %s AND c.model = %s AND p.codename = %s",
        [app, model, f"view_{model}"],
    )
    return cursor.fetchone()[0]


OUTGOING_BRANCHES = [
    "d.series_id = ANY(%(s_head)s)",
    "d.series_id = ANY(%(s_office)s)",
    "d.drafter_id = %(pid)s",
    "d.designated_signer_id = %(pid)s",
    "d.signed_by_id = %(pid)s",
    "d.drafting_unit_id = ANY(%(lineage)s)",
    "d.id IN (SELECT c.document_id FROM documents_countersign c WHERE c.unit_id = ANY(%(lineage)s))",
    "d.id IN (SELECT g.content_object_id FROM documents_outgoingusergrant g WHERE g.user_id = %(uid)s AND g.permission_id = %(perm)s)",
    "d.id IN (SELECT g.content_object_id FROM documents_outgoinggroupgrant g WHERE g.group_id = ANY(%(groups)s) AND g.permission_id = %(perm)s)",
    "d.classification <= 1 AND d.series_id = ANY(%(s_organ)s)",
]
INCOMING_BRANCHES = [
    *(
        f"d.{column} = %(pid)s"
        for column in ("signed_for_by_id", "registered_by_id", "proposed_by_id", "instructing_leader_id", "chaser_id")
    ),
    "d.receiving_unit_id = ANY(%(lineage)s)",
    "d.id IN (SELECT a.document_id FROM documents_assignment a WHERE a.unit_id = ANY(%(lineage)s))",
    "d.id IN (SELECT g.content_object_id FROM documents_incomingusergrant g WHERE g.user_id = %(uid)s AND g.permission_id = %(perm)s)",
    "d.id IN (SELECT g.content_object_id FROM documents_incominggroupgrant g WHERE g.group_id = ANY(%(groups)s) AND g.permission_id = %(perm)s)",
    "d.classification <= 1 AND d.receiving_unit_id = ANY(%(organ_units)s)",
]

OUTGOING_ROWS = """
SELECT d.id, d.title, d.kind, d.state, d.classification, d.updated_at, s.code, n.year, n.sequence,
       du.name, dr.name, sg.name
FROM documents_outgoingdocument d JOIN documents_documentseries s ON s.id = d.series_id
LEFT JOIN documents_documentnumber n ON n.id = d.number_id
JOIN org_unit du ON du.id = d.drafting_unit_id JOIN org_person dr ON dr.id = d.drafter_id
LEFT JOIN org_person sg ON sg.id = d.signed_by_id
WHERE d.id = ANY(%(ids)s)
"""
INCOMING_ROWS = """
SELECT d.id, d.title, d.state, d.classification, d.delivered_at, ru.name, sf.name,
       EXISTS (SELECT 1 FROM documents_circulationreader r JOIN documents_circulation c ON c.id = r.circulation_id
               WHERE c.document_id = d.id AND c.recalled_at IS NULL AND r.state IN ('sent', 'opened')) AS circulating
FROM documents_incomingdocument d JOIN org_unit ru ON ru.id = d.receiving_unit_id
LEFT JOIN org_person sf ON sf.id = d.signed_for_by_id
WHERE d.id = ANY(%(ids)s)
"""


@dataclass(frozen=True)
class ListFloor:
    table: str
    order: tuple[str, str]  # the default ordering's columns, both descending
    branches: list[str]
    broad: frozenset[int]  # the branches that reach many records (a series, an organ)
    rows_sql: str
    app: str
    model: str


OUTGOING = ListFloor(
    "documents_outgoingdocument",
    ("updated_at", "id"),
    OUTGOING_BRANCHES,
    frozenset({0, 1, 9}),
    OUTGOING_ROWS,
    "documents",
    "outgoingdocument",
)
INCOMING = ListFloor(
    "documents_incomingdocument",
    ("delivered_at", "id"),
    INCOMING_BRANCHES,
    frozenset({5, 9}),
    INCOMING_ROWS,
    "documents",
    "incomingdocument",
)


def list_page(floor: ListFloor, uid: int, *, page: int = 1, page_size: int = 50, tsquery: str | None = None):
    """The page's ids (in order), the capped count, and the page's list rows — what the API's list
    returns, in raw SQL."""
    with connection.cursor() as cursor:
        me = facts(cursor, uid)
        if me is None:
            return [], 0
        params = {
            **me.params(),
            "perm": permission_id(cursor, floor.app, floor.model),
            "n": page * page_size,
            "offset": (page - 1) * page_size,
            "size": page_size,
            "cap": CAP,
            "tsq": tsquery,
        }
        first = floor.order[0]
        search = " AND d.search_vector @@ to_tsquery('simple', %(tsq)s)" if tsquery else ""
        where = [
            (f"d.classification <= %(clr)s{search} AND ({branch})", index in floor.broad)
            for index, branch in enumerate(floor.branches)
            if me.reaches(branch)
        ]
        # A person's own column can be broad too (the 市长 signs most of his organ's documents):
        # probe it through its index, as one who knows the data would.
        where = [(w, broad or _reaches_many(cursor, floor.table, w, params)) for w, broad in where]
        # A broad branch (a series, an organ) walks the ordering; a narrow one (a person's, a unit's,
        # a grant's rows) is fetched through its own index and sorted: the "+ interval" keeps the
        # planner from walking the ordering index for 50 rows of a few hundred.
        top = " UNION ".join(
            f"(SELECT d.id, d.{first} FROM {floor.table} d WHERE {w} "
            f"ORDER BY d.{first}{'' if broad else SORTED_NOT_WALKED} DESC, d.id DESC LIMIT %(n)s)"
            for w, broad in where
        )
        cursor.execute(
            f"SELECT id FROM ({top}) v ORDER BY {first} DESC, id DESC OFFSET %(offset)s LIMIT %(size)s",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
        capped = " UNION ".join(
            f"(SELECT d.id FROM {floor.table} d WHERE {w}{' LIMIT %(cap)s' if broad else ''})" for w, broad in where
        )
        cursor.execute(f"SELECT count(*) FROM (SELECT id FROM ({capped}) u LIMIT %(cap)s) c", params)
        count = cursor.fetchone()[0]
        cursor.execute(floor.rows_sql, {"ids": ids})
        cursor.fetchall()
        return ids, count


PROBE = 1000


def _reaches_many(cursor, table: str, where: str, params: dict) -> bool:
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} d WHERE {where} LIMIT {PROBE}) x", params)
    return cursor.fetchone()[0] >= PROBE


def visible_count(floor: ListFloor, uid: int) -> int:
    """How many records the person may see, exactly (for the personas' line above the table)."""
    with connection.cursor() as cursor:
        me = facts(cursor, uid)
        if me is None:
            return 0
        params = {
            **me.params(),
            "perm": permission_id(cursor, floor.app, floor.model),
        }
        union = " UNION ".join(
            f"SELECT d.id FROM {floor.table} d WHERE d.classification <= %(clr)s AND ({branch})"
            for branch in floor.branches
            if me.reaches(branch)
        )
        cursor.execute(f"SELECT count(*) FROM ({union}) v", params)
        return cursor.fetchone()[0]


# --- The reminder scan's read -----------------------------------------------------------------

SCAN_READ = """
SELECT d.id, d.kind_id, d.due_date, rp.user_id, ruh.user_id, ld.user_id, k.very_overdue_after, k.supervising_unit_id
FROM reminders_deadline d JOIN reminders_deadlinekind k ON k.code = d.kind_id
LEFT JOIN org_person rp ON rp.id = d.responsible_person_id
LEFT JOIN org_unit ru ON ru.id = d.responsible_unit_id LEFT JOIN org_person ruh ON ruh.id = ru.head_id
LEFT JOIN org_person ld ON ld.id = d.leader_id
WHERE d.state = 'open' AND NOT d.suspended AND d.next_fire_on <= current_date
  AND NOT EXISTS (SELECT 1 FROM reminders_reminder r WHERE r.deadline_id = d.id AND r.for_due_date = d.due_date
                  AND r.claimed_at::date = current_date)
"""


def scan_read() -> int:
    """What a tick needs to read: the open, running deadlines with something to fire today, with
    their recipients, less those already claimed today (one set-based statement)."""
    with connection.cursor() as cursor:
        cursor.execute(SCAN_READ)
        return len(cursor.fetchall())


# --- 办结率 -------------------------------------------------------------------------------------

COMPLETION = """
WITH visible AS ({visible})
SELECT a.unit_id, u.name, count(*),
       count(*) FILTER (WHERE d.state IN ('done', 'archived')),
       count(*) FILTER (WHERE d.state IN ('done', 'archived') AND d.done_on_time)
FROM documents_assignment a JOIN documents_incomingdocument d ON d.id = a.document_id JOIN org_unit u ON u.id = a.unit_id
WHERE a.role = 'lead' AND d.instructed_at >= %(since)s AND d.instructed_at < %(until)s AND d.id IN (SELECT id FROM visible)
GROUP BY a.unit_id, u.name ORDER BY u.name
"""


def completion(uid: int, since, until) -> list[tuple]:
    """办结率 per lead unit over the visible documents instructed in [since, until)."""
    with connection.cursor() as cursor:
        me = facts(cursor, uid)
        if me is None:
            return []
        params = {
            **me.params(),
            "perm": permission_id(cursor, "documents", "incomingdocument"),
            "since": since,
            "until": until,
        }
        visible = " UNION ".join(
            f"SELECT d.id FROM documents_incomingdocument d WHERE d.classification <= %(clr)s AND ({branch})"
            for branch in INCOMING_BRANCHES
            if me.reaches(branch)
        )
        cursor.execute(COMPLETION.format(visible=visible), params)
        return cursor.fetchall()
