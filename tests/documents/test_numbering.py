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
from django.db import connection
from django.utils import timezone

from documents.models import DocumentNumber, DocumentSeries, DocumentState, NumberCounter, NumberState, Transition
from documents.outgoing import services
from documents.outgoing.checker import NUMBER_FORMAT
from office.org.models import User
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
