"""The 保密 carrier register pages: the login wall over every page of the module, the list (the
visible carriers with their marks, nothing above the reader's clearance, a fixed query count) and
the register form (only levels within the person's clearance; the ceiling refusing classified
content, which is audited; a register-only entry kept without content; the legal maximum term).

The office these pages are tried in (甲市人民政府: its 市政府办公室 with the ``owner``, a ``colleague``,
a ``leader`` and two 保密员 ``officer`` / ``second_officer``; an ``outsider`` in its 发展改革局) comes
from ``conftest.py``; ``register`` (a carrier registered as a person), the URLs and the small reads
of a response come from ``page_helpers.py``."""

import re

import pytest
from django.utils import timezone

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, Carrier
from office.sheets import chinese_date
from tests.confidentiality.page_helpers import (
    COPIES_URL,
    EXPORT_URL,
    LIST_URL,
    LOG_URL,
    MY_COPIES_URL,
    NEW_URL,
    WORKLIST_URL,
    detail_url,
    events,
    page_of,
    register,
)

pytestmark = pytest.mark.django_db


# --- The carrier register ----------------------------------------------------------------------


def test_anonymous_callers_are_sent_to_the_login_page(client, owner):
    """GIVEN nobody logged in
    WHEN the module's pages, the export and a carrier's page are requested
    THEN each redirects to the login page and shows nothing."""
    carrier = register(owner)
    for url in (LIST_URL, NEW_URL, detail_url(carrier), COPIES_URL, MY_COPIES_URL, WORKLIST_URL, LOG_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url


def test_carrier_list_shows_the_visible_carriers_with_their_marks(client, owner, outsider):
    """GIVEN a 机密 carrier of 20 years and an 内部 one in the general office, and a 机密 carrier of
    the planning bureau
    WHEN the owner opens the carrier register
    THEN they see their office's two carriers with the marks 机密★20年 and 内部, the unit and the date,
    and not the bureau's carrier."""
    register(owner, title="年度防汛预案", level=Level.SECRET, term_unit="years", term_amount=20)
    register(owner, title="值班表", level=Level.INTERNAL)
    register(outsider, title="项目审批台账", level=Level.SECRET)
    client.force_login(owner.user)

    page = page_of(client.get(LIST_URL))

    assert "年度防汛预案" in page and "值班表" in page
    assert "项目审批台账" not in page
    assert re.search(r'class="level-mark level-secret[^"]*"[^>]*>机密★20年<', page)
    assert re.search(r'class="level-mark level-internal[^"]*"[^>]*>内部<', page)
    assert "市政府办公室" in page
    assert chinese_date(timezone.localdate()) in page  # 2026年12月2日, as every page writes dates


def test_carrier_list_leaves_out_what_is_above_the_readers_clearance(client, owner, colleague):
    """GIVEN a 绝密 and a 机密 carrier of the general office
    WHEN a colleague of the office cleared for 机密 opens the register, and filters it by 绝密
    THEN only the 机密 one is listed, and the 绝密 filter finds nothing."""
    register(owner, title="核心部署", level=Level.TOP_SECRET)
    register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(LIST_URL))
    filtered = page_of(client.get(LIST_URL, {"classification": Level.TOP_SECRET}))

    assert "防汛指挥部署" in page and "核心部署" not in page and "绝密★" not in page
    assert 'data-testid="carrier-row"' not in filtered


