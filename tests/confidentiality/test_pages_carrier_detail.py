"""A 保密 carrier's page: 404 outside the 知悉范围 or above the reader's clearance (the miss audited),
classified reads in the access log, the watermark over classified content (绝密 only on screen,
never printed, selected or downloaded), and what its owner or a 保密员 does from it — 知悉范围
grants and revocations, 定密变更 with a reason, issuing a copy that its holder signs for.

The office these pages are tried in (甲市人民政府: its 市政府办公室 with the ``owner``, a ``colleague``,
a ``leader`` and two 保密员 ``officer`` / ``second_officer``; an ``outsider`` in its 发展改革局) comes
from ``conftest.py``; ``register`` (a carrier registered as a person), the URLs and the small reads
of a response come from ``page_helpers.py``. ``top_secret_ceiling`` (``conftest.py``) makes the
deployment a certified classified network, where 绝密 content may be kept."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.utils import timezone

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, ClassifiedCopy, CopyState
from tests.confidentiality.page_helpers import MY_COPIES_URL, detail_url, events, messages_of, page_of, register

pytestmark = pytest.mark.django_db


# --- A carrier's page: 404s, the access log, the watermark -------------------------------------


def test_detail_is_404_outside_the_scope_and_the_miss_is_audited(client, owner, outsider):
    """GIVEN a 机密 carrier of the general office
    WHEN a person of another unit (cleared for 机密) opens its page
    THEN 404, nothing of it is shown, and a ``denied`` event names the carrier."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(outsider.user)

    response = client.get(detail_url(carrier))

    assert response.status_code == 404
    assert "防汛指挥部署" not in page_of(response)
    assert events(AuditAction.DENIED, carrier).filter(actor=outsider.user).count() == 1
    assert not events(AuditAction.VIEW, carrier).exists()


def test_detail_is_404_for_too_low_a_clearance_inside_the_unit(client, owner, colleague):
    """GIVEN a 绝密 carrier of the general office
    WHEN a colleague of the same office cleared only for 机密 opens it
    THEN 404 and a ``denied`` event."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET)
    client.force_login(colleague.user)

    response = client.get(detail_url(carrier))

    assert response.status_code == 404
    assert "核心部署" not in page_of(response)
    assert events(AuditAction.DENIED, carrier).filter(actor=colleague.user).count() == 1


def test_reading_a_secret_carrier_writes_a_view_event(client, owner, colleague):
    """GIVEN a 机密 carrier of the general office
    WHEN a colleague cleared for 机密 opens its page
    THEN it shows, and the read is in the access log as ``view`` by them; the page is not cached."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    assert not events(AuditAction.VIEW, carrier).exists()

    response = client.get(detail_url(carrier))

    assert response.status_code == 200
    assert "防汛指挥部署" in page_of(response)
    view = events(AuditAction.VIEW, carrier).get()
    assert view.actor == colleague.user and view.classification == Level.SECRET
    assert "no-store" in response["Cache-Control"]


def test_reading_an_internal_carrier_is_not_logged(client, owner, colleague):
    """GIVEN an 内部 carrier WHEN a colleague opens it THEN it shows and no ``view`` row is written."""
    carrier = register(owner, title="值班表", level=Level.INTERNAL)
    client.force_login(colleague.user)

    assert client.get(detail_url(carrier)).status_code == 200
    assert not events(AuditAction.VIEW, carrier).exists()


