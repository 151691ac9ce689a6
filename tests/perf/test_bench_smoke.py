"""``make bench``'s instrument at small scale, as a correctness check (no timing is judged): the
generator fills the test database with the same SQL, every figure runs, and each list figure's
rows through the app equal its raw-SQL floor's (same ids, same order, same capped count)."""

import pytest

from bench import generate, run

pytestmark = pytest.mark.django_db(transaction=True)

FIGURES = {
    "发文 list API page 1",
    "收文 list API page 1",
    "发文 deep page",
    "发文 cursor page",
    "visibility vs naive guardian",
    "queries per API list",
    "发文 HTML list",
    "reminder scan tick",
    "督办台账 page",
    "收文 办结率 page",
    "收文 办结率 (selector)",
    "numbering, 32 issuers",
}
CHECKED = ("发文 list API page 1", "收文 list API page 1", "发文 deep page", "发文 search", "收文 办结率 (selector)")


def test_every_figure_runs_and_the_lists_return_the_floors_rows():
    meta = generate.generate("small", log=lambda *args: None)
    assert meta["counts"]["documents_outgoingdocument"] == generate.SCALES["small"]["outgoing"]
    assert set(meta["personas"]) == set(run.PERSONAS)

    rows = run.measure(meta, judge=False, reps=1, budget=0, numbering_total=32, log=lambda *args: None)

    figures = {row.figure for row in rows}
    assert figures >= FIGURES
    assert any(f.startswith("发文 search 2字") for f in figures) and any(
        f.startswith("发文 search 4字") for f in figures
    )
    assert [(r.figure, r.persona, r.error) for r in rows if r.error] == []
    checked = [row for row in rows if row.figure.startswith(CHECKED)]
    assert len(checked) == 4 * 3 + 4 * 2 + 4  # three list figures, two searches, 办结率, per persona
    assert [(r.figure, r.persona, r.note) for r in checked if r.equal is not True] == []
    # Rows the app returns at all: a visibility rule that saw nothing would "equal" an empty floor.
    assert all(not row.note.startswith("0 rows") for row in rows if row.figure == "发文 list API page 1")
    numbering = next(row for row in rows if row.figure.startswith("numbering"))
    assert numbering.equal, numbering.note  # 0 duplicates, 0 gaps, no errors
    assert run.verdict(rows)[0]
    assert run.table(rows).startswith("figure ")
