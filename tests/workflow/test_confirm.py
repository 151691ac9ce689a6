"""The confirmation step before an irreversible act (``Step.confirm``, office/workflow/confirm.py).

A page post without ``confirmed`` answers a confirmation page that repeats what will happen and
changes nothing; the same post with ``confirmed`` takes the step; the API takes it directly.
"""

# ruff: noqa: F811  (the fixtures of tests/documents and tests/supervision, imported by name)
from __future__ import annotations

import re

import pytest
from django.utils import timezone

from documents.models import DocumentState, NumberCounter
from documents.outgoing import services as outgoing_services
from supervision.models import ItemState, TaskState
from tests.documents.conftest import advance, bureau, make_document, office, receive, walk  # noqa: F401
from tests.documents.outgoing_api_helpers import post as api_post
from tests.supervision.conftest import city, in_review, item, open_item, split, task, today  # noqa: F401

pytestmark = pytest.mark.django_db
S = DocumentState


def outgoing_action(document, action: str) -> str:
    return f"/documents/outgoing/{document.pk}/{action}/"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_register_asks_first_naming_the_number_it_will_take(client, office, make_document, walk):
    """GIVEN a document in 复核 and the series' counter at 4 this year
    WHEN the clerk posts 登记编号 without ``confirmed``
    THEN a confirmation page names 测办发〔YYYY〕5号, carries the typed fields again, and nothing
    moves or is numbered; WHEN he posts it with ``confirmed`` THEN it is registered as 5号."""
    year = timezone.localdate().year
    NumberCounter.objects.create(series=office.series, year=year, last=4)
    document = walk(make_document(), S.RECHECK)
    client.force_login(office.clerk.user)

    asked = client.post(outgoing_action(document, "register"), {"register-copies": "3"})

    assert asked.status_code == 200
    page = text_of(asked)
    assert 'data-testid="confirm-page"' in page
    assert f"登记后将占用发文字号 测办发〔{year}〕5号" in page
    assert 'name="register-copies" value="3"' in page and 'name="confirmed" value="1"' in page
    document.refresh_from_db()
    assert document.state == S.RECHECK and document.number_id is None
    assert NumberCounter.objects.get(series=office.series, year=year).last == 4

    done = client.post(outgoing_action(document, "register"), {"register-copies": "3", "confirmed": "1"}, follow=True)

    document.refresh_from_db()
    assert document.state == S.REGISTERED and document.number_text == f"测办发〔{year}〕5号"
    assert document.copies == 3
    assert f"已登记，发文字号：测办发〔{year}〕5号。" in text_of(done)


def test_sign_asks_first_but_a_return_does_not(client, office, make_document, walk):
    """GIVEN a document waiting for the director's 签发
    WHEN he posts 签发 without ``confirmed`` THEN the confirmation says the date becomes the 成文日期
    and the document waits still; WHEN he posts 退回 THEN it goes back at once (no act to confirm)."""
    document = walk(make_document(), S.SIGNOFF)
    client.force_login(office.director.user)

    asked = client.post(outgoing_action(document, "sign"), {"sign-decision": "approve", "sign-comment": "同意"})
    assert "签发后公文定稿，签发日期即成文日期" in text_of(asked)
    document.refresh_from_db()
    assert document.state == S.SIGNOFF

    client.post(outgoing_action(document, "sign"), {"sign-decision": "return", "sign-comment": "请补充依据"})
    document.refresh_from_db()
    assert document.state == S.DRAFT


def test_issue_and_void_ask_first_and_the_page_marks_them(client, office, make_document, walk):
    """GIVEN a registered document and a draft
    WHEN their pages are read THEN the 核发 and 作废草稿 forms carry the dialog's text, 作废草稿 sits
    below the divider of irreversible acts; WHEN 作废 is posted without ``confirmed`` THEN nothing
    happens, with it THEN the draft is voided."""
    registered = walk(make_document(), S.REGISTERED)
    draft = make_document(title="测试办公室关于另一事项的通知")

    client.force_login(office.clerk.user)
    page = text_of(client.get(f"/documents/outgoing/{registered.pk}/"))
    assert re.search(r'data-testid="action-issue" data-confirm="核发后', page)

    client.force_login(office.drafter.user)
    page = text_of(client.get(f"/documents/outgoing/{draft.pk}/"))
    destructive = page.index('data-testid="destructive-actions"')
    assert page.index('data-testid="action-submit"') < destructive < page.index('data-testid="action-void"')
    assert re.search(r'data-testid="action-void" data-confirm="草稿作废后不能恢复', page)

    asked = client.post(outgoing_action(draft, "void"), {"void-reason": "重复起草"})
    draft.refresh_from_db()
    assert 'data-testid="confirm-page"' in text_of(asked) and draft.state == S.DRAFT
    client.post(outgoing_action(draft, "void"), {"void-reason": "重复起草", "confirmed": "1"})
    draft.refresh_from_db()
    assert draft.state == S.VOIDED


