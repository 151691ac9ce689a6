# ruff: noqa: S608 — SQL built from the bench's own constants and integers, kept on long lines
"""The organisation: organs, units, people with logins, roles, lookups."""

from __future__ import annotations

from bench.shape import BUREAUS, CITY_SECTIONS, KINDS, SECTIONS, TOPICS


class Organisation:
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
