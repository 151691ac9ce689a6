"""``python -m bench`` (``make bench``): make the bench data if needed, measure, print the table.

``BENCH_SCALE`` = ``full`` (default) or ``small``; ``BENCH_REGENERATE=1`` makes the data again;
``BENCH_REPS`` (default 30 at full scale) and ``BENCH_CELL_SECONDS`` (default 20: a cell stops
repeating after that long, with at least 5 repetitions) bound the run. The exit status is 1 when
a goal is missed at full scale, or when a figure failed to run or its rows differ from the floor's
at any scale."""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    from bench import db

    db.use_bench_database()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    from bench import generate, run

    setup_test_environment()  # the test client's host, mail kept in memory
    scale = os.environ.get("BENCH_SCALE", "full")
    if scale not in generate.SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(generate.SCALES)}", file=sys.stderr)
        return 2
    meta = generate.ensure(scale, regenerate=os.environ.get("BENCH_REGENERATE") == "1")
    judge = scale == "full"
    print(f"measuring ({'goals judged' if judge else 'small scale: rows checked, timings not judged'}) …")
    started = time.monotonic()
    rows = run.measure(meta, judge=judge)
    print()
    documents = meta["counts"].get("documents_outgoingdocument", 0)
    print(f"make bench — scale {scale}, database {db.BENCH_DB}, {documents:,} 发文")
    from django.contrib.auth import get_user_model

    from bench import floors

    for name, uid in meta["personas"].items():
        user = get_user_model().objects.select_related("person__unit").get(pk=uid)
        seen = floors.visible_count(floors.OUTGOING, uid), floors.visible_count(floors.INCOMING, uid)
        person = user.person
        print(
            f"  {name:<7} {person.name}（{person.unit.name} {person.post}，密级 {person.clearance}）"
            f" sees {seen[0]:,} 发文, {seen[1]:,} 收文"
        )
    print(run.table(rows))
    passed, failed = run.verdict(rows)
    out = settings.BASE_DIR / ".var" / f"bench-{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            [
                {
                    "figure": r.figure,
                    "persona": r.persona,
                    "p50": r.p50,
                    "p95": r.p95,
                    "floor_p50": r.floor_p50,
                    "ratio": r.ratio,
                    "queries": r.queries,
                    "n": len(r.times),
                    "goal": r.goal,
                    "ok": r.ok,
                    "equal": r.equal,
                    "value": r.value,
                    "note": r.note,
                    "error": r.error,
                }
                for r in rows
            ],
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"\n{len(rows)} figures in {time.monotonic() - started:.0f} s; results in {out}")
    if passed:
        print("every goal met" if judge else "every figure ran and every row check passed")
        return 0
    print(f"{len(failed)} missed: " + "; ".join(failed))
    return 1


if __name__ == "__main__":
    sys.exit(main())
