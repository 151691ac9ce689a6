"""The 保密 declassification worklist: a carrier whose term has run out is listed for the 保密员, who
declassifies it (only with a reason) or extends its term counted from the date first marked; the
worklist is for 保密员 only.

The office these pages are tried in (甲市人民政府: its 市政府办公室 with the ``owner``, a ``colleague``,
a ``leader`` and two 保密员 ``officer`` / ``second_officer``; an ``outsider`` in its 发展改革局) comes
from ``conftest.py``; ``register`` (a carrier registered as a person), the URLs and the small reads
of a response come from ``page_helpers.py``."""

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, Carrier
from tests.confidentiality.page_helpers import WORKLIST_URL, events, messages_of, page_of, register

pytestmark = pytest.mark.django_db


# --- Declassification worklist ---------------------------------------------------------------------


def test_the_worklist_shows_an_expired_term_and_declassifying_needs_a_reason(client, owner, officer):
    """GIVEN a 秘密 carrier classified for 1 year in January 2025
    WHEN the 保密员 opens the worklist in March 2026, declassifies it without a reason, then with one
    THEN the carrier is listed with its due date; the first is refused with a message and changes
    nothing; the second makes it 内部, writes a ``declassify`` event, and the worklist is empty."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, title="年度考核方案", level=Level.CONFIDENTIAL, term_amount=1)
    assert carrier.declassify_due.isoformat() == "2026-01-10"

    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(officer.user)
        listing = page_of(client.get(WORKLIST_URL))
        assert listing.count('data-testid="worklist-row"') == 1
        assert "年度考核方案" in listing and "秘密★1年" in listing and "2026年1月10日" in listing

        prefix = f"d{ContentType.objects.get_for_model(Carrier).pk}-{carrier.pk}"
        url = f"/confidentiality/declassification/{ContentType.objects.get_for_model(Carrier).pk}/{carrier.pk}/"
        refused = client.post(url, {"decision": "declassify", f"{prefix}-classification": Level.INTERNAL}, follow=True)
        carrier.refresh_from_db()
        assert carrier.level == Level.CONFIDENTIAL
        assert any("解密理由" in message for message in messages_of(refused))

        client.post(
            url,
            {
                "decision": "declassify",
                f"{prefix}-classification": Level.INTERNAL,
                f"{prefix}-reason": "期限届满，经审核不再需要保密",
            },
        )
        carrier.refresh_from_db()
        assert carrier.level == Level.INTERNAL
        assert events(AuditAction.DECLASSIFY, carrier).get().detail["reason"] == "期限届满，经审核不再需要保密"
        assert 'data-testid="worklist-row"' not in page_of(client.get(WORKLIST_URL))


def test_extending_a_term_from_the_worklist(client, owner, officer):
    """GIVEN a 秘密 carrier whose one-year term has run out
    WHEN the 保密员 extends it to 5 years with a reason
    THEN it is 秘密★5年 counted from the date first marked (2025-01-10) and leaves the worklist."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, level=Level.CONFIDENTIAL, term_amount=1)
    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(officer.user)
        content_type = ContentType.objects.get_for_model(Carrier).pk
        prefix = f"c{content_type}-{carrier.pk}"
        client.post(
            f"/confidentiality/declassification/{content_type}/{carrier.pk}/",
            {
                "decision": "change",
                f"{prefix}-classification": Level.CONFIDENTIAL,
                f"{prefix}-secrecy_term_unit": "years",
                f"{prefix}-secrecy_term_amount": "5",
                f"{prefix}-reason": "相关工作尚未完成",
            },
        )
        carrier.refresh_from_db()
        assert carrier.level_mark == "秘密★5年"
        assert carrier.declassify_due.isoformat() == "2030-01-10"
        assert 'data-testid="worklist-row"' not in page_of(client.get(WORKLIST_URL))


def test_the_worklist_is_for_security_officers_only(client, owner):
    """GIVEN an expired 秘密 carrier WHEN its owner (not a 保密员) opens the worklist or posts a
    declassification THEN 403 and nothing changes."""
    with time_machine.travel("2025-01-10 10:00 +0800", tick=False):
        carrier = register(owner, title="年度考核方案", level=Level.CONFIDENTIAL, term_amount=1)
    with time_machine.travel("2026-03-01 10:00 +0800"):
        client.force_login(owner.user)
        response = client.get(WORKLIST_URL)
        content_type = ContentType.objects.get_for_model(Carrier).pk
        posted = client.post(f"/confidentiality/declassification/{content_type}/{carrier.pk}/", {"decision": "x"})
    assert response.status_code == 403 and "年度考核方案" not in page_of(response)
    assert posted.status_code == 403
    carrier.refresh_from_db()
    assert carrier.level == Level.CONFIDENTIAL
