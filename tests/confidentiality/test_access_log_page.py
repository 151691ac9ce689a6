"""The access log in words: names, units and Chinese actions and reasons — never the stored JSON
(``{"person": null, "unit": 20}``) or the system's English ("outside scope or clearance")."""

from __future__ import annotations

import re

import pytest

from office.confidentiality import services
from office.confidentiality.levels import Level
from tests.confidentiality.page_helpers import LOG_URL, detail_url, register

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def log_rows(page: str) -> list[str]:
    return re.findall(r'<tr data-testid="log-row".*?</tr>', page)


def test_the_log_names_people_and_units_and_speaks_chinese(
    client, owner, colleague, outsider, officer, general_office, planning_bureau
):
    """GIVEN a 机密 carrier granted to the 发展改革局 and a refused read of another by an outsider
    WHEN the 保密员 reads the access log
    THEN the grant row names the unit (发展改革局) and the reason in words, the refusal says
    “超出知悉范围或涉密等级”, each actor's unit is shown beside his name, and no row shows JSON
    braces, a bare unit id or the English reason."""
    granted = register(owner, title="防汛指挥部署", level=Level.SECRET)
    services.grant(actor=owner.user, record=granted, unit=planning_bureau, reason="联合值守需要")
    client.force_login(colleague.user)
    client.get(detail_url(granted))
    other = register(colleague, title="内部审计报告", level=Level.SECRET)
    client.force_login(outsider.user)
    assert client.get(detail_url(other)).status_code == 404

    client.force_login(officer.user)
    page = text_of(client.get(LOG_URL))

    rows = log_rows(page)
    assert rows
    grant_row = next(row for row in rows if "授予知悉范围" in row)
    assert "单位：</span>发展改革局" in grant_row and "理由：</span>联合值守需要" in grant_row
    assert f">{planning_bureau.pk}<" not in grant_row
    denied_row = next(row for row in rows if "访问未授权记录" in row)
    assert "超出知悉范围或涉密等级" in denied_row and "韩磊" in denied_row and "发展改革局" in denied_row
    view_row = next(row for row in rows if "陈晓静" in row and ">查看<" in row)
    assert general_office.name in view_row
    for row in rows:
        detail = re.search(r'data-testid="log-detail">(.*?)</td>', row).group(1)
        assert "{" not in detail and "null" not in detail and "outside scope" not in detail


def test_the_log_page_reads_names_in_a_fixed_number_of_queries(
    client, owner, colleague, officer, planning_bureau, django_assert_max_num_queries
):
    """GIVEN twenty grants to units WHEN the 保密员 reads the log THEN the names come from one
    query each for people and units, not one per row."""
    carrier = register(owner, title="防汛指挥部署", level=Level.SECRET)
    for n in range(20):
        services.grant(actor=owner.user, record=carrier, unit=planning_bureau, reason=f"第{n}次")
        services.revoke(actor=owner.user, record=carrier, unit=planning_bureau, reason=f"第{n}次收回")
    client.force_login(officer.user)
    client.get(LOG_URL)  # warm the per-process caches (content types, the calendar)

    with django_assert_max_num_queries(25):
        response = client.get(LOG_URL)
    assert response.status_code == 200 and text_of(response).count("发展改革局") >= 40


def test_the_export_words_the_details_as_the_page_does(client, owner, officer, planning_bureau):
    """GIVEN a grant to the 发展改革局 WHEN the 保密员 exports the log THEN its 详情 column names
    the unit and the reason in words, not the stored JSON."""
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.confidentiality.page_helpers import EXPORT_URL

    granted = register(owner, title="防汛指挥部署", level=Level.SECRET)
    services.grant(actor=owner.user, record=granted, unit=planning_bureau, reason="联合值守需要")
    client.force_login(officer.user)
    sheet = load_workbook(BytesIO(client.get(EXPORT_URL).content)).active
    rows = [[str(value or "") for value in row] for row in sheet.iter_rows(values_only=True)]
    grant_row = next(row for row in rows if "授予知悉范围" in row)
    assert "单位：发展改革局" in grant_row[-1] and "理由：联合值守需要" in grant_row[-1]
    assert "{" not in grant_row[-1]