def test_carrier_list_stays_at_a_fixed_number_of_queries(client, owner, django_assert_max_num_queries):
    """GIVEN 30 carriers visible to the owner
    WHEN the register is opened
    THEN it takes no more queries than with 3 carriers (no query per row)."""
    for index in range(3):
        register(owner, title=f"载体{index}")
    client.force_login(owner.user)
    with django_assert_max_num_queries(50) as few:
        client.get(LIST_URL)
    for index in range(27):
        register(owner, title=f"更多载体{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = page_of(client.get(LIST_URL))
    assert page.count('data-testid="carrier-row"') == 30


def test_register_form_offers_only_levels_within_the_persons_clearance(client, colleague):
    """GIVEN a person cleared for 机密
    WHEN they open the register form
    THEN 公开 to 机密 are offered and 绝密 is not."""
    client.force_login(colleague.user)

    form = client.get(NEW_URL).context["form"]

    offered = [label for _, label in form.fields["classification"].choices]
    assert offered == ["公开", "内部", "秘密", "机密"]


def test_registering_secret_content_above_the_ceiling_is_refused_and_stores_nothing(client, owner):
    """GIVEN the default ceiling 内部 (an ordinary government network)
    WHEN the owner registers a 机密 carrier with its content
    THEN the form comes back with the ceiling message, no carrier is stored, and the refusal is in
    the audit log."""
    client.force_login(owner.user)
    before = Carrier.objects.count()

    response = client.post(
        NEW_URL,
        {
            "title": "关于某项目的请示",
            "kind": "paper",
            "unit": owner.unit_id,
            "classification": Level.SECRET,
            "classification_basis": "保密事项范围第三条",
            "content": "这里是机密内容",
        },
    )

    assert response.status_code == 200
    page = page_of(response)
    assert 'data-testid="form-errors"' in page
    assert "本系统的密级上限为“内部”：“机密”级事项只能登记" in page
    assert Carrier.objects.count() == before
    assert events(AuditAction.CEILING_REFUSED).filter(actor=owner.user).count() == 1


def test_registering_a_secret_carrier_without_content_keeps_the_register(client, owner):
    """GIVEN the default ceiling 内部
    WHEN the owner registers a 机密 carrier for 10 years without content
    THEN it is stored with its mark, the page shows 机密★10年 and says the content is not kept here."""
    client.force_login(owner.user)

    response = client.post(
        NEW_URL,
        {
            "title": "关于某项目的请示",
            "kind": "paper",
            "reference": "甲政发〔2026〕3号",
            "unit": owner.unit_id,
            "classification": Level.SECRET,
            "secrecy_term_unit": "years",
            "secrecy_term_amount": "10",
            "classification_basis": "保密事项范围第三条",
        },
        follow=True,
    )

    carrier = Carrier.objects.get(title="关于某项目的请示")
    assert carrier.level == Level.SECRET and carrier.level_mark == "机密★10年"
    assert carrier.created_by == owner and carrier.reference == "甲政发〔2026〕3号"
    page = page_of(response)
    assert 'data-testid="mark-corner"' in page and "机密★10年" in page
    assert 'data-testid="register-only"' in page


def test_a_term_beyond_the_legal_maximum_is_refused_on_the_field(client, owner):
    """GIVEN a 秘密 carrier (at most 10 years)
    WHEN it is registered for 15 years
    THEN the term field carries the service's message and nothing is stored."""
    client.force_login(owner.user)

    response = client.post(
        NEW_URL,
        {
            "title": "某会议材料",
            "kind": "paper",
            "unit": owner.unit_id,
            "classification": Level.CONFIDENTIAL,
            "secrecy_term_unit": "years",
            "secrecy_term_amount": "15",
            "classification_basis": "保密事项范围第三条",
        },
    )

    assert response.context["form"].errors["secrecy_term_amount"] == ["秘密级事项的保密期限最长10年。"]
    assert not Carrier.objects.filter(title="某会议材料").exists()


def test_a_level_above_the_persons_clearance_cannot_be_posted(client, colleague):
    """GIVEN a person cleared for 机密
    WHEN they post a 绝密 registration anyway
    THEN the level is refused as an invalid choice and nothing is stored."""
    client.force_login(colleague.user)

    response = client.post(
        NEW_URL,
        {
            "title": "越级登记",
            "kind": "paper",
            "unit": colleague.unit_id,
            "classification": Level.TOP_SECRET,
            "classification_basis": "x",
        },
    )

    assert "classification" in response.context["form"].errors
    assert not Carrier.objects.filter(title="越级登记").exists()
