"""发文字号: 代字〔YYYY〕N号 from a per-series, per-year counter, taken at 登记; unique and gapless under
concurrent registration; a voided number stays in the ledger and is never reused; a new year (or
another series) starts again at 1."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import DocumentNumber, DocumentSeries, DocumentState, NumberCounter, NumberState, Transition
from documents.outgoing import services
from documents.outgoing.checker import NUMBER_FORMAT
from office import search
from office.org.models import User
from office.reminders import services as reminders
from office.reminders.models import Deadline
from office.workflow import TransitionNotAllowed

S = DocumentState
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def ledger(series: DocumentSeries) -> list[tuple[int, int, str, str]]:
    return list(
        DocumentNumber.objects.filter(series=series)
        .order_by("year", "sequence")
        .values_list("year", "sequence", "state", "void_reason")
    )


def test_registration_numbers_the_series_from_one(office, make_document, walk):
    """GIVEN two documents at 复核 in 2026 WHEN the clerk registers them THEN they are 测办发〔2026〕1号
    and 测办发〔2026〕2号: six-corner brackets, the full year, no padding, no 第, in the ledger."""
    with time_machine.travel(at(2026, 6, 15), tick=False):
        first = walk(make_document(), S.RECHECK)
        second = walk(make_document(title="测试办公室关于做好年终安全工作的通知"), S.RECHECK)

        first = services.outgoing_register(actor=office.clerk.user, document=first)
        second = services.outgoing_register(actor=office.clerk.user, document=second)

    assert (first.number_text, second.number_text) == ("测办发〔2026〕1号", "测办发〔2026〕2号")
    assert all(NUMBER_FORMAT.match(document.number_text) for document in (first, second))
    assert ledger(office.series) == [(2026, 1, NumberState.ASSIGNED, ""), (2026, 2, NumberState.ASSIGNED, "")]
    assert NumberCounter.objects.get(series=office.series, year=2026).last == 2
    assert first.printed_on.isoformat() == "2026-06-15"


def test_a_voided_number_stays_void_and_is_never_reused(office, make_document, walk):
    """GIVEN a registered document (1号) WHEN the clerk voids its number with a reason THEN the
    ledger keeps 1号 as void with the reason, the document is back at 复核 without a number, the
    next document registered gets 2号 and the first, registered again, 3号 — never 1号 again."""
    with time_machine.travel(at(2026, 6, 15), tick=False):
        first = walk(make_document(), S.REGISTERED)
        voided = services.number_void(actor=office.clerk.user, number=first.number, reason="代字选错")

        first.refresh_from_db()
        assert (first.state, first.number) == (S.RECHECK, None)
        assert Transition.objects.filter(document=first).last().comment == "测办发〔2026〕1号：代字选错"

        second = walk(make_document(title="测试办公室关于做好年终安全工作的通知"), S.REGISTERED)
        first = services.outgoing_register(actor=office.clerk.user, document=first)

    assert (voided.state, voided.void_reason) == (NumberState.VOID, "代字选错")
    assert (second.number_text, first.number_text) == ("测办发〔2026〕2号", "测办发〔2026〕3号")
    assert ledger(office.series) == [
        (2026, 1, NumberState.VOID, "代字选错"),
        (2026, 2, NumberState.ASSIGNED, ""),
        (2026, 3, NumberState.ASSIGNED, ""),
    ]


def test_voiding_a_number_is_refused_when_it_should_be(office, make_document, walk):
    """GIVEN a registered document and an issued one WHEN the drafter voids a number THEN
    PermissionDenied; WHEN the clerk gives no reason THEN ValidationError; WHEN the clerk voids the
    issued document's number, or a number already void THEN TransitionNotAllowed."""
    registered = walk(make_document(), S.REGISTERED)
    issued = walk(make_document(title="测试办公室关于做好年终安全工作的通知"), S.ISSUED)
    number = registered.number

    with pytest.raises(PermissionDenied):
        services.number_void(actor=office.drafter.user, number=number, reason="错号")
    with pytest.raises(ValidationError):
        services.number_void(actor=office.clerk.user, number=number, reason="  ")
    with pytest.raises(TransitionNotAllowed):
        services.number_void(actor=office.clerk.user, number=issued.number, reason="错号")
    services.number_void(actor=office.clerk.user, number=number, reason="错号")
    with pytest.raises(TransitionNotAllowed):
        services.number_void(actor=office.clerk.user, number=number, reason="再作废")

    assert DocumentNumber.objects.get(pk=issued.number_id).state == NumberState.ASSIGNED