@time_machine.travel("2026-03-02 09:30 +0800", tick=False)
def test_top_secret_content_is_on_screen_only_under_the_readers_watermark(client, owner, top_secret_ceiling):
    """GIVEN a deployment whose ceiling is 绝密 and a 绝密 carrier with content
    WHEN its owner opens the page
    THEN the content shows under a watermark with the reader's name, unit and the time, the mark
    绝密★30年 is at the top left, the content is marked not to print or be selected, and the page
    offers no download, export or print link."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET, content="第一条 绝密内容正文")
    client.force_login(owner.user)

    response = client.get(detail_url(carrier))

    page = page_of(response)
    assert "第一条 绝密内容正文" in page
    watermark = page[page.index('data-testid="watermark"') : page.index("</svg>")]
    assert "李明华 · 市政府办公室 · 2026-03-02 09:30" in watermark
    assert page.index('data-testid="mark-corner"') < page.index('data-testid="classified-sheet"')
    assert "绝密★30年" in page
    sheet = page[page.index('data-testid="classified-sheet"') - 120 :]
    assert "classified-content" in sheet[:200]
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [href for href in hrefs if re.search(r"export|download|print|xlsx|pdf", href, re.IGNORECASE)]
    assert "window.print" not in page and " download" not in page
    assert "@media print { .classified-content { display:none !important } }" in page
    assert "no-store" in response["Cache-Control"]
    assert events(AuditAction.VIEW, carrier).filter(actor=owner.user).count() == 1


def test_the_stylesheet_hides_classified_content_from_print_and_selection():
    """GIVEN the module's stylesheet WHEN it is read THEN classified content is display:none in
    print, not selectable, and the watermark lets clicks through."""
    css = Path(finders.find("confidentiality/confidentiality.css")).read_text(encoding="utf-8")
    compact = re.sub(r"\s+", "", css)
    assert "@mediaprint{.classified-content{display:none!important;}" in compact
    assert ".classified-content{user-select:none;" in compact
    assert "pointer-events:none" in compact


def test_a_secret_page_carries_a_light_watermark_with_name_and_time(client, owner, colleague):
    """GIVEN a 机密 carrier WHEN a colleague opens it THEN a watermark with their name is drawn
    over the sheet (without their unit, the 绝密 form)."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(detail_url(carrier)))

    watermark = page[page.index('data-testid="watermark"') : page.index("</svg>")]
    assert "陈晓静 · " in watermark and "市政府办公室" not in watermark
    assert "watermark-dense" not in page


# --- 知悉范围, level changes and copies from a carrier's page -----------------------------------------


def test_granting_a_person_on_the_page_makes_the_carrier_visible_to_them(client, owner, outsider):
    """GIVEN a 机密 carrier the bureau's person cannot see (404)
    WHEN the owner adds them to the 知悉范围 with a reason on the carrier's page
    THEN the carrier opens for them, the page lists them, and a ``grant`` event has the reason;
    revoking them again makes it a 404 once more."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 404

    client.force_login(owner.user)
    response = client.post(
        f"{detail_url(carrier)}grant/", {"person": outsider.pk, "reason": "参与防汛会商"}, follow=True
    )
    assert "已加入知悉范围。" in messages_of(response)
    grants = page_of(response)[page_of(response).index('data-testid="grants"') :]
    assert "韩磊" in grants[:2000]
    assert events(AuditAction.GRANT, carrier).get().detail["reason"] == "参与防汛会商"

    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 200

    client.force_login(owner.user)
    client.post(f"{detail_url(carrier)}revoke/", {"person": outsider.pk, "reason": "会商结束"})
    client.force_login(outsider.user)
    assert client.get(detail_url(carrier)).status_code == 404


def test_a_grant_without_a_reason_or_target_is_refused_on_the_form(client, owner, outsider):
    """GIVEN a 机密 carrier
    WHEN the owner posts a grant without a reason, and then one naming nobody
    THEN the page comes back with the form's messages and no grant exists."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)

    no_reason = client.post(f"{detail_url(carrier)}grant/", {"person": outsider.pk})
    nobody = client.post(f"{detail_url(carrier)}grant/", {"reason": "会商"})

    assert "reason" in no_reason.context["grant_form"].errors
    assert "请指定一名人员或一个单位（二者选一）。" in page_of(nobody)
    assert services.grants_of(carrier) == {"people": [], "units": []}


