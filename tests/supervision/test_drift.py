"""The rules that had drifted apart (issue 13 §3), each decided once now: "my units" (within the
organ), one 督办台账 row for the page, the API and the export, the export refusing a bad filter,
and no 同意 offered on an extension the service would refuse."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from supervision import services
from supervision.models import ExtensionState, TaskAssist

pytestmark = pytest.mark.django_db

APRIL_30 = date(2026, 4, 30)


def api_as(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def test_my_units_stop_at_my_organ_on_the_page_and_the_api(client, city, open_item, today):
    """GIVEN a task led by 财政局 with the city government itself and 发改委 assisting WHEN 发改委's
    staff (in a bureau, an organ of its own under the government) open the item and send input
    without naming the unit THEN the page offers input for 发改委 only — never for the government,
    which the service refuses — and the API sends it for 发改委."""
    item = open_item()
    [task] = services.item_split(
        actor=city.supervisor.user,
        item=item,
        tasks=[services.TaskSpec(lead_unit=city.finance, assisting_units=[city.organ, city.ndrc], due=APRIL_30)],
    )
    client.force_login(city.ndrc_staff.user)

    page = client.get(f"/supervision/{item.pk}/").content.decode()

    assert f"id_input{task.pk}_{city.ndrc.pk}_" in page
    assert f"id_input{task.pk}_{city.organ.pk}_" not in page
    response = api_as(city.ndrc_staff).post(
        f"/api/v1/supervision/items/{item.pk}/tasks/{task.pk}/input/", {"text": "同意。"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert TaskAssist.objects.get(task=task, unit=city.ndrc).sent_at is not None
    assert TaskAssist.objects.get(task=task, unit=city.organ).sent_at is None


def test_a_cancelled_items_ledger_row_names_its_units_alike_on_page_api_and_export(client, city, open_item, today):
    """GIVEN an item split to 发改委 (财政局 assisting) and then cancelled WHEN its 督办台账 row is read
    on the page, in the API list and in the Excel ledger THEN all three name 发改委 as lead unit (the
    page used to show it as 待分解)."""
    item = open_item()
    services.item_split(
        actor=city.supervisor.user,
        item=item,
        tasks=[services.TaskSpec(lead_unit=city.ndrc, assisting_units=[city.finance], due=APRIL_30)],
    )
    services.item_cancel(actor=city.supervisor.user, item=item, reason="该项工作已调整。")
    client.force_login(city.supervisor.user)

    [row] = client.get("/supervision/").context["page"].object_list
    [listed] = api_as(city.supervisor).get("/api/v1/supervision/items/").json()["results"]
    sheet = load_workbook(io.BytesIO(client.get("/supervision/ledger.xlsx").content)).active
    header, values = [c.value for c in sheet[1]], [c.value for c in sheet[2]]

    assert row.lead_units == listed["lead_units"] == [city.ndrc.name]
    assert values[header.index("主办单位")] == city.ndrc.name
    assert values[header.index("协办单位")] == city.finance.name


def test_the_ledger_export_refuses_an_invalid_filter(client, city, open_item, today):
    """GIVEN items in the ledger WHEN the export is asked with a filter that is not valid THEN no file
    leaves (the person is sent back to the ledger to correct it), as the 发文/收文 exports do."""
    open_item()
    client.force_login(city.supervisor.user)

    response = client.get("/supervision/ledger.xlsx", {"state": "bogus"})

    assert response.status_code == 302 and response["Location"].startswith("/supervision/?")
    assert "spreadsheetml" not in response.get("Content-Type", "")
    assert "筛选条件有误" in client.get(response["Location"]).content.decode()


def test_after_the_due_date_an_extension_is_offered_for_refusal_only(client, city, open_item, today):
    """GIVEN an extension asked in time and waiting for the 督查员 WHEN he opens the item after the
    task's due date THEN the page offers 不同意 but not 同意 (the service would refuse it, 409)."""
    item = open_item()
    [task] = services.item_split(
        actor=city.supervisor.user, item=item, tasks=[services.TaskSpec(lead_unit=city.ndrc, due=APRIL_30)]
    )
    request = services.extension_request(
        actor=city.ndrc_head.user, task=task, reason="涉及多个部门。", new_due=date(2026, 5, 29), progress="80%。"
    )
    assert request.state == ExtensionState.PENDING and request.current_step == "supervisor"
    client.force_login(city.supervisor.user)
    assert 'data-testid="approve"' in client.get(f"/supervision/{item.pk}/").content.decode()

    today.move_to("2026-05-04 10:00 +0800")
    page = client.get(f"/supervision/{item.pk}/").content.decode()

    assert 'data-testid="refuse"' in page and 'data-testid="approve"' not in page
    refused = client.post(f"/supervision/{item.pk}/extensions/{request.pk}/decide/", {"decide-decision": "approve"})
    assert refused.status_code == 409