def test_a_new_year_starts_again_at_one(office, make_document, walk):
    """GIVEN 测办发 numbered up to 2号 in 2026 WHEN a document is registered on the first working day
    of 2027 THEN it is 测办发〔2027〕1号, and each year keeps its own counter."""
    with time_machine.travel(at(2026, 12, 31), tick=False):
        december = [walk(make_document(), S.REGISTERED), walk(make_document(), S.REGISTERED)]
    with time_machine.travel(at(2027, 1, 4, 9), tick=False):
        january = walk(make_document(), S.REGISTERED)

    assert [d.number_text for d in december] == ["测办发〔2026〕1号", "测办发〔2026〕2号"]
    assert january.number_text == "测办发〔2027〕1号"
    counters = NumberCounter.objects.filter(series=office.series).order_by("year").values_list("year", "last")
    assert list(counters) == [(2026, 2), (2027, 1)]


def test_each_series_has_its_own_counter(office, make_document, walk):
    """GIVEN 测办发 at 1号 WHEN a letter of the 测办函 series is registered THEN it is 测办函〔YYYY〕1号."""
    letters = DocumentSeries.objects.create(
        organ=office.office, office=office.office, code="测办函", issuer_name="测试办公室", template="letter"
    )
    with time_machine.travel(at(2026, 6, 15), tick=False):
        walk(make_document(), S.REGISTERED)
        letter = walk(
            make_document(series=letters, kind="letter", title="测试办公室关于商请提供年终统计数据的函"),
            S.REGISTERED,
        )

    assert letter.number_text == "测办函〔2026〕1号"


def statements(queries) -> list[tuple[str, str, str]]:
    """The captured statements as (verb, first table named, SQL), savepoints left out."""
    rows = []
    for query in queries.captured_queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper()
        if verb not in ("SAVEPOINT", "RELEASE"):
            rows.append((verb, sql.split('"', 2)[1] if '"' in sql else "", sql))
    return rows


def test_the_number_is_taken_last(office, make_document, walk):
    """GIVEN a document at 复核 WHEN the clerk registers it THEN the series' counter row is locked
    (its one upsert) by the step's last statement, after every other write of the step — the
    document's move, the 复核 deadline met, the 登记 one opened — and that one statement also
    writes the ledger row, the document's number with its search text, and the 流转记录 naming the
    number: the counter stays locked for one statement and the commit."""
    document = walk(make_document(), S.RECHECK)

    with CaptureQueriesContext(connection) as queries:
        document = services.outgoing_register(actor=office.clerk.user, document=document)

    sql = statements(queries)
    steps = [(verb, table) for verb, table, _ in sql]
    counter_table, document_table = NumberCounter._meta.db_table, document._meta.db_table
    counter = [i for i, (_, _table, text) in enumerate(sql) if f'INSERT INTO "{counter_table}"' in text]
    assert len(counter) == 1, steps  # one statement takes (and locks) the number
    last = sql[counter[0]][2]
    assert "ON CONFLICT" in last and counter[0] == len(sql) - 1, steps  # nothing after it but the commit
    written = [f"INSERT INTO {DocumentNumber._meta.db_table}", f"UPDATE {document_table}"]
    assert all(part in last for part in [*written, f"INSERT INTO {Transition._meta.db_table}"]), last
    before = steps[: counter[0]]
    assert ("UPDATE", document_table) in before  # the move: state, copies, 印发日期
    assert ("UPDATE", Deadline._meta.db_table) in before and ("INSERT", Deadline._meta.db_table) in before
    assert sql[0][1] == document_table and "FOR UPDATE" in sql[0][2]  # the document's own row lock first
    assert document.number_text == f"测办发〔{timezone.localdate().year}〕1号"
    step = Transition.objects.filter(document=document).last()
    assert (step.action, step.from_state, step.to_state, step.comment, step.actor) == (
        "登记编号",
        S.RECHECK,
        S.REGISTERED,
        document.number_text,
        office.clerk.user,
    )
    assert step.actor_name == office.clerk.name
    assert services.OutgoingDocument.objects.filter(search_vector=search.query(document.number_text)).get() == document


