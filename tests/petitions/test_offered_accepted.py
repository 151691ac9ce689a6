"""Offered ⇔ accepted for ``petitions.rules.CASE``: for a case in every state (built through the
services), every person of ``petition_city`` and every step, the step is offered exactly when the
service takes it (each attempt in a savepoint rolled back; ``tests.workflow.harness``)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from office.org.models import User
from petitions import services
from petitions.models import CaseState, Kind, PetitionCase, Route
from petitions.rules import CASE, answering_unit
from tests.workflow.harness import mismatches

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False) as traveller:
        yield traveller


def attempt_for(city, other: PetitionCase):
    """``attempt(step, user, case)`` with valid arguments for each step; ``other`` is an open case
    the 信访科 sees (what 关联 and 并案 point to)."""
    org = city.org

    def attempt(step: str, user: User, case: PetitionCase) -> None:
        day = timezone.localdate()
        if step == "route":
            services.case_route(actor=user, case=case, route=Route.DIRECT)
        elif step == "link":
            services.case_link(actor=user, case=case, original=other)
        elif step == "merge":
            services.case_merge(actor=user, case=case, into=other, reason="同一事项")
        elif step == "accept":
            services.case_accept(actor=user, case=case)
        elif step == "object":
            services.case_object(actor=user, case=case, reason="不属于本单位职责")
        elif step == "note":
            services.case_note(actor=user, case=case, kind="investigation", on=day, text="现场调查")
        elif step == "hearing":
            services.case_hearing(actor=user, case=case, on=day, text="举行听证")
        elif step == "hearing_end":
            services.case_hearing_end(actor=user, case=case, on=day, text="听证结束")
        elif step == "ask_extension":
            services.case_ask_extension(actor=user, case=case, days=10, reason="需要鉴定")
        elif step == "extend":
            services.case_extend(actor=user, case=case, days=10, reason="需要鉴定")
        elif step == "reply":
            unit = answering_unit(case) or org.bureau  # nobody answers yet: any series will do
            series = city.series[(unit.organ or unit).pk]
            services.case_reply(actor=user, case=case, opinion="support", facts="属实", basis="条例", series=series)
        elif step == "serve":
            services.case_serve(actor=user, case=case, on=day, method="in_person")
        elif step == "review_request":
            unit = org.city if case.stage == "first" else city.province
            services.case_review_request(actor=user, case=case, on=day, reviewing_unit=unit, reason="不服")
        elif step == "rate":
            services.case_rate(actor=user, case=case, satisfaction="satisfied", on=day)
        elif step == "close":
            services.case_close(actor=user, case=case)
        elif step == "archive":
            services.case_archive(actor=user, case=case, retention="30年")
        elif step == "instruct":
            services.case_instruct(actor=user, case=case, text="请抓紧办理")
        elif step == "attach":
            upload = SimpleUploadedFile("回证.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf")
            services.case_attach(actor=user, case=case, upload=upload, name="送达回证")
        else:  # a step added to the machine needs its attempt here
            raise AssertionError(step)

    return attempt


def test_every_step_is_offered_exactly_when_the_service_takes_it(
    today, settings, tmp_path, petition_city, flow, new_case
):
    """GIVEN cases in every state — registered (one urgent, so the leader is inside), transferred,
    in hand (plain, in a hearing, extended, with an unsigned and with a signed 答复意见书), replied,
    in 复查 and 复核, final, closed, archived, not accepted, merged, and a repeat of a final matter
    (不再受理 open) — WHEN each person of the fixture tries each step THEN what is offered is what the
    service takes."""
    settings.MEDIA_ROOT = tmp_path  # the uploads of 上传材料
    org = petition_city.org
    officer = org.registrar.user
    other = new_case(title="关于同一小区漏水的来信")
    cases = {state: flow.to(new_case(), state) for state in ("registered", "transferred", "handling", "replied")}
    cases["urgent"] = new_case(urgent=True)
    hearing = flow.to(new_case(), "handling")
    services.case_hearing(actor=org.bureau_clerk.user, case=hearing, on=date(2026, 3, 9), text="听证")
    asked = flow.to(new_case(), "handling")
    services.case_ask_extension(actor=org.bureau_clerk.user, case=asked, days=10, reason="需要鉴定")
    extended = flow.to(new_case(), "handling")
    services.case_ask_extension(actor=org.bureau_clerk.user, case=extended, days=10, reason="需要鉴定")
    services.case_extend(actor=org.bureau_head.user, case=extended, days=10, reason="需要鉴定")
    drafted = flow.to(new_case(), "handling")
    flow.reply(drafted)
    signed = flow.to(new_case(), "handling")
    flow.reply(signed)
    flow.sign(signed)
    cases.update(hearing=hearing, asked=asked, extended=extended, drafted=drafted, signed=signed)
    for state in ("reviewing", "reviewed", "rereviewing", "final", "closed"):
        cases[state] = flow.to(new_case(), state)
    archived = flow.to(new_case(), "closed")
    cases["archived"] = services.case_archive(actor=officer, case=archived, retention="30年")
    refused = new_case()
    cases["not_accepted"] = services.case_route(actor=officer, case=refused, route=Route.STATUTORY, note="请诉讼")
    merged = new_case()
    cases["merged"] = services.case_merge(actor=officer, case=merged, into=other)
    repeat = new_case()
    cases["repeat"] = services.case_link(actor=officer, case=repeat, original=cases["final"])
    cases["accusation"] = flow.to(new_case(kind=Kind.ACCUSATION, accused_unit=org.finance), "handling")

    assert {c.state for c in cases.values()} == set(CaseState.values)
    assert "refuse" in CASE.offered(officer, PetitionCase.objects.get(pk=repeat.pk))["route"]
    people = list(User.objects.filter(person__isnull=False).order_by("username"))
    assert len(people) == 17
    assert mismatches(CASE, list(cases.values()), people, attempt_for(petition_city, other)) == []
