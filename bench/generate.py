# ruff: noqa: E501, S311, S608 — SQL built from this module's own constants and integers, kept on long lines
"""Fill the bench database with an office at scale, in SQL (``generate_series``, ``INSERT … SELECT``).

``BENCH_SCALE=full``: a city government and its bureaus (40 organs), 10,000 people with logins,
1,000,000 发文 with numbers, countersigns, 1.65M person grants (one person holding 30,000) and unit
grants, 200,000 收文 with 承办 assignments, 20,000 督办 items with tasks, 100,000 open deadlines.
``BENCH_SCALE=small``: the same shape at 2,000 documents and 200 people (seconds).

The generated scale, a version stamp (this file and the migrations) and the four personas' user
ids are kept in ``bench_meta``: a second ``make bench`` reuses the data.

Rows are inserted with ``session_replication_role = replica`` (no triggers: no pghistory events,
no deferred foreign-key checks). A table that the application keeps by trigger would therefore
stay empty here — the runner's row-equality checks against the raw-SQL floor would show it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

from django.db import connection, transaction

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = "1"

SCALES = {
    "full": {
        "bureaus": 38,  # + the city government + the archive (the numbering organ) = 40 organs
        "people": 10_000,
        "outgoing": 1_000_000,
        "user_grants": 1_650_000,
        "grants_person": 30_000,
        "group_grants": 150_000,
        "countersign_share": 0.12,
        "incoming": 200_000,
        "incoming_user_grants": 150_000,
        "incoming_group_grants": 30_000,
        "items": 20_000,
        "deadlines": 100_000,
        "closed_deadlines": 50_000,
        "narrow_share": 0.004,
        "numbering_clerks": 8,
    },
    "small": {
        "bureaus": 4,
        "people": 200,
        "outgoing": 2_000,
        "user_grants": 3_300,
        "grants_person": 300,
        "group_grants": 300,
        "countersign_share": 0.12,
        "incoming": 400,
        "incoming_user_grants": 300,
        "incoming_group_grants": 60,
        "items": 40,
        "deadlines": 200,
        "closed_deadlines": 100,
        "narrow_share": 0.05,
        "numbering_clerks": 4,
    },
}

BUREAUS = [
    ("市发展和改革委员会", "发改"),
    ("市教育局", "教"),
    ("市科学技术局", "科"),
    ("市工业和信息化局", "工信"),
    ("市公安局", "公"),
    ("市民政局", "民"),
    ("市司法局", "司"),
    ("市财政局", "财"),
    ("市人力资源和社会保障局", "人社"),
    ("市自然资源和规划局", "自然"),
    ("市生态环境局", "环"),
    ("市住房和城乡建设局", "建"),
    ("市交通运输局", "交"),
    ("市水利局", "水"),
    ("市农业农村局", "农"),
    ("市商务局", "商"),
    ("市文化广电和旅游局", "文旅"),
    ("市卫生健康委员会", "卫健"),
    ("市退役军人事务局", "退役"),
    ("市应急管理局", "应急"),
    ("市审计局", "审"),
    ("市国有资产监督管理委员会", "国资"),
    ("市市场监督管理局", "市监"),
    ("市体育局", "体"),
    ("市统计局", "统"),
    ("市医疗保障局", "医保"),
    ("市林业局", "林"),
    ("市城市管理局", "城管"),
    ("市信访局", "信访"),
    ("市行政审批服务局", "审批"),
    ("市粮食和物资储备局", "粮"),
    ("市人民防空办公室", "人防"),
    ("市地方金融管理局", "金融"),
    ("市机关事务管理局", "机关"),
    ("市大数据局", "数据"),
    ("市外事办公室", "外"),
    ("市民族宗教事务局", "民宗"),
    ("市侨务办公室", "侨"),
]
SECTIONS = ["综合处", "政策法规处", "规划处", "财务处", "人事处", "监督检查处", "科技处", "行政审批处"]
CITY_SECTIONS = ["秘书一处", "秘书二处", "督查室", "文电处", "信息处"]

# Topics: the first ones are common, the last ones rare (the generator draws them skewed).
TOPICS = [
    "做好年度重点工作",
    "加强安全生产工作",
    "开展作风建设专项行动",
    "印发工作要点",
    "做好节假日期间值班",
    "进一步优化营商环境",
    "加强食品安全监管",
    "推进数字政府建设",
    "做好财政预算管理",
    "加强网络安全工作",
    "开展安全隐患排查整治",
    "做好信访工作",
    "推进乡村振兴",
    "加强生态环境保护",
    "做好就业创业服务",
    "加强政务公开",
    "做好统计调查工作",
    "推进城市更新",
    "加强耕地保护",
    "开展爱国卫生运动",
    "做好冬季供暖保障",
    "加强消防安全管理",
    "开展审计整改",
    "推进教育高质量发展",
    "做好医疗保障",
    "加强道路交通安全",
    "推进河湖长制",
    "做好森林防火",
    "开展文明城市创建",
    "做好防汛抗旱工作",
]
KINDS = [
    ("notice", "通知"),
    ("opinion", "意见"),
    ("report", "报告"),
    ("request", "请示"),
    ("reply", "批复"),
    ("bulletin", "通报"),
    ("decision", "决定"),
    ("letter", "函"),
    ("minutes", "纪要"),
]
# The terms the search figures ask for: a common 2-character one, a rare 4-character one.
SEARCH_2 = "安全"
SEARCH_4 = "防汛抗旱"

BODY = (
    "各区人民政府，市政府各部门、各直属机构：\n"
    "为深入贯彻落实党中央、国务院和省委、省政府决策部署，结合本市实际，现就有关事项通知如下。\n"
    "一、提高思想认识\n各地各部门要充分认识做好此项工作的重要意义，切实加强组织领导，压实工作责任。\n"
    "二、突出工作重点\n（一）健全工作机制。（二）强化督促检查。（三）做好信息报送。\n"
    "三、加强保障措施\n各地各部门要按照本通知要求，抓好贯彻落实，重要情况及时报告。"
)

OUTGOING_STATES = [  # cumulative shares
    ("draft", 0.06),
    ("review", 0.08),
    ("countersign", 0.095),
    ("signoff", 0.11),
    ("recheck", 0.12),
    ("registered", 0.15),
    ("issued", 0.40),
    ("archived", 0.95),
    ("revoked", 0.97),
    ("abolished", 0.98),
    ("voided", 1.01),
]
NUMBERED = ("registered", "issued", "archived", "revoked", "abolished")
SIGNED = ("recheck", *NUMBERED)
INCOMING_STATES = [
    ("pending", 0.02),
    ("signed", 0.04),
    ("registered", 0.07),
    ("returned", 0.08),
    ("proposal", 0.10),
    ("instruction", 0.12),
    ("handling", 0.22),
    ("circulating", 0.25),
    ("done", 0.55),
    ("archived", 1.01),
]
CLASSIFICATION = (
    "CASE WHEN {r} < 0.25 THEN 0 WHEN {r} < 0.85 THEN 1 WHEN {r} < 0.97 THEN 2 WHEN {r} < 0.995 THEN 3 ELSE 4 END"
)


def _case(states, r: str) -> str:
    return "CASE " + " ".join(f"WHEN {r} < {share} THEN '{name}'" for name, share in states) + " END"


def _ints(values) -> str:
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::bigint[]"


def stamp() -> str:
    """The generator's version (bump ``GENERATOR_VERSION`` when the data it makes changes) and
    every migration: data made by another version or for another schema is made again."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    for path in sorted(ROOT.glob("**/migrations/[0-9]*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- The meta row -----------------------------------------------------------------------------