def test_the_numbered_search_text_is_the_documents_own(office, make_document, walk):
    """GIVEN a document whose title, body and attachment note hold Latin words and numbers WHEN it
    is registered (the search text written by the numbering statement) THEN its search vector is
    exactly the one its texts give (the number's sequence among them, in its place), as a later
    edit would write it."""
    document = make_document(title="测试办公室关于ABC 2026年第3批项目的通知", body="正文 x1 第7条 ok，见附件v2说明")
    document = services.outgoing_register(actor=office.clerk.user, document=walk(document, S.RECHECK))

    with connection.cursor() as cursor:
        expected = search.document_text(document.title, document.number_text, document.body, document.attachment_note)
        cursor.execute(
            f"SELECT search_vector = to_tsvector('simple', %s) FROM {document._meta.db_table} WHERE id = %s",  # noqa: S608
            [expected, document.pk],
        )
        assert cursor.fetchone() == (True,)
    sequence = str(document.number.sequence)
    assert services.OutgoingDocument.objects.filter(search_vector=search.query(f"ABC {sequence}")).get() == document


def test_a_registration_failing_in_its_numbering_statement_leaves_no_gap(office, make_document, walk, monkeypatch):
    """GIVEN two documents at 复核 WHEN the first's 登记 fails in its last statement, the one that
    takes the number (its 流转记录 refused: an action too long for the column) THEN nothing of it
    stays — no ledger row, the counter untouched, the document at 复核 with no number and its 复核
    deadline still open — and the next registrations get 1号 and 2号: no number lost."""
    with time_machine.travel(at(2026, 6, 15), tick=False):
        first = walk(make_document(), S.RECHECK)
        second = walk(make_document(title="测试办公室关于做好年终安全工作的通知"), S.RECHECK)
        open_before = [(d.pk, d.state) for d in reminders.deadlines_of(first)]
        values = services.OUTGOING.event_values

        def refused(record, **kwargs):
            return {**values(record, **kwargs), "action": "登" * 300}

        with (
            monkeypatch.context() as patch,
            CaptureQueriesContext(connection) as queries,
            pytest.raises(DatabaseError),
        ):
            patch.setattr(services.OUTGOING, "event_values", refused)
            services.outgoing_register(actor=office.clerk.user, document=first)

        writes = [sql for verb, _table, sql in statements(queries) if verb != "ROLLBACK"]
        assert "ON CONFLICT" in writes[-1]  # the statement taking the number failed
        first.refresh_from_db()
        assert (first.state, first.number, first.printed_on) == (S.RECHECK, None, None)
        assert ledger(office.series) == []
        assert not NumberCounter.objects.filter(series=office.series, year=2026, last__gt=0).exists()
        assert [(d.pk, d.state) for d in reminders.deadlines_of(first)] == open_before
        assert "open" in dict(open_before).values()

        second = services.outgoing_register(actor=office.clerk.user, document=second)
        first = services.outgoing_register(actor=office.clerk.user, document=first)

    assert (second.number_text, first.number_text) == ("测办发〔2026〕1号", "测办发〔2026〕2号")
    assert ledger(office.series) == [(2026, 1, NumberState.ASSIGNED, ""), (2026, 2, NumberState.ASSIGNED, "")]


THREADS, EACH = 8, 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_is_unique_and_gapless(office, make_document, walk):
    """GIVEN 200 documents at 复核 WHEN 8 clerks' sessions (separate connections) register 25 each
    at the same moment THEN the 200 numbers are 1..200 of this year's series: no duplicate, no gap,
    every document has its own, and the counter stands at 200."""
    documents = [walk(make_document(title=f"测试办公室关于第{i + 1}项年终工作的通知"), S.RECHECK) for i in range(200)]
    year = timezone.localdate().year
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def register(share):
        try:
            clerk = User.objects.get(pk=office.clerk.user.pk)
            barrier.wait(timeout=60)
            for document in share:
                services.outgoing_register(actor=clerk, document=document)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(documents[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    sequences = sorted(
        DocumentNumber.objects.filter(series=office.series, year=year).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, 201))
    numbered = office.series.numbers.filter(document__in=[d.pk for d in documents])
    assert numbered.count() == 200
    assert NumberCounter.objects.get(series=office.series, year=year).last == 200
