"""``selectors.figures`` against counts made by hand: 及时受理率, 按期办结率, 参评率, 满意率, 重复, 越级,
集体访件数与人数, 初信初访一次性化解率 — for the whole, by unit, category and area — over cases moved
through the services; cases the viewer may not see (another organ's, an accusation of the viewer
himself) and merged ones change no figure."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from office.org.models import Role
from petitions import selectors, services
from petitions.models import BeyondLevel, Channel, IssueCategory, Kind, Route
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FIELDS = (
    "total",
    "accepted",
    "accepted_on_time",
    "answered",
    "answered_on_time",
    "rated",
    "satisfied",
    "repeats",
    "beyond",
    "mass",
    "mass_people",
    "first_time",
    "first_time_resolved",
)


def counts(row) -> dict:
    return {name: getattr(row, name) for name in FIELDS}


def person(name: str, id_number: str = ""):
    return services.PetitionerSpec(name=name, id_number=id_number)


@pytest.fixture
def world(petition_city, flow, new_case):
    """Received Monday 9 March 2026 (the clock then runs on):

    A 张大山 (ID), 东区, 房屋质量: 转送 城建科, accepted and answered at once, 满意, 办结.
    B 李四, 房屋质量: 直接受理 in 城建科 (赵科员), answered 11 May past its 8 May, 不满意, 办结.
    C 张大山 again (not 初信), 赴省, linked to A; waits to be routed.
    D a visit of 30 (three named), 东区, 社会保障: 转送 财政局, accepted 30 March (past 24 March).
    F 王五, 社会保障: 诉访分离.
    G 赵六 merged into A (counted nowhere).
    H a bureau 信访员's own visit of 50 (another organ: not the 信访科's).
    J an accusation of 李信访 himself, 赴京, registered by 孙信访 (李信访 may not see it).
    """
    org = petition_city.org
    officer = org.registrar.user
    east = OrganFactory(name="测试市东区")
    social = IssueCategory.objects.create(name="社会保障", code="social")
    travel = time_machine.travel("2026-03-09 10:00 +0800", tick=False)
    traveller = travel.start()
    a = new_case(area=east)
    b = new_case(petitioners=[person("李四")])
    c = new_case(beyond_level=BeyondLevel.PROVINCE)
    villagers = [person(f"村民{n}", f"33010219700101{n:04d}") for n in range(1, 4)]
    d = new_case(channel=Channel.VISIT, petitioners=villagers, headcount=30, area=east, category=social)
    f = new_case(petitioners=[person("王五")], category=social)
    g = new_case(petitioners=[person("赵六")])
    bureau_officer = make_person(username="pt-bx", unit=org.bureau, roles=(Role.PETITION_OFFICER,))
    new_case(actor=bureau_officer.user, channel=Channel.VISIT, petitioners=villagers, headcount=50)
    new_case(
        kind=Kind.ACCUSATION,
        accused_person=org.intake_colleague,
        beyond_level=BeyondLevel.CAPITAL,
        channel=Channel.VISIT,
        headcount=9,
        petitioners=[person("钱七")],
    )

    a = flow.answer(flow.accept(flow.transfer(a)))
    services.case_rate(actor=officer, case=a, satisfaction="satisfied", on=date(2026, 3, 9))
    services.case_close(actor=officer, case=a)
    b = services.case_route(
        actor=officer, case=b, route=Route.DIRECT, unit=org.bureau_section, handler=org.bureau_clerk
    )
    services.case_link(actor=officer, case=c, original=a)
    services.case_merge(actor=officer, case=g, into=b)
    d = flow.transfer(d, unit=org.finance)
    services.case_route(actor=officer, case=f, route=Route.STATUTORY, note="请依法申请劳动仲裁")
    traveller.move_to("2026-03-30 10:00 +0800")
    services.case_accept(actor=org.finance_clerk.user, case=d)
    traveller.move_to("2026-05-11 10:00 +0800")
    b = flow.answer(b)
    services.case_rate(actor=officer, case=b, satisfaction="unsatisfied", on=date(2026, 5, 11))
    services.case_close(actor=officer, case=b)
    yield petition_city
    travel.stop()


WHOLE = {
    "total": 5,  # A B C D F (G merged, H another organ's, J hidden from 李信访)
    "accepted": 3,  # A B D
    "accepted_on_time": 2,  # A B
    "answered": 2,  # A B
    "answered_on_time": 1,  # A
    "rated": 2,
    "satisfied": 1,
    "repeats": 1,  # C
    "beyond": 1,  # C
    "mass": 1,  # D
    "mass_people": 30,
    "first_time": 4,  # A B D F
    "first_time_resolved": 1,  # A (B 不满意, D open, F not accepted)
}


def test_the_whole_equals_the_hand_count(world):
    viewer = world.org.intake_colleague.user
    (row,) = selectors.figures(user=viewer, by="unit", start=MARCH[0], end=MARCH[1], whole=True)
    assert counts(row) == WHOLE
    assert (row.timely_acceptance, row.on_time, row.participation, row.satisfaction, row.first_time_rate) == (
        66.7,
        50.0,
        100.0,
        50.0,
        25.0,
    )


def test_a_case_the_viewer_may_not_see_changes_no_figure(world):
    """孙信访 registered J (an accusation of 李信访): it counts for him, never for 李信访."""
    args = {"by": "unit", "start": MARCH[0], "end": MARCH[1], "whole": True}
    (mine,) = selectors.figures(user=world.org.registrar.user, **args)
    expected = {**WHOLE, "total": 6, "beyond": 2, "mass": 2, "mass_people": 39, "first_time": 5}
    assert counts(mine) == expected
    (theirs,) = selectors.figures(user=world.org.bureau_clerk.user, **args)
    assert (theirs.total, theirs.mass_people) == (3, 50)  # A and B (城建科's) and H (his bureau's own)


def test_by_unit_category_and_area(world):
    viewer = world.org.intake_colleague.user

    def rows(by):
        return {
            row.label: (row.total, row.answered, row.answered_on_time, row.mass_people, row.first_time)
            for row in selectors.figures(user=viewer, by=by, start=MARCH[0], end=MARCH[1])
        }

    assert rows("unit") == {"城建科": (2, 2, 1, 0, 2), "测试市财政局": (1, 0, 0, 30, 1), "（未定）": (2, 0, 0, 0, 1)}
    assert rows("category") == {"房屋质量": (3, 2, 1, 0, 2), "社会保障": (2, 0, 0, 30, 2)}
    assert rows("area") == {"测试市东区": (2, 1, 1, 30, 2), "（未定）": (3, 1, 0, 0, 2)}


def test_the_period_counts_what_was_received_in_it(world):
    viewer = world.org.intake_colleague.user
    (april,) = selectors.figures(user=viewer, by="unit", start=date(2026, 4, 1), end=date(2026, 4, 30), whole=True)
    assert april.total == 0 and april.on_time is None