def read_meta(cursor) -> dict | None:
    cursor.execute("SELECT to_regclass('bench_meta')")
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute("SELECT scale, stamp, personas, counts, seconds FROM bench_meta WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return None
    personas, counts = (value if isinstance(value, dict) else json.loads(value) for value in row[2:4])
    return {"scale": row[0], "stamp": row[1], "personas": personas, "counts": counts, "seconds": row[4]}


def _write_meta(cursor, scale: str, version: str, personas: dict, counts: dict, seconds: float) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_meta (id int PRIMARY KEY, scale text NOT NULL, stamp text NOT NULL, "
        "personas jsonb NOT NULL, counts jsonb NOT NULL, seconds double precision, generated_at timestamptz)"
    )
    cursor.execute(
        "INSERT INTO bench_meta VALUES (1, %s, %s, %s, %s, %s, now()) ON CONFLICT (id) DO UPDATE SET "
        "scale = EXCLUDED.scale, stamp = EXCLUDED.stamp, personas = EXCLUDED.personas, counts = EXCLUDED.counts, "
        "seconds = EXCLUDED.seconds, generated_at = EXCLUDED.generated_at",
        [scale, version, json.dumps(personas), json.dumps(counts), seconds],
    )


# --- Inserting --------------------------------------------------------------------------------


class Generator:
    def __init__(self, cursor, scale: str, *, seed: int = 14, log=print):
        self.stamp = stamp()  # of the schema the data is made for
        self.cursor = cursor
        self.scale = scale
        self.p = SCALES[scale]
        self.rng = random.Random(seed)
        self.log = log
        self.started = time.monotonic()

    def sql(self, statement: str, params=None) -> None:
        self.cursor.execute(statement, params)

    def scalar(self, statement: str, params=None):
        self.cursor.execute(statement, params)
        return self.cursor.fetchone()[0]

    def base(self, table: str) -> int:
        return self.scalar(f"SELECT COALESCE(max(id), 0) FROM {table}")

    def insert(self, table: str, columns: dict[str, str], source: str, *, conflict: str = "") -> int:
        """``INSERT INTO table (columns) SELECT expressions FROM source``; refuses to run when a NOT
        NULL column without a default is not given (a column added to the model since)."""
        self.cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
            "AND column_default IS NULL",
            [table],
        )
        missing = {row[0] for row in self.cursor.fetchall()} - set(columns) - {"id"}
        if missing:
            raise RuntimeError(f"bench/generate.py fills no value for {table}.{', '.join(sorted(missing))}")
        names = ", ".join(f'"{name}"' for name in columns)
        expressions = ",\n  ".join(f'{expression} AS "{name}"' for name, expression in columns.items())
        started = time.monotonic()
        self.cursor.execute(f"INSERT INTO {table} ({names})\nSELECT {expressions}\nFROM {source} {conflict}")
        count = self.cursor.rowcount
        self.log(f"  {table}: {count:,} rows ({time.monotonic() - started:.1f} s)")
        return count

    def values(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        quoted = ", ".join(f'"{column}"' for column in columns)
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            self.cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )
        self.log(f"  {table}: {len(rows):,} rows")

    # --- The organisation ---------------------------------------------------------------------

    def organisation(self) -> None:
        p = self.p
        unit_base, group_base = self.base("org_unit"), self.base("auth_group")
        units: list[dict] = []

        def unit(name, kind, parent, short="", organ=None):
            row = {
                "id": unit_base + len(units) + 1,
                "name": name,
                "short": short,
                "kind": kind,
                "parent": parent["id"] if parent else None,
                "organ": None,
                "sort": len(units),
            }
            row["organ"] = row["id"] if kind == "organ" else parent["organ"]
            units.append(row)
            return row

        city = unit("临江市人民政府", "organ", None, "市政府")
        general_office = unit("临江市人民政府办公厅", "department", city, "市政府办公厅")
        city_sections = [unit(name, "section", general_office) for name in CITY_SECTIONS]
        self.city, self.general_office = city, general_office
        self.inspection = city_sections[CITY_SECTIONS.index("督查室")]
        self.bureaus = []
        for index, (name, short) in enumerate(BUREAUS[: p["bureaus"]]):
            organ = unit(name, "organ", city, short)
            office = unit(f"{name}办公室", "department", organ)
            narrow = index == p["bureaus"] - 1
            count = 2 if narrow else 3 + (index * 5) % 6
            sections = [unit(f"{name}{section}", "section", organ) for section in SECTIONS[:count]]
            self.bureaus.append({"organ": organ, "office": office, "sections": sections, "short": short})
        archive = unit("临江市档案馆", "organ", city, "档案馆")
        archive_office = unit("临江市档案馆办公室", "department", archive)
        self.archive, self.archive_office = archive, archive_office
        self.units = units
        self.values(
            "auth_group", ["id", "name"], [(group_base + i + 1, f"unit:{u['id']}") for i, u in enumerate(units)]
        )
        self.values(
            "org_unit",
            ["id", "name", "short_name", "code", "kind", "sort_order", "active", "parent_id", "organ_id", "group_id"],
            [
                (u["id"], u["name"], u["short"], f"B{u['id']:05d}", u["kind"], u["sort"], True, u["parent"], None, None)
                for u in units
            ],
        )
        # organ_id and group_id after every row exists (they point at rows of the same batch)
        self.sql(
            "UPDATE org_unit SET organ_id = v.organ, group_id = v.grp FROM (VALUES "
            + ", ".join(f"({u['id']}, {u['organ']}, {group_base + i + 1})" for i, u in enumerate(units))
            + ") AS v(id, organ, grp) WHERE org_unit.id = v.id"
        )
        self.people()

    def people(self) -> None:
        p, rng = self.p, self.rng
        person_base, user_base = self.base("org_person"), self.base("org_user")
        people: list[dict] = []

        def person(unit, role, clearance, post=""):
            row = {"id": person_base + len(people) + 1, "unit": unit, "role": role, "clearance": clearance}
            row["user"] = user_base + len(people) + 1
            row["post"] = post
            people.append(row)
            return row

        heads = {}
        for u in self.units:
            organ = u["kind"] == "organ"
            post = ("市长" if u is self.city else "局长") if organ else "处长" if u["kind"] == "section" else "主任"
            heads[u["id"]] = person(
                u, "领导" if organ else "办公室主任" if "办公" in u["name"] else "承办人", 4 if organ else 3, post
            )
        clerks = {}
        for office in [self.general_office, *[b["office"] for b in self.bureaus]]:
            clerks[office["id"]] = [person(office, "文秘", 2, "文秘") for _ in range(3)]
            person(office, "保密员", 3, "保密员")
            person(office, "督查员", 2, "督查员")
        self.numbering_clerks = [person(self.archive_office, "文秘", 2, "文秘") for _ in range(p["numbering_clerks"])]
        for _ in range(4):
            person(self.inspection, "督查员", 2, "督查员")
        for b in self.bureaus:  # deputy heads
            person(b["organ"], "领导", 4, "副局长")
        staffed = [u for u in self.units if u["kind"] != "organ" and u["organ"] != self.archive["id"]]
        narrow_bureau = self.bureaus[-1]
        self.narrow = person(narrow_bureau["sections"][0], "承办人", 2, "科员")
        self.grants_person = person(self.bureaus[0]["sections"][0], "承办人", 3, "科员")
        weights = [1 if u["organ"] == narrow_bureau["organ"]["id"] else 4 for u in staffed]
        while len(people) < p["people"]:
            level = rng.random()
            clearance = 1 if level < 0.70 else 2 if level < 0.90 else 3 if level < 0.98 else 4
            person(rng.choices(staffed, weights)[0], "承办人", clearance, "科员")
        self.people_rows = people
        self.heads = heads
        self.clerks = clerks

        from django.contrib.auth.hashers import make_password

        password = make_password("bench-password-14")
        surnames = (
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
        )
        given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉宇晨浩然欣怡子涵梓轩雨泽思远"
        self.values(
            "org_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            [
                (row["user"], password, False, f"bench{row['id']:06d}", "", "", "", False, True, "2020-01-01T00:00:00Z")
                for row in people
            ],
        )
        self.values(
            "org_person",
            ["id", "name", "post", "clearance", "phone", "email", "is_demo", "user_id", "unit_id"],
            [
                (
                    row["id"],
                    surnames[row["id"] % len(surnames)]
                    + given[(row["id"] * 7) % len(given)]
                    + given[(row["id"] * 13) % len(given)],
                    row["post"],
                    row["clearance"],
                    f"0571-{88000000 + row['id']}",
                    f"bench{row['id']:06d}@linjiang.gov.cn",
                    False,
                    row["user"],
                    row["unit"]["id"],
                )
                for row in people
            ],
        )
        self.sql(
            "UPDATE org_unit SET head_id = v.head FROM (VALUES "
            + ", ".join(f"({unit_id}, {row['id']})" for unit_id, row in heads.items())
            + ") AS v(id, head) WHERE org_unit.id = v.id"
        )
        # Each login belongs to its unit's group and every group above (Person.sync_unit_groups),
        # and to its role's group.
        self.sql(
            """CREATE TEMP TABLE bench_lineage AS
            WITH RECURSIVE up(unit_id, ancestor_id) AS (
              SELECT id, id FROM org_unit
              UNION ALL SELECT up.unit_id, u.parent_id FROM up JOIN org_unit u ON u.id = up.ancestor_id
              WHERE u.parent_id IS NOT NULL)
            SELECT * FROM up"""
        )
        self.insert(
            "org_user_groups",
            {"user_id": "p.user_id", "group_id": "u.group_id"},
            "org_person p JOIN bench_lineage l ON l.unit_id = p.unit_id JOIN org_unit u ON u.id = l.ancestor_id "
            f"WHERE p.id > {person_base}",
        )
        roles = {row["role"] for row in people}
        self.cursor.execute("SELECT name, id FROM auth_group WHERE name = ANY(%s)", [list(roles)])
        role_ids = dict(self.cursor.fetchall())
        self.values(
            "org_user_groups",
            ["user_id", "group_id"],
            [(row["user"], role_ids[row["role"]]) for row in people if row["role"] in role_ids],
        )

    def lookups(self) -> None:
        """Small tables the big inserts draw from: people per unit (by clearance), units per organ."""
        self.sql(
            """CREATE TEMP TABLE bench_unit_people AS
            SELECT unit_id, array_agg(id ORDER BY id) AS people, array_agg(user_id ORDER BY id) AS users
            FROM org_person GROUP BY unit_id"""
        )
        self.sql("CREATE UNIQUE INDEX ON bench_unit_people (unit_id)")
        self.sql(
            """CREATE TEMP TABLE bench_organ_units AS
            SELECT organ_id, array_agg(id ORDER BY id) AS units FROM org_unit
            WHERE organ_id IS NOT NULL GROUP BY organ_id"""
        )
        self.sql(
            """CREATE TEMP TABLE bench_cleared AS
            SELECT l.level, row_number() OVER (PARTITION BY l.level ORDER BY p.id) - 1 AS k, p.user_id
            FROM generate_series(0, 4) AS l(level) JOIN org_person p ON p.clearance >= l.level"""
        )
        # (a table, not arrays: an array of 10,000 logins is TOASTed and read again for every row)
        self.sql("CREATE UNIQUE INDEX ON bench_cleared (level, k)")
        self.sql("CREATE TEMP TABLE bench_cleared_n AS SELECT level, count(*) AS n FROM bench_cleared GROUP BY level")
        vocab = []
        from office import search

        for t, topic in enumerate(TOPICS):
            for k, (code, label) in enumerate(KINDS):
                title = f"关于{topic}的{label}"
                vocab.append((t * len(KINDS) + k, title, code, search.document_text(title)))
        self.sql("CREATE TEMP TABLE bench_vocab (idx int PRIMARY KEY, title text, kind text, tsv tsvector)")
        self.cursor.execute(
            "INSERT INTO bench_vocab SELECT v.idx, v.title, v.kind, to_tsvector('simple', v.text) FROM (VALUES "
            + ", ".join(["(%s, %s, %s, %s)"] * len(vocab))
            + ") AS v(idx, title, kind, text)",
            [value for row in vocab for value in row],
        )
        # A topic drawn skewed (the first ones common, the last rare), then a kind.
        self.vocab_expr = (
            f"(floor(power(random(), 2.5) * {len(TOPICS)})::int * {len(KINDS)} + floor(random() * {len(KINDS)})::int)"
        )

    # --- 发文 ----------------------------------------------------------------------------------

    def outgoing(self) -> None:
        p, base = self.p, self.base("documents_outgoingdocument")
        series_base = self.base("documents_documentseries")
        series = []

        def add(organ, office, code, issuer, template="standard"):
            series.append((series_base + len(series) + 1, issuer, code, template, True, office["id"], organ["id"]))
            return series[-1][0]

        weights: list[tuple[int, float]] = []
        city_share = 0.20
        for code, issuer, share, template in (
            ("临政发", "临江市人民政府文件", 0.6, "standard"),
            ("临政办发", "临江市人民政府办公厅文件", 0.25, "standard"),
            ("临政函", "临江市人民政府", 0.15, "letter"),
        ):
            weights.append((add(self.city, self.general_office, code, issuer, template), city_share * share))
        rest = 1 - city_share - p["narrow_share"]
        bureau_weights = [1 + (i * 7) % 5 for i in range(len(self.bureaus) - 1)]
        for index, b in enumerate(self.bureaus):
            name = b["organ"]["name"]
            share = (
                p["narrow_share"]
                if index == len(self.bureaus) - 1
                else rest * bureau_weights[index] / sum(bureau_weights)
            )
            weights.append((add(b["organ"], b["office"], f"临{b['short']}发", f"{name}文件"), share * 0.8))
            weights.append((add(b["organ"], b["office"], f"临{b['short']}函", name, "letter"), share * 0.2))
        self.numbering_series = [
            add(self.archive, self.archive_office, code, "临江市档案馆文件")
            for code in ("临档发", "临档函", "临档办", "临档字")
        ]
        self.values(
            "documents_documentseries",
            ["id", "issuer_name", "code", "template", "active", "office_id", "organ_id"],
            series,
        )
        slots = []
        for series_id, share in weights:
            slots.extend([series_id] * max(1, round(share * 10_000)))
        n = p["outgoing"]
        self.sql(
            """CREATE TEMP TABLE bench_series AS
            SELECT s.id, s.organ_id, s.office_id, u.head_id FROM documents_documentseries s JOIN org_unit u ON u.id = s.organ_id"""
        )
        started = time.monotonic()
        self.sql(
            f"""CREATE TEMP TABLE bench_o AS
            SELECT {base} + g AS id, s.series_id, s.created_at, s.rs, s.rc, s.r1, s.r2, s.r3, s.vocab,
                   {_case(OUTGOING_STATES, "s.rs")} AS state
            FROM generate_series(1, {n}) g,
            LATERAL (SELECT ({_ints(slots)})[1 + floor(random() * {len(slots)})::int + (g * 0)] AS series_id,
                            now() - random() * interval '6 years' - (g * 0) * interval '1 s' AS created_at,
                            random() + g * 0 AS rs, random() + g * 0 AS rc, random() + g * 0 AS r1,
                            random() + g * 0 AS r2, random() + g * 0 AS r3, {self.vocab_expr} + g * 0 AS vocab) s"""
        )
        self.sql(
            """CREATE TEMP TABLE bench_o2 AS
            SELECT o.*, bs.organ_id, bs.head_id,
                   ou.units[1 + floor(o.r1 * cardinality(ou.units))::int] AS unit_id
            FROM bench_o o JOIN bench_series bs ON bs.id = o.series_id JOIN bench_organ_units ou ON ou.organ_id = bs.organ_id"""
        )
        self.sql(
            "CREATE TEMP TABLE bench_o3 AS SELECT o.*, up.people[1 + floor(o.r2 * cardinality(up.people))::int] AS drafter_id, "
            "LEAST(now(), o.created_at + o.r3 * interval '40 days') AS updated_at "
            "FROM bench_o2 o JOIN bench_unit_people up ON up.unit_id = o.unit_id"
        )
        self.log(f"  (staging {n:,} documents: {time.monotonic() - started:.1f} s)")
        numbered = ", ".join(f"'{s}'" for s in NUMBERED)
        signed = ", ".join(f"'{s}'" for s in SIGNED)
        self.insert(
            "documents_documentnumber",
            {
                "id": "o.id",
                "series_id": "o.series_id",
                "year": "extract(year FROM o.created_at)::int",
                "sequence": "row_number() OVER (PARTITION BY o.series_id, extract(year FROM o.created_at) ORDER BY o.created_at, o.id)",
                "state": "'assigned'",
                "void_reason": "''",
                "assigned_at": "o.created_at + interval '2 days'",
            },
            f"bench_o3 o WHERE o.state IN ({numbered})",
        )
        self.insert(
            "documents_numbercounter",
            {"series_id": "series_id", "year": "year", "last": "max(sequence)"},
            "documents_documentnumber GROUP BY series_id, year",
        )
        cls = CLASSIFICATION.format(r="o.rc")
        self.insert(
            "documents_outgoingdocument",
            {
                "id": "o.id",
                "classification": cls,
                "secrecy_term_unit": f"CASE WHEN {cls} >= 2 THEN 'years' ELSE '' END",
                "secrecy_term_amount": f"CASE {cls} WHEN 2 THEN 10 WHEN 3 THEN 20 WHEN 4 THEN 30 END",
                "declassify_condition": "''",
                "declassify_condition_met": "false",
                "secrecy_from": f"CASE WHEN {cls} >= 2 THEN o.created_at::date END",
                "classification_basis": f"CASE WHEN {cls} >= 2 THEN '《国家秘密定密管理暂行规定》' ELSE '' END",
                "classified_at": f"CASE WHEN {cls} >= 2 THEN o.created_at END",
                "classified_by_id": f"CASE WHEN {cls} >= 2 THEN o.head_id END",
                "declassify_due": f"CASE {cls} WHEN 2 THEN (o.created_at + interval '10 years')::date "
                f"WHEN 3 THEN (o.created_at + interval '20 years')::date WHEN 4 THEN (o.created_at + interval '30 years')::date END",
                "copies": f"CASE WHEN {cls} >= 2 THEN 20 ELSE 0 END",
                "urgency": "CASE WHEN o.r3 < 0.1 THEN 'urgent' WHEN o.r3 < 0.13 THEN 'extra_urgent' ELSE '' END",
                "title": "v.title",
                "kind": "v.kind",
                "direction": "CASE WHEN v.kind IN ('report', 'request') THEN 'up' WHEN v.kind = 'letter' THEN 'parallel' ELSE 'down' END",
                "important": "o.r1 < 0.05",
                "main_to_external": "''",
                "body": f"v.title || E'\\n' || {_quote(BODY)}",
                "attachment_note": "''",
                "in_reply_to": "''",
                "written_date": f"CASE WHEN o.state IN ({signed}) THEN (o.created_at + interval '1 day')::date END",
                "note": "''",
                "cc_external": "''",
                "printing_organ": "''",
                "printed_on": f"CASE WHEN o.state IN ({numbered}) THEN (o.created_at + interval '2 days')::date END",
                "disclosure": f"CASE WHEN {cls} = 0 THEN 'proactive' ELSE 'not_public' END",
                "disclosure_reason": "''",
                "sign_opinion": f"CASE WHEN o.state IN ({signed}) THEN '同意' ELSE '' END",
                "signed_at": f"CASE WHEN o.state IN ({signed}) THEN o.created_at + interval '1 day' END",
                "signed_by_id": f"CASE WHEN o.state IN ({signed}) THEN o.head_id END",
                "designated_signer_id": "CASE WHEN o.state NOT IN ('draft', 'review', 'voided') AND o.r2 < 0.5 THEN o.head_id END",
                "state": "o.state",
                "state_reason": "CASE WHEN o.state IN ('revoked', 'abolished', 'voided') THEN '情况变化' ELSE '' END",
                "retention": "CASE WHEN o.state = 'archived' THEN '30年' ELSE '' END",
                "search_vector": "v.tsv",
                "created_at": "o.created_at",
                "updated_at": "o.updated_at",
                "drafter_id": "o.drafter_id",
                "drafting_unit_id": "o.unit_id",
                "number_id": f"CASE WHEN o.state IN ({numbered}) THEN o.id END",
                "series_id": "o.series_id",
                "reviewer_id": "NULL::bigint",
            },
            "bench_o3 o JOIN bench_vocab v ON v.idx = o.vocab",
        )
        # 会签: a share of the documents by one or two other units of the same organ or another.
        self.insert(
            "documents_countersign",
            {
                "document_id": "o.id",
                "unit_id": "u.id",
                "state": "CASE WHEN o.state IN ('countersign') THEN 'pending' ELSE 'agreed' END",
                "opinion": "CASE WHEN o.state = 'countersign' THEN '' ELSE '同意' END",
                "decided_at": "CASE WHEN o.state = 'countersign' THEN NULL ELSE o.created_at + interval '12 hours' END",
                "decided_by_id": "CASE WHEN o.state = 'countersign' THEN NULL ELSE u.head_id END",
            },
            f"""bench_o3 o CROSS JOIN LATERAL generate_series(1, 1 + (o.r3 * 10)::int % 2) AS k
            JOIN org_unit u ON u.id = (SELECT min(id) FROM org_unit) + ((o.id * 7 + k * 13) % (SELECT count(*) FROM org_unit))
            WHERE o.state NOT IN ('draft', 'review', 'voided') AND o.r1 < {p["countersign_share"]} AND u.id <> o.unit_id""",
            conflict="ON CONFLICT DO NOTHING",
        )

    def outgoing_grants(self) -> None:
        p = self.p
        perm = self.permission("documents", "outgoingdocument")
        self.grants(
            "documents_outgoingusergrant",
            "documents_outgoingdocument",
            perm,
            total=p["user_grants"],
            person_count=p["grants_person"],
        )
        self.unit_grants("documents_outgoinggroupgrant", "documents_outgoingdocument", perm, p["group_grants"])

    def permission(self, app: str, model: str) -> int:
        return self.scalar(
            "SELECT p.id FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id "
            "WHERE c.app_label = %s AND c.model = %s AND p.codename = %s",
            [app, model, f"view_{model}"],
        )

    def grants(self, table: str, records: str, perm: int, *, total: int, person_count: int) -> None:
        """知悉范围 to named people: the many-grants person's share, then grants of classified
        records (and some 内部 ones) to people cleared for them."""
        user = self.grants_person["user"]
        if person_count:
            self.insert(
                table,
                {"content_object_id": "d.id", "permission_id": str(perm), "user_id": str(user)},
                f"(SELECT id FROM {records} WHERE classification <= 3 ORDER BY md5(id::text) LIMIT {person_count}) d",
            )
        classified = self.scalar(f"SELECT count(*) FROM {records} WHERE classification >= 1")
        remaining = max(0, total - person_count)
        per_record = remaining / max(1, classified)
        whole = int(per_record)
        fraction = per_record - whole
        self.insert(
            table,
            {
                "content_object_id": "d.id",
                "permission_id": str(perm),
                "user_id": "c.user_id",
            },
            f"""(SELECT id, classification, CASE WHEN random() < {fraction:.6f} THEN {whole + 1} ELSE {whole} END AS n
                 FROM {records} WHERE classification >= 1) d
            CROSS JOIN LATERAL generate_series(1, d.n) AS k JOIN bench_cleared_n cn ON cn.level = d.classification
            CROSS JOIN LATERAL (SELECT floor(random() * cn.n)::bigint + k * 0 AS pick) r
            JOIN bench_cleared c ON c.level = d.classification AND c.k = r.pick""",
            conflict="ON CONFLICT DO NOTHING",
        )

    def unit_grants(self, table: str, records: str, perm: int, count: int) -> None:
        """知悉范围 to units: a unit of the record's own organ, or another organ's."""
        self.insert(
            table,
            {"content_object_id": "d.id", "permission_id": str(perm), "group_id": "u.group_id"},
            f"""(SELECT id FROM {records} ORDER BY md5(id::text || 'g') LIMIT {count}) d
            JOIN org_unit u ON u.id = (SELECT min(id) FROM org_unit) + (d.id * 31 % (SELECT count(*) FROM org_unit))""",
            conflict="ON CONFLICT DO NOTHING",
        )

    # --- 收文 ----------------------------------------------------------------------------------

    def incoming(self) -> None:
        p, base = self.p, self.base("documents_incomingdocument")
        # The receiving units: each organ's office (and the city's 办公厅) by the organs' weights.
        offices = [(self.general_office, 0.3)] + [
            (b["office"], 0.01 if i == len(self.bureaus) - 1 else 0.69 / max(1, len(self.bureaus) - 1))
            for i, b in enumerate(self.bureaus)
        ]
        slots = []
        for office, share in offices:
            slots.extend([office["id"]] * max(1, round(share * 1000)))
        senders = ["省人民政府办公厅", "省发展和改革委员会", "省财政厅", "省应急管理厅", "国务院办公厅", "市委办公室"]
        n = p["incoming"]
        self.sql(
            f"""CREATE TEMP TABLE bench_i AS
            SELECT {base} + g AS id, s.*, {_case(INCOMING_STATES, "s.rs")} AS state
            FROM generate_series(1, {n}) g,
            LATERAL (SELECT ({_ints(slots)})[1 + floor(random() * {len(slots)})::int + g * 0] AS unit_id,
                            now() - random() * interval '4 years' - g * 0 * interval '1 s' AS delivered_at,
                            random() + g * 0 AS rs, random() + g * 0 AS rc, random() + g * 0 AS r1, random() + g * 0 AS r2,
                            {self.vocab_expr} + g * 0 AS vocab) s"""
        )
        self.sql(
            """CREATE TEMP TABLE bench_i2 AS
            SELECT i.*, u.organ_id, organ.head_id AS leader_id,
                   up.people[1 + floor(i.r1 * cardinality(up.people))::int] AS clerk_id,
                   ou.units[1 + floor(i.r2 * cardinality(ou.units))::int] AS lead_unit_id,
                   extract(year FROM i.delivered_at)::int AS year
            FROM bench_i i JOIN org_unit u ON u.id = i.unit_id JOIN org_unit organ ON organ.id = u.organ_id
            JOIN bench_unit_people up ON up.unit_id = i.unit_id JOIN bench_organ_units ou ON ou.organ_id = u.organ_id"""
        )
        registered = "i.state NOT IN ('pending', 'signed')"
        instructed = "i.state IN ('handling', 'circulating', 'done', 'archived')"
        done = "i.state IN ('done', 'archived')"
        cls = CLASSIFICATION.format(r="i.rc")
        self.insert(
            "documents_incomingdocument",
            {
                "id": "i.id",
                "classification": cls,
                "secrecy_term_unit": f"CASE WHEN {cls} >= 2 THEN 'years' ELSE '' END",
                "secrecy_term_amount": f"CASE {cls} WHEN 2 THEN 10 WHEN 3 THEN 20 WHEN 4 THEN 30 END",
                "declassify_condition": "''",
                "declassify_condition_met": "false",
                "classification_basis": "''",
                "sender_organ": f"({_array_text(senders)})[1 + (i.id % {len(senders)})::int]",
                "sender_number": "'省政办发〔' || i.year || '〕' || (i.id % 300 + 1) || '号'",
                "title": "v.title",
                "kind": "v.kind",
                "urgency": "CASE WHEN i.r1 < 0.1 THEN 'urgent' ELSE '' END",
                "copies_received": "1",
                "copy_numbers": "''",
                "channel": "CASE WHEN i.r2 < 0.6 THEN 'electronic' ELSE 'paper' END",
                "body": "v.title",
                "delivered_at": "i.delivered_at",
                "signed_for_at": "CASE WHEN i.state <> 'pending' THEN i.delivered_at + interval '2 hours' END",
                "signed_for_by_id": "CASE WHEN i.state <> 'pending' THEN i.clerk_id END",
                "registration_year": f"CASE WHEN {registered} THEN i.year END",
                "registration_sequence": f"CASE WHEN {registered} THEN row_number() OVER (PARTITION BY i.unit_id, i.year, {registered} ORDER BY i.delivered_at, i.id) END",
                "registered_by_id": f"CASE WHEN {registered} THEN i.clerk_id END",
                "handling": f"CASE WHEN {instructed} OR i.state IN ('proposal', 'instruction') THEN 'action' ELSE '' END",
                "return_reason": "CASE WHEN i.state = 'returned' THEN '不属于本机关职责' ELSE '' END",
                "proposal": f"CASE WHEN {instructed} OR i.state = 'instruction' THEN '拟请领导阅示' ELSE '' END",
                "proposed_by_id": f"CASE WHEN {instructed} OR i.state = 'instruction' THEN i.clerk_id END",
                "instruction": f"CASE WHEN {instructed} THEN '请抓紧办理' ELSE '' END",
                "instructing_leader_id": f"CASE WHEN {instructed} OR i.state = 'instruction' THEN i.leader_id END",
                "instructed_at": f"CASE WHEN {instructed} THEN i.delivered_at + interval '1 day' END",
                "time_limit": f"CASE WHEN {instructed} THEN (i.delivered_at + interval '15 days')::date END",
                "supervise": "false",
                "important": "i.r1 < 0.05",
                "result": f"CASE WHEN {done} THEN '已办结' ELSE '' END",
                "reply_required": "false",
                "reply": "''",
                "done_at": f"CASE WHEN {done} THEN i.delivered_at + (i.r2 * 20) * interval '1 day' END",
                "done_on_time": f"CASE WHEN {done} THEN i.r2 < 0.75 END",
                "retention": "CASE WHEN i.state = 'archived' THEN '10年' ELSE '' END",
                "archive_override": "''",
                "state": "i.state",
                "state_changed_at": "LEAST(now(), i.delivered_at + (i.r2 * 20) * interval '1 day')",
                "search_vector": "v.tsv",
                "created_at": "i.delivered_at",
                "updated_at": "LEAST(now(), i.delivered_at + (i.r2 * 20) * interval '1 day')",
                "receiving_unit_id": "i.unit_id",
            },
            "bench_i2 i JOIN bench_vocab v ON v.idx = i.vocab",
        )
        self.insert(
            "documents_incomingcounter",
            {"organ_id": "receiving_unit_id", "year": "registration_year", "last": "max(registration_sequence)"},
            "documents_incomingdocument WHERE registration_year IS NOT NULL GROUP BY receiving_unit_id, registration_year",
            conflict="ON CONFLICT DO NOTHING",
        )
        self.insert(
            "documents_assignment",
            {
                "document_id": "i.id",
                "unit_id": "CASE WHEN k = 1 THEN i.lead_unit_id ELSE ou.units[1 + (i.id % cardinality(ou.units))::int] END",
                "role": "CASE WHEN k = 1 THEN 'lead' ELSE 'assist' END",
                "due": "(i.delivered_at + interval '15 days')::date",
                "done_at": f"CASE WHEN {done} THEN i.delivered_at + (i.r2 * 20) * interval '1 day' END",
                "note": "''",
            },
            f"""bench_i2 i JOIN bench_organ_units ou ON ou.organ_id = i.organ_id
            CROSS JOIN LATERAL generate_series(1, CASE WHEN i.r1 < 0.3 THEN 2 ELSE 1 END) AS k WHERE {instructed}""",
            conflict="ON CONFLICT DO NOTHING",
        )
        perm = self.permission("documents", "incomingdocument")
        self.grants(
            "documents_incomingusergrant",
            "documents_incomingdocument",
            perm,
            total=p["incoming_user_grants"],
            person_count=0,
        )
        self.unit_grants("documents_incominggroupgrant", "documents_incomingdocument", perm, p["incoming_group_grants"])

    # --- 督办 ----------------------------------------------------------------------------------

    def supervision(self) -> None:
        p, base = self.p, self.base("supervision_supervisionitem")
        organs = [(self.city, self.inspection, 0.5)] + [
            (b["organ"], b["office"], 0.5 / len(self.bureaus)) for b in self.bureaus
        ]
        slots = []
        for index, (_organ, _unit, share) in enumerate(organs):
            slots.extend([index] * max(1, round(share * 1000)))
        self.sql("CREATE TEMP TABLE bench_sorgans (idx int, organ_id bigint, unit_id bigint, supervisor_id bigint)")
        rows = []
        for index, (organ, unit, _share) in enumerate(organs):
            supervisor = next(
                (r["id"] for r in self.people_rows if r["unit"] is unit and r["role"] == "督查员"),
                self.heads[unit["id"]]["id"],
            )
            rows.append(f"({index}, {organ['id']}, {unit['id']}, {supervisor})")
        self.sql("INSERT INTO bench_sorgans VALUES " + ", ".join(rows))
        self.sql(
            f"""CREATE TEMP TABLE bench_s AS
            SELECT {base} + g AS id, o.organ_id, o.unit_id, o.supervisor_id, organ.head_id AS leader_id, s.*,
                   extract(year FROM s.opened_at)::int AS year,
                   CASE WHEN s.rs < 0.05 THEN 'opened' WHEN s.rs < 0.5 THEN 'assigned' WHEN s.rs < 0.95 THEN 'done' ELSE 'cancelled' END AS state
            FROM generate_series(1, {p["items"]}) g,
            LATERAL (SELECT ({_ints(slots)})[1 + floor(random() * {len(slots)})::int + g * 0] AS sidx,
                            now() - random() * interval '3 years' - g * 0 * interval '1 s' AS opened_at,
                            random() + g * 0 AS rs, random() + g * 0 AS rc, random() + g * 0 AS r1,
                            {self.vocab_expr} + g * 0 AS vocab) s
            JOIN bench_sorgans o ON o.idx = s.sidx JOIN org_unit organ ON organ.id = o.organ_id"""
        )
        cls = CLASSIFICATION.format(r="s.rc")
        self.insert(
            "supervision_supervisionitem",
            {
                "id": "s.id",
                "classification": f"LEAST(2, {cls})",
                "secrecy_term_unit": f"CASE WHEN {cls} >= 2 THEN 'years' ELSE '' END",
                "secrecy_term_amount": f"CASE WHEN {cls} >= 2 THEN 10 END",
                "declassify_condition": "''",
                "declassify_condition_met": "false",
                "classification_basis": "''",
                "year": "s.year",
                "sequence": "row_number() OVER (PARTITION BY s.organ_id, s.year ORDER BY s.opened_at, s.id)",
                "title": "v.title",
                "requirement": "'按期办结并报送办理结果'",
                "source": "CASE WHEN s.r1 < 0.4 THEN 'instruction' WHEN s.r1 < 0.7 THEN 'meeting' ELSE 'document' END",
                "source_text": "''",
                "instructing_leader_id": "s.leader_id",
                "supervisor_id": "s.supervisor_id",
                "opened_by_id": "s.supervisor_id",
                "priority": "CASE WHEN s.r1 < 0.1 THEN 'urgent' ELSE 'normal' END",
                "cadence": "'monthly'",
                "due": "(s.opened_at + interval '60 days')::date",
                "state": "s.state",
                "state_changed_at": "s.opened_at",
                "opened_at": "s.opened_at",
                "done_at": "CASE WHEN s.state = 'done' THEN s.opened_at + interval '50 days' END",
                "done_on_time": "CASE WHEN s.state = 'done' THEN s.r1 < 0.8 END",
                "cancel_reason": "CASE WHEN s.state = 'cancelled' THEN '情况变化' ELSE '' END",
                "search_vector": "v.tsv",
                "organ_id": "s.organ_id",
                "supervising_unit_id": "s.unit_id",
            },
            "bench_s s JOIN bench_vocab v ON v.idx = s.vocab",
        )
        self.insert(
            "supervision_itemcounter",
            {"organ_id": "organ_id", "year": "year", "last": "max(sequence)"},
            "supervision_supervisionitem GROUP BY organ_id, year",
        )
        task_state = "CASE s.state WHEN 'done' THEN 'done' WHEN 'cancelled' THEN 'cancelled' ELSE 'assigned' END"
        self.insert(
            "supervision_supervisiontask",
            {
                "item_id": "s.id",
                "order": "k",
                "title": "v.title",
                "requirement": "''",
                "lead_unit_id": "lu.unit",
                "responsible_person_id": "up.people[1 + (s.id % cardinality(up.people))::int]",
                "due": "(s.opened_at + interval '60 days')::date",
                "report_due": f"CASE WHEN {task_state} = 'assigned' THEN (now() + (s.r1 * 40 - 10) * interval '1 day')::date END",
                "state": task_state,
                "assigned_at": "s.opened_at + interval '1 day'",
                "submitted_on": "NULL::date",
                "done_at": "CASE WHEN s.state = 'done' THEN s.opened_at + interval '45 days' END",
                "done_on_time": "CASE WHEN s.state = 'done' THEN s.r1 < 0.8 END",
                "returns": "0",
            },
            """bench_s s JOIN bench_vocab v ON v.idx = s.vocab JOIN bench_organ_units ou ON ou.organ_id = s.organ_id
            CROSS JOIN LATERAL generate_series(1, 1 + (s.id % 3)::int) AS k
            CROSS JOIN LATERAL (SELECT ou.units[1 + ((s.id + k * 5) % cardinality(ou.units))::int] AS unit) lu
            JOIN bench_unit_people up ON up.unit_id = lu.unit
            WHERE s.state <> 'opened'""",
        )
        self.insert(
            "supervision_taskassist",
            {"task_id": "t.id", "unit_id": "ou.units[1 + ((t.id * 3) % cardinality(ou.units))::int]", "text": "''"},
            """supervision_supervisiontask t JOIN supervision_supervisionitem i ON i.id = t.item_id
            JOIN bench_organ_units ou ON ou.organ_id = i.organ_id WHERE t.id % 5 = 0""",
            conflict="ON CONFLICT DO NOTHING",
        )
        perm = self.permission("supervision", "supervisionitem")
        self.grants(
            "supervision_supervisionusergrant",
            "supervision_supervisionitem",
            perm,
            total=p["items"] // 2,
            person_count=0,
        )

    # --- Deadlines ------------------------------------------------------------------------------

    def deadlines(self) -> None:
        p = self.p

        def ct(app, model):
            return self.scalar("SELECT id FROM django_content_type WHERE app_label = %s AND model = %s", [app, model])

        outgoing, incoming, task = (
            ct("documents", "outgoingdocument"),
            ct("documents", "incomingdocument"),
            ct("supervision", "supervisiontask"),
        )
        # Subjects in hand: open tasks, documents in 承办, documents in their drafting steps.
        self.sql(
            f"""CREATE TEMP TABLE bench_subjects AS
            SELECT row_number() OVER () AS n, * FROM (
              SELECT {task} AS ct, 'supervision' AS kind, t.id AS object_id, left(t.title, 200) AS repr,
                     t.responsible_person_id AS person_id, t.lead_unit_id AS unit_id, i.instructing_leader_id AS leader_id
              FROM supervision_supervisiontask t JOIN supervision_supervisionitem i ON i.id = t.item_id WHERE t.state = 'assigned'
              UNION ALL
              SELECT {incoming}, 'document', d.id, left(d.title, 200), NULL, a.unit_id, d.instructing_leader_id
              FROM documents_incomingdocument d JOIN documents_assignment a ON a.document_id = d.id AND a.role = 'lead'
              WHERE d.state IN ('handling', 'circulating')
              UNION ALL
              SELECT {outgoing}, 'general', d.id, left(d.title, 200), d.drafter_id, d.drafting_unit_id, NULL
              FROM documents_outgoingdocument d WHERE d.state IN ('review', 'countersign', 'signoff', 'recheck')
            ) s"""
        )
        subjects = self.scalar("SELECT count(*) FROM bench_subjects")
        for state, count in (("open", p["deadlines"]), ("met", p["closed_deadlines"])):
            self.insert(
                "reminders_deadline",
                {
                    "content_type_id": "s.ct",
                    "object_id": "s.object_id",
                    "subject_repr": "s.repr",
                    "kind_id": "s.kind",
                    "responsible_person_id": "s.person_id",
                    "responsible_unit_id": "s.unit_id",
                    "leader_id": "s.leader_id",
                    "start": "g.due - 15",
                    "amount": "10",
                    "unit": "'working_days'",
                    "due_date": "g.due",
                    "derivation": "''",
                    "calendar_complete": "true",
                    "suspended": f"{'g.r < 0.03' if state == 'open' else 'false'}",
                    "state": f"'{state}'",
                    "met_on": "NULL::date" if state == "open" else "g.due - 1",
                    "met_on_time": "NULL::boolean" if state == "open" else "true",
                    "opened_at": "(g.due - 15)::timestamptz",
                },
                f"""(SELECT k, random() AS r,
                        CASE WHEN '{state}' = 'open' THEN current_date + (floor(random() * 180) - 60)::int
                             ELSE current_date - (floor(random() * 700))::int END AS due
                     FROM generate_series(1, {count}) k) g
                JOIN bench_subjects s ON s.n = 1 + (g.k * 7919) % {max(1, subjects)}""",
            )

    def derived(self) -> None:
        """What the application derives from rows after they are loaded by SQL: its post-migrate
        hooks (today: ``office.confidentiality.access.fill_missing`` computes ``access_keys``), as
        ``manage.py migrate`` would run them. Whatever the app keeps this way is then filled."""
        from django.core.management.sql import emit_post_migrate_signal

        started = time.monotonic()
        with transaction.atomic():
            try:  # the access keys of whole tables in one statement each (not a list of a million ids)
                from office.confidentiality import access

                for model in access.classified_models():
                    access.refresh(model)
                self.log(f"  access keys of every record ({time.monotonic() - started:.1f} s)")
            except (ImportError, AttributeError):
                pass
            emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        self.log(f"  post-migrate hooks (derived columns) ({time.monotonic() - started:.1f} s)")

    def claim_reminders(self) -> None:
        """The steady state of a running office: every reminder due up to today already claimed and
        sent (the app's own scan, once), so a measured tick finds what a real one does."""
        from office.reminders import services

        started = time.monotonic()
        try:
            with transaction.atomic():
                ids = services.scan()
        except Exception as error:
            self.log(f"  reminders: the app's scan failed ({error!r}); no reminders pre-claimed")
            return
        self.sql("UPDATE reminders_reminder SET state = 'sent', sent_at = claimed_at, attempts = 1")
        self.log(f"  reminders: {len(ids):,} claimed by one scan and marked sent ({time.monotonic() - started:.1f} s)")

    # --- All of it ------------------------------------------------------------------------------

    def run(self) -> dict:
        self.log(f"generating the {self.scale} bench office …")
        with transaction.atomic():
            self.sql("SET LOCAL session_replication_role = replica")
            self.organisation()
            self.lookups()
            self.outgoing()
            self.outgoing_grants()
            self.incoming()
            self.supervision()
            self.deadlines()
            self.sql("SET LOCAL session_replication_role = DEFAULT")
            self.reset_sequences()
        self.derived()
        started = time.monotonic()
        self.sql("VACUUM (ANALYZE)")
        self.log(f"  vacuum analyze ({time.monotonic() - started:.1f} s)")
        with transaction.atomic():
            self.claim_reminders()
        personas = {
            "wide": self.heads[self.city["id"]]["user"],
            "clerk": self.clerks[self.general_office["id"]][0]["user"],
            "narrow": self.narrow["user"],
            "grants": self.grants_person["user"],
        }
        numbering = {
            "series": self.numbering_series,
            "clerks": [row["user"] for row in self.numbering_clerks],
            "drafter": self.numbering_clerks[0]["id"],
            "unit": self.archive_office["id"],
        }
        counts = {"numbering": numbering, "search": {"2": SEARCH_2, "4": SEARCH_4}}
        for table in (
            "org_person",
            "documents_outgoingdocument",
            "documents_outgoingusergrant",
            "documents_outgoinggroupgrant",
            "documents_countersign",
            "documents_incomingdocument",
            "documents_assignment",
            "supervision_supervisionitem",
            "supervision_supervisiontask",
            "reminders_deadline",
            "reminders_reminder",
        ):
            counts[table] = self.scalar(f"SELECT count(*) FROM {table}")
        counts["open_deadlines"] = self.scalar("SELECT count(*) FROM reminders_deadline WHERE state = 'open'")
        counts["max_user_grants"] = self.scalar(
            "SELECT max(n) FROM (SELECT count(*) n FROM documents_outgoingusergrant GROUP BY user_id) g"
        )
        counts["database_size"] = self.scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
        seconds = time.monotonic() - self.started
        _write_meta(self.cursor, self.scale, self.stamp, personas, counts, seconds)
        for temp in (
            "bench_lineage",
            "bench_unit_people",
            "bench_organ_units",
            "bench_cleared",
            "bench_cleared_n",
            "bench_vocab",
            "bench_series",
            "bench_o",
            "bench_o2",
            "bench_o3",
            "bench_i",
            "bench_i2",
            "bench_sorgans",
            "bench_s",
            "bench_subjects",
        ):
            self.sql(f"DROP TABLE IF EXISTS {temp}")
        self.log(
            f"generated in {seconds:.0f} s: {json.dumps({k: v for k, v in counts.items() if k != 'numbering'}, ensure_ascii=False)}"
        )
        return {"scale": self.scale, "personas": personas, "counts": counts, "seconds": seconds}

    def reset_sequences(self) -> None:
        self.cursor.execute(
            """SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'id'"""
        )
        for table, column, sequence in self.cursor.fetchall():
            if sequence:
                self.sql(f"SELECT setval('{sequence}', GREATEST(1, (SELECT COALESCE(max({column}), 0) FROM {table})))")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array_text(values) -> str:
    return "ARRAY[" + ",".join(_quote(v) for v in values) + "]"


