# ruff: noqa: E501, S608 — SQL built from the bench's own constants and integers, kept on long lines
"""督办 items with tasks, and the open deadlines with their reminders."""

from __future__ import annotations

from bench.shape import CLASSIFICATION, _ints


class SupervisionAndDeadlines:
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