def test_only_the_owner_or_a_security_officer_sees_and_uses_the_scope_forms(client, owner, colleague, outsider):
    """GIVEN a 机密 carrier the colleague may read (same unit)
    WHEN the colleague opens it and then posts a grant anyway
    THEN no scope, reclassify or copy forms are offered, and the post is refused with the service's
    message (403) and changes nothing."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(colleague.user)

    page = page_of(client.get(detail_url(carrier)))
    response = client.post(f"{detail_url(carrier)}grant/", {"person": outsider.pk, "reason": "x"})

    assert 'data-testid="grant-form"' not in page and 'data-testid="reclassify-form"' not in page
    assert 'data-testid="issue-form"' not in page
    assert 'data-testid="copy-request-form"' in page
    assert response.status_code == 403
    assert "只有登记人或保密员可以调整知悉范围。" in page_of(response)
    assert services.grants_of(carrier)["people"] == []


def test_reclassifying_on_the_page_needs_a_reason_and_then_changes_the_mark(client, owner):
    """GIVEN a 机密★20年 carrier
    WHEN the owner changes it to 秘密 for 5 years, first without a reason, then with one
    THEN the first is refused on the reason field, the second gives 秘密★5年 and a ``reclassify`` event."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)
    data = {"classification": Level.CONFIDENTIAL, "secrecy_term_unit": "years", "secrecy_term_amount": "5"}

    refused = client.post(f"{detail_url(carrier)}reclassify/", data)
    carrier.refresh_from_db()
    assert "reason" in refused.context["reclassify_form"].errors
    assert carrier.level_mark == "机密★20年"

    client.post(f"{detail_url(carrier)}reclassify/", {**data, "reason": "部分内容已公开"})
    carrier.refresh_from_db()
    assert carrier.level_mark == "秘密★5年"
    assert events(AuditAction.RECLASSIFY, carrier).get().detail["reason"] == "部分内容已公开"


def test_issuing_a_copy_on_the_page_and_signing_for_it(client, owner, colleague):
    """GIVEN a 机密 carrier
    WHEN the owner issues a copy to a colleague on the carrier's page, and the colleague signs for it
    on 我持有的份号
    THEN copy 000001 is held by the colleague, listed on both pages, and is 已签收."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(owner.user)

    response = client.post(
        f"{detail_url(carrier)}copies/issue/",
        {"holder_person": colleague.pk, "due_back": "2030-12-31"},
        follow=True,
    )
    copy = ClassifiedCopy.objects.get(object_id=carrier.pk)
    assert copy.holder_person == colleague and copy.number_display == "000001"
    copies_panel = page_of(response)[page_of(response).index('data-testid="carrier-copies"') :]
    assert "000001" in copies_panel[:1500] and "陈晓静" in copies_panel[:1500]

    client.force_login(colleague.user)
    mine = page_of(client.get(MY_COPIES_URL))
    assert "000001" in mine and "防汛指挥部署" in mine and 'data-testid="sign"' in mine
    signed = client.post(f"/confidentiality/copies/{copy.pk}/sign/", {"next": MY_COPIES_URL}, follow=True)
    copy.refresh_from_db()
    assert copy.state == CopyState.SIGNED
    assert "份号000001：已签收。" in messages_of(signed)


def test_a_copy_cannot_be_issued_with_a_return_date_in_the_past(client, owner, colleague):
    """GIVEN a 机密 carrier WHEN the owner issues a copy due back yesterday THEN the date field says
    why and no copy is registered."""
    carrier = register(owner, level=Level.SECRET)
    client.force_login(owner.user)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = client.post(
        f"{detail_url(carrier)}copies/issue/", {"holder_person": colleague.pk, "due_back": yesterday}
    )

    assert response.context["issue_form"].errors["due_back"] == ["应清退日期不能早于今天。"]
    assert not ClassifiedCopy.objects.exists()


def test_a_person_cannot_sign_for_someone_elses_copy(client, owner, colleague, outsider):
    """GIVEN a copy issued to a colleague WHEN a person of another unit posts 签收 for it THEN 404
    and the copy stays 已分发."""
    carrier = register(owner, level=Level.SECRET)
    copy = services.copy_issue(actor=owner.user, record=carrier, holder_person=colleague)
    client.force_login(outsider.user)

    assert client.post(f"/confidentiality/copies/{copy.pk}/sign/").status_code == 404
    copy.refresh_from_db()
    assert copy.state == CopyState.ISSUED