def generate(scale: str, *, log=print) -> dict:
    """Generate into the current database (the bench one, or a test database)."""
    with connection.cursor() as cursor:
        return Generator(cursor, scale, log=log).run()


def ensure(scale: str, *, regenerate: bool = False, log=print) -> dict:
    """The bench database holding ``scale``'s data of this version: made (dropped, created, migrated,
    generated) only when missing, of another scale or stamp, or when asked."""
    from django.core.management import call_command

    from bench import db

    original = db.original_settings()
    meta = None
    if db.database_exists(original):
        with connection.cursor() as cursor:
            meta = read_meta(cursor)
    if meta and meta["scale"] == scale and meta["stamp"] == stamp() and not regenerate:
        log(f"bench data: {scale}, stamp {meta['stamp']} — reused (BENCH_REGENERATE=1 makes it again)")
        return meta
    why = "asked" if regenerate else "none yet" if meta is None else f"was {meta['scale']}/{meta['stamp']}"
    log(f"bench data: making {scale} ({why}) in database {db.BENCH_DB}")
    db.recreate_database(original)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated ({time.monotonic() - started:.1f} s)")
    return generate(scale, log=log)


def main() -> int:
    from bench import db

    db.use_bench_database()
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}", file=sys.stderr)
        return 2
    ensure(scale, regenerate=os.environ.get("BENCH_REGENERATE") == "1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
