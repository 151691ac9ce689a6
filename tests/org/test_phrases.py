"""常用语: a person's own and his unit's phrases beside every opinion box, kept on 我的常用语."""

# ruff: noqa: F811  (the fixtures of tests/documents, imported by name)
from __future__ import annotations

import re

import pytest

from documents.models import DocumentState
from office.org import phrases
from office.org.models import Phrase, Role
from tests.documents.conftest import make_document, office, walk  # noqa: F401
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db
PAGE = "/phrases/"


@pytest.fixture
def units(db):
    """Two sections; 秘书科 with its head and a 文秘, 综合科 with a 科员; each with a unit phrase."""
    mine = UnitFactory(name="秘书科")
    other = UnitFactory(name="综合科")
    head = make_person(username="ph-head", name="钱科长", unit=mine)
    mine.head = head
    mine.save(update_fields=["head"])
    clerk = make_person(username="ph-clerk", name="孙文秘", unit=mine, roles=(Role.SECRETARY,))
    member = make_person(username="ph-member", name="李科员", unit=mine)
    outsider = make_person(username="ph-out", name="周科员", unit=other)
    Phrase.objects.create(unit=mine, text="请秘书科阅办。", sort_order=1)
    Phrase.objects.create(unit=other, text="综合科内部用语。", sort_order=1)
    Phrase.objects.create(person=outsider, text="周科员的私人用语。", sort_order=1)
    return {"mine": mine, "other": other, "head": head, "clerk": clerk, "member": member, "outsider": outsider}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_person_is_offered_his_own_his_units_and_the_defaults_only(client, units):
    """GIVEN phrases of 秘书科, of 综合科 and of a 综合科 科员
    WHEN 李科员 (秘书科) adds his own phrase and reads 我的常用语
    THEN he sees his own, 秘书科's and the defaults — never 综合科's or another person's."""
    member = units["member"]
    client.force_login(member.user)

    response = client.post(PAGE, {"own-text": "  拟同意，请 领导审定。 ", "own-scope": "own"}, follow=True)

    page = text_of(response)
    assert "已添加常用语。" in page
    assert "拟同意，请 领导审定。" in page and "请秘书科阅办。" in page and "按程序办理。" in page
    assert "综合科内部用语。" not in page and "周科员的私人用语。" not in page
    offered = [(p.text, p.source) for p in phrases.phrases_offered(person=member)]
    assert offered[:2] == [("拟同意，请 领导审定。", "own"), ("请秘书科阅办。", "unit")]
    assert ("同意。", "default") in offered and all("综合科" not in text for text, _ in offered)


def test_only_the_head_or_a_clerk_keeps_the_units_phrases(client, units):
    """GIVEN 秘书科's phrase WHEN a 科员 of the unit adds or deletes a unit phrase THEN 403 and
    nothing changes; WHEN the head adds one and the 文秘 deletes one THEN both are done."""
    unit_phrase = Phrase.objects.get(unit=units["mine"])
    client.force_login(units["member"].user)
    refused = client.post(PAGE, {"unit-text": "阅。请办理。", "unit-scope": "unit"})
    assert refused.status_code == 403 and "本单位常用语由单位负责人或文秘维护。" in text_of(refused)
    assert client.post(f"/phrases/{unit_phrase.pk}/delete/").status_code == 403
    assert Phrase.objects.filter(unit=units["mine"]).count() == 1

    client.force_login(units["head"].user)
    client.post(PAGE, {"unit-text": "阅。请办理。", "unit-scope": "unit"})
    client.force_login(units["clerk"].user)
    client.post(f"/phrases/{unit_phrase.pk}/delete/")

    assert list(Phrase.objects.filter(unit=units["mine"]).values_list("text", flat=True)) == ["阅。请办理。"]


def test_another_units_or_persons_phrase_is_a_404(client, units):
    """GIVEN 综合科's phrase and a 综合科 person's own WHEN 秘书科's head deletes or moves them
    THEN 404 (he does not see them) and they remain."""
    client.force_login(units["head"].user)
    for phrase in Phrase.objects.exclude(unit=units["mine"]):
        assert client.post(f"/phrases/{phrase.pk}/delete/").status_code == 404
        assert client.post(f"/phrases/{phrase.pk}/up/").status_code == 404
    assert Phrase.objects.count() == 3


def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client, units):
    """WHEN a blank or a repeated phrase is added THEN 400 with the reason, nothing stored."""
    client.force_login(units["member"].user)
    client.post(PAGE, {"own-text": "同意。", "own-scope": "own"})

    blank = client.post(PAGE, {"own-text": "   ", "own-scope": "own"})
    again = client.post(PAGE, {"own-text": "同意。", "own-scope": "own"})

    assert blank.status_code == 400 and "请填写常用语。" in text_of(blank)
    assert again.status_code == 400 and "已有这条常用语。" in text_of(again)
    assert Phrase.objects.filter(person=units["member"]).count() == 1


def test_phrases_are_ordered_by_their_owner(client, units):
    """GIVEN three own phrases WHEN the last is moved up twice THEN it is offered first."""
    member = units["member"]
    for text in ("一。", "二。", "三。"):
        phrases.phrase_add(actor=member, text=text)
    last = Phrase.objects.get(person=member, text="三。")
    client.force_login(member.user)

    client.post(f"/phrases/{last.pk}/up/")
    client.post(f"/phrases/{last.pk}/up/")

    own = [p.text for p in phrases.phrases_offered(person=member) if p.source == "own"]
    assert own == ["三。", "一。", "二。"]


def test_the_opinion_box_of_signing_offers_the_phrases(client, office, make_document, walk):
    """GIVEN the director's own phrase and a document waiting for his 签发
    WHEN he opens it THEN beside the 签发 opinion a 常用语 menu (hidden until the script shows it)
    offers his phrase and the defaults, aimed at the opinion box."""
    phrases.phrase_add(actor=office.director, text="同意印发。")
    document = walk(make_document(), DocumentState.SIGNOFF)
    client.force_login(office.director.user)

    page = text_of(client.get(f"/documents/outgoing/{document.pk}/"))

    sign = page[page.index('data-testid="action-sign"') :]
    sign = sign[: sign.index("</form>")]
    assert 'data-phrase-picker="id_sign-comment"' in sign and " hidden " in sign
    assert 'data-phrase="同意印发。"' in sign and 'data-phrase="同意。"' in sign


def test_an_account_without_a_person_cannot_keep_phrases(client, db):
    """GIVEN an administrator login with no person WHEN it opens 我的常用语 THEN 403."""
    from office.org.models import User

    user = User.objects.create_user(username="ph-admin", password="x-very-long-password-1")
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
