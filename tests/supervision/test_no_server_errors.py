"""The 督办 API finds the item before it reads the body: every action on an item the caller cannot
see is a 404 whatever is posted; and a figures period off the calendar is a field error.

The city, its people and ``open_item`` / ``split`` come from ``conftest.py``."""

import re

import pytest
from rest_framework.test import APIClient

from supervision.api import SupervisionItemViewSet

pytestmark = pytest.mark.django_db

BASE = "/api/v1/supervision/items/"
BAD_BODIES = [
    ("{not json", "application/json"),
    ("[" * 1100, "application/json"),
    ("hello", "text/plain"),
]


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def test_an_outsider_gets_404_from_every_action_on_an_invisible_item_whatever_the_body(city, open_item, split):
    """GIVEN an item split into a task, outside the outsider's reach
    WHEN he posts a malformed, a too-deep or a non-JSON body to every action on it (tasks and
    extension requests named by the real task's id)
    THEN each answer is a 404."""
    item = open_item()
    split(item)
    task = item.tasks.get()
    actions = sorted(
        re.sub(r"\(\?P<\w+>[^)]+\)", str(task.pk), action.url_path)
        for action in SupervisionItemViewSet.get_extra_actions()
        if action.detail and "post" in action.mapping
    )
    client = as_(city.outsider)

    answers = {}
    for action in actions:
        for body, content_type in BAD_BODIES:
            response = client.post(f"{BASE}{item.pk}/{action}/", data=body, content_type=content_type)
            answers[(action, content_type, body[:5])] = response.status_code

    assert len(actions) >= 6
    assert set(answers.values()) == {404}, {key: code for key, code in answers.items() if code != 404}


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("figures/", {"end": "9999-12-31"}),
        ("figures/", {"start": "0001-01-01"}),
        ("scores/", {"year": "99999"}),
    ],
)
def test_figures_and_scores_refuse_values_off_the_calendar(client, city, route, params):
    """GIVEN the 督查员
    WHEN figures are asked for a period off the calendar, or scores for the year 99999
    THEN the API answers 400 on the field and the figures page shows the default period with the
    form's error, never a server error."""
    api = as_(city.supervisor).get(f"{BASE}{route}", params)
    client.force_login(city.supervisor.user)
    page = client.get("/supervision/figures/", params)

    assert api.status_code == 400
    assert set(api.json()["errors"]) == set(params)
    assert page.status_code == 200
