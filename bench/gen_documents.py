# ruff: noqa: E501, S608 — SQL built from the bench's own constants and integers, kept on long lines
"""发文 (with numbers, countersigns, person and unit grants) and 收文 (with 承办 assignments)."""

from __future__ import annotations

import time

from bench.shape import (
    BODY,
    CLASSIFICATION,
    INCOMING_STATES,
    NUMBERED,
    OUTGOING_STATES,
    SIGNED,
    _array_text,
    _case,
    _ints,
    _quote,
)


class Documents:
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
                "restricted": "false",
                "barred_keys": "'{}'::bigint[]",
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