def test_bad_input_and_a_step_not_open_now_are_refused_before_any_confirmation(client, office, make_document, walk):
    """GIVEN a draft WHEN 作废 is posted without a reason THEN the form error (400), not a
    confirmation; GIVEN a document in 核稿 WHEN the clerk posts 核发 THEN the workflow's 409."""
    draft = make_document()
    client.force_login(office.drafter.user)
    bad = client.post(outgoing_action(draft, "void"), {"void-reason": ""})
    assert bad.status_code == 400 and 'data-testid="confirm-page"' not in text_of(bad)

    reviewing = walk(make_document(title="测试办公室关于核稿中的通知"), S.REVIEW)
    client.force_login(office.clerk.user)
    too_early = client.post(outgoing_action(reviewing, "issue"), {})
    assert too_early.status_code == 409 and "公文须先登记编号再核发。" in text_of(too_early)


def test_the_api_takes_irreversible_steps_without_confirmation(office, make_document, walk):
    """GIVEN a document in 复核 WHEN the clerk registers and issues it through the API (no
    ``confirmed``) THEN both steps are taken: other systems confirm nothing."""
    document = walk(make_document(), S.RECHECK)

    assert api_post(office.clerk, document, "register").status_code == 200
    assert api_post(office.clerk, document, "issue").status_code == 200

    document.refresh_from_db()
    assert document.state == S.ISSUED


def test_incoming_complete_asks_first(client, bureau, receive, advance):
    """GIVEN a 收文 in 办理 WHEN the lead unit's head posts 办结 without ``confirmed`` THEN the
    confirmation (the 办理时限 end) and the document still in 办理; with it THEN 办结."""
    document = advance(receive(), "handling")
    client.force_login(bureau.budget_head.user)
    url = f"/documents/incoming/{document.pk}/complete/"
    data = {"complete-result": "已落实。", "complete-reply": ""}

    asked = client.post(url, data)
    assert "办结后本文的办理时限全部终结" in text_of(asked)
    document.refresh_from_db()
    assert document.state == "handling"

    client.post(url, {**data, "confirmed": "1"})
    document.refresh_from_db()
    assert document.state == "done"


def test_supervision_review_and_cancel_ask_first(client, city, in_review, open_item):
    """GIVEN a task's final report in review and an item in hand
    WHEN the 督查员 posts 审结 or 撤销 without ``confirmed`` THEN confirmation pages and nothing
    changes; 退回重办 is not asked; with ``confirmed`` THEN 审结 and 撤销 are taken."""
    reviewed = in_review
    client.force_login(city.supervisor.user)
    review_url = f"/supervision/{reviewed.item_id}/tasks/{reviewed.pk}/review/"

    asked = client.post(review_url, {"review-decision": "accept", "review-comment": "同意。"})
    assert "审结后任务办结" in text_of(asked)
    reviewed.refresh_from_db()
    assert reviewed.state == TaskState.REVIEW
    client.post(review_url, {"review-decision": "accept", "review-comment": "同意。", "confirmed": "1"})
    reviewed.refresh_from_db()
    assert reviewed.state == TaskState.DONE

    other = open_item(title="另一项督办事项")
    cancel_url = f"/supervision/{other.pk}/cancel/"
    assert "撤销后督办事项及其全部任务终止" in text_of(client.post(cancel_url, {"cancel-reason": "工作已调整。"}))
    other.refresh_from_db()
    assert other.state != ItemState.CANCELLED
    client.post(cancel_url, {"cancel-reason": "工作已调整。", "confirmed": "1"})
    other.refresh_from_db()
    assert other.state == ItemState.CANCELLED


def test_a_number_taken_by_another_registration_is_named_afresh(office, make_document, walk):
    """GIVEN two documents in 复核 WHEN one is registered THEN the other's confirmation names the
    next number (a peek, never a reservation)."""
    from documents.outgoing.rules import OUTGOING

    year = timezone.localdate().year
    first = walk(make_document(), S.RECHECK)
    second = walk(make_document(title="测试办公室关于第二件事的通知"), S.RECHECK)
    assert f"测办发〔{year}〕1号" in OUTGOING.confirmation(office.clerk.user, second, "register")

    outgoing_services.outgoing_register(actor=office.clerk.user, document=first)

    assert f"测办发〔{year}〕2号" in OUTGOING.confirmation(office.clerk.user, second, "register")
