"""The 保密 access log and its export: for 保密员 only; filters by person, action, date and record,
fifty rows a page; the .xlsx export holds the filtered rows as text (never a formula, without
control characters) and is itself audited; nothing above the officer's clearance is named; and a
read logs the address the TLS proxy saw, never one the client made up.

The office these pages are tried in (甲市人民政府: its 市政府办公室 with the ``owner``, a ``colleague``,
a ``leader`` and two 保密员 ``officer`` / ``second_officer``; an ``outsider`` in its 发展改革局) comes
from ``conftest.py``; ``register`` (a carrier registered as a person), the URLs and the small reads
of a response come from ``page_helpers.py``."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, Carrier
from tests.confidentiality.page_helpers import EXPORT_URL, LOG_URL, detail_url, events, page_of, register

pytestmark = pytest.mark.django_db


# --- The access log and its export -----------------------------------------------------------------


def test_the_access_log_and_its_export_are_for_security_officers_only(client, owner, colleague):
    """GIVEN reads of a 机密 carrier in the log
    WHEN a person who is not a 保密员 opens the log or its export
    THEN 403 both times, no spreadsheet and no log rows in the answers, and no export is recorded."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))

    page = client.get(LOG_URL)
    export = client.get(EXPORT_URL)

    assert page.status_code == 403 and export.status_code == 403
    assert "防汛指挥部署" not in page_of(page) and "防汛指挥部署" not in page_of(export)
    assert export["Content-Type"].startswith("text/html")
    assert not events(AuditAction.EXPORT).exists()


def test_the_access_log_filters_and_pages_by_fifty(client, owner, colleague, officer):
    """GIVEN 55 reads of a 机密 carrier by a colleague and one by its owner
    WHEN the 保密员 filters the log by the colleague's name and the ``view`` action
    THEN 55 rows match, 50 on the first page and 5 on the second, none of the owner's."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    client.force_login(colleague.user)
    for _ in range(55):
        client.get(detail_url(carrier))
    client.force_login(owner.user)
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    first = client.get(LOG_URL, {"actor": "晓静", "action": "view"})
    second = client.get(LOG_URL, {"actor": "晓静", "action": "view", "page": "2"})

    assert first.context["page"].paginator.count == 55
    assert page_of(first).count('data-testid="log-row"') == 50
    assert page_of(second).count('data-testid="log-row"') == 5
    assert "李明华" not in "".join(re.findall(r'data-testid="log-row".*?</tr>', page_of(first), re.S))
    assert "actor=%E6%99%93%E9%9D%99&amp;action=view&amp;page=2" in page_of(first)


def test_the_access_log_filters_by_date_and_record(client, owner, colleague, officer):
    """GIVEN a read yesterday and a read today of two carriers
    WHEN the 保密员 filters by today's date, then by the first carrier's id
    THEN only today's read, then only the first carrier's events, are listed."""
    first = register(owner, title="第一件", level=Level.SECRET)
    second = register(owner, title="第二件", level=Level.SECRET)
    client.force_login(colleague.user)
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        client.get(detail_url(first))
    client.get(detail_url(second))
    client.force_login(officer.user)
    today = timezone.localdate().isoformat()
    content_type = ContentType.objects.get_for_model(Carrier).pk

    by_date = client.get(LOG_URL, {"action": "view", "date_from": today, "date_to": today})
    by_record = client.get(LOG_URL, {"content_type": content_type, "object_id": first.pk})

    assert [event.object_repr for event in by_date.context["page"].object_list] == ["第二件"]
    assert {event.object_repr for event in by_record.context["page"].object_list} == {"第一件"}


def test_the_export_holds_the_filtered_rows_and_is_itself_audited(client, owner, colleague, officer):
    """GIVEN reads of a 机密 carrier titled like a spreadsheet formula
    WHEN the 保密员 exports the log filtered to ``view``
    THEN an .xlsx comes back with a header and one row per read (the title as text, never a formula),
    and an ``export`` event records what was exported with which filters."""
    carrier = register(owner, title='=HYPERLINK("http://x")', level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    response = client.get(EXPORT_URL, {"action": "view"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间", "操作人", "操作")
    assert len(rows) == 3
    assert all(row[2] == "陈晓静" and row[3] == "查看" and row[7] == "机密" for row in rows[1:])
    assert rows[1][6] == '=HYPERLINK("http://x")'
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "s"
    export = events(AuditAction.EXPORT).get()
    assert export.actor == officer.user
    assert export.detail == {"what": "access_log", "filters": {"action": "view"}, "rows": 2}


def test_the_log_never_names_records_above_the_officers_clearance(client, owner, second_officer):
    """GIVEN a read of a 绝密 carrier in the log and a 保密员 cleared only for 机密
    WHEN they open the log and export it
    THEN the 绝密 carrier's event is in neither."""
    carrier = register(owner, title="核心部署", level=Level.TOP_SECRET)
    client.force_login(owner.user)
    client.get(detail_url(carrier))
    client.force_login(second_officer.user)

    page = page_of(client.get(LOG_URL))
    export = load_workbook(BytesIO(client.get(EXPORT_URL).content)).active

    assert "核心部署" not in page
    assert all("核心部署" not in str(value) for row in export.iter_rows(values_only=True) for value in row)


def test_the_export_drops_control_characters_a_spreadsheet_cannot_hold(client, owner, colleague, officer):
    """GIVEN a read of a 机密 carrier whose title carries a control character (pasted from elsewhere)
    WHEN the 保密员 exports the log
    THEN the workbook comes back with the title minus that character, not a server error."""
    carrier = register(owner, title="值班\x07安排", level=Level.SECRET)
    client.force_login(colleague.user)
    client.get(detail_url(carrier))
    client.force_login(officer.user)

    response = client.get(EXPORT_URL, {"action": "view"})

    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][6] == "值班安排"


@pytest.mark.parametrize(
    ("forwarded", "logged"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
        ("198.51.100.66, 203.0.113.9", "203.0.113.9"),
        # Junk in the header must neither fail the read nor reach the log.
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_the_read_logs_the_address_the_proxy_saw(client, owner, colleague, settings, forwarded, logged):
    """GIVEN the app behind the TLS proxy and a 机密 carrier
    WHEN a colleague opens it with a given X-Forwarded-For
    THEN the page opens and its ``view`` event names the address the proxy added (the last hop),
    never one the client made up, and falls back to the connection's address on junk."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    carrier = register(owner, title="值班安排", level=Level.SECRET)
    client.force_login(colleague.user)

    response = client.get(detail_url(carrier), HTTP_X_FORWARDED_FOR=forwarded)

    assert response.status_code == 200
    assert events(AuditAction.VIEW, carrier).get().ip_address == logged
