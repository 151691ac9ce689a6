"""Hostile or unlucky input to the 公文 pages and API is answered, never a server error: classified
documents render with the reader's watermark, control characters are refused on the way in and
dropped on the way out, periods past the calendar are a field error, and an action on a document
the caller cannot see is a 404 whatever the body says.

The office, the bureau and their helpers come from ``conftest.py``."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from documents.incoming.api import IncomingViewSet
from documents.models import OutgoingDocument
from documents.outgoing.api import OutgoingViewSet
from office.confidentiality.levels import Level
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

OUTGOING = "/api/v1/documents/outgoing/"
INCOMING = "/api/v1/documents/incoming/"


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


@pytest.fixture
def ceiling_top_secret(settings):
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


@pytest.fixture
def outsider(db):
    """Someone in another organ, cleared for 绝密: outside every 知悉范围 here."""
    return make_person(
        username="robust-outsider",
        unit=UnitFactory(parent=OrganFactory(name="乙市人民政府")),
        clearance=Level.TOP_SECRET,
    )


def docx_text(content: bytes) -> tuple[str, str]:
    """The body's text and the first section's header text (where the watermark is)."""
    document = docx.Document(io.BytesIO(content))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    header = "\n".join(paragraph.text for paragraph in document.sections[0].header.paragraphs)
    return body, header


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- Rendering --------------------------------------------------------------------------------------


def test_a_classified_document_renders_from_its_page_and_the_api_with_the_readers_watermark(
    client, office, make_document, ceiling_top_secret
):
    """GIVEN a 秘密 document with a body, read by the office director
    WHEN he downloads it as DOCX and PDF from its page and from the API
    THEN all four files come, each watermarked with his name (not a server error)."""
    document = make_document(actor=office.director.user, level=Level.SECRET, basis="保密事项范围第1项", copies=3)
    client.force_login(office.director.user)

    for fmt in ("docx", "pdf"):
        page = client.get(f"/documents/outgoing/{document.pk}/render/", {"format": fmt})
        api = as_(office.director).get(f"{OUTGOING}{document.pk}/render/", {"format": fmt})
        for response in (page, api):
            assert response.status_code == 200, response.content[:300]
            content = response.content
            if fmt == "docx":
                _body, header = docx_text(content)
                assert "赵主任" in header
            else:
                assert "赵主任" in pdf_text(content)


def test_a_document_stored_with_control_characters_still_renders(client, office, make_document):
    """GIVEN a document whose title and body were stored with control characters (before input
    refused them)
    WHEN it is downloaded as DOCX and PDF, from the API and from its page
    THEN the files come, the text printed without the control characters."""
    document = make_document()
    OutgoingDocument.objects.filter(pk=document.pk).update(
        title="测试办公室关于\x01做好年终工作的\x1b通知", body="一、高度重视\x0b年终工作\n各单位要\x02按时报送。"
    )
    client.force_login(office.drafter.user)

    files = {}
    for fmt in ("docx", "pdf"):
        api = as_(office.drafter).get(f"{OUTGOING}{document.pk}/render/", {"format": fmt})
        page = client.get(f"/documents/outgoing/{document.pk}/render/", {"format": fmt})
        assert api.status_code == 200 and page.status_code == 200
        files[fmt] = api.content

    body, _header = docx_text(files["docx"])
    assert "测试办公室关于做好年终工作的通知" in body
    assert "各单位要按时报送。" in body
    assert "测试办公室关于做好年终工作的通知" in pdf_text(files["pdf"]).replace("\n", "")


# --- Control characters on the way in --------------------------------------------------------------


def test_control_characters_are_refused_in_api_drafts_with_a_chinese_message(office):
    """GIVEN a 承办人
    WHEN they POST a draft whose title holds \\x01, or a line break, or whose body holds \\x00
    THEN each is a 400 naming the field, in Chinese, and nothing is stored; line breaks in the
    body are accepted."""
    client = as_(office.drafter)
    base = {
        "series": office.series.pk,
        "title": "测试办公室关于做好年终工作的通知",
        "kind": "notice",
        "main_to_units": [office.bureau.pk],
        "body": "各单位：\n请按时报送。",
    }

    control = client.post(OUTGOING, {**base, "title": "关于\x01的通知"}, format="json")
    line_break = client.post(OUTGOING, {**base, "title": "关于\n的通知"}, format="json")
    nul = client.post(OUTGOING, {**base, "body": "各单位\x00"}, format="json")

    assert control.status_code == 400 and "控制字符" in control.json()["errors"]["title"][0]
    assert "U+0001" in control.json()["errors"]["title"][0]
    assert line_break.status_code == 400 and "一行" in line_break.json()["errors"]["title"][0]
    assert nul.status_code == 400 and "body" in nul.json()["errors"]
    assert not OutgoingDocument.objects.exists()
    assert client.post(OUTGOING, base, format="json").status_code == 201


def test_control_characters_are_refused_by_the_drafting_page(client, office):
    """GIVEN the drafting page
    WHEN a title with \\x01 is posted
    THEN the form comes back with the field's message and nothing is stored."""
    client.force_login(office.drafter.user)
    data = {
        "series": office.series.pk,
        "title": "关于\x01的通知",
        "kind": "notice",
        "direction": "down",
        "main_to_units": [office.bureau.pk],
        "body": "各单位：\n请按时报送。",
        "disclosure": "proactive",
        "copies": "0",
        "classification": Level.INTERNAL.value,
    }

    response = client.post("/documents/outgoing/new/", data)

    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


# --- Periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"end": "9999-12-31"}, {"start": "0001-01-01"}])
def test_incoming_figures_refuse_a_period_off_the_calendar(client, bureau, params):
    """GIVEN the bureau's 文秘
    WHEN they ask for 办结率 up to 9999-12-31 (or from 0001-01-01) on the API and on the page
    THEN the API answers 400 on the field and the page shows the form's error over the default
    period's figures."""
    api = as_(bureau.clerk).get(f"{INCOMING}figures/", params)
    client.force_login(bureau.clerk.user)
    page = client.get("/documents/incoming/figures/", params)

    assert api.status_code == 400
    assert set(api.json()["errors"]) == set(params)
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()


# --- 404 before the body -----------------------------------------------------------------------------


def detail_post_actions(viewset) -> list[str]:
    """The url paths of a viewset's POST actions on one object (``tasks/1/report`` for patterns)."""
    paths = []
    for action in viewset.get_extra_actions():
        if action.detail and "post" in action.mapping:
            paths.append(action.url_path.replace(r"(?P<task_id>\d+)", "1"))
    return sorted(paths)


BAD_BODIES = [
    ("{not json", "application/json"),
    ("[" * 1100, "application/json"),
    ("hello", "text/plain"),
]


def test_an_outsider_gets_404_from_every_action_on_an_invisible_document_whatever_the_body(
    office, make_document, receive, outsider
):
    """GIVEN an outgoing and an incoming document the outsider cannot see
    WHEN they POST a malformed, a too-deep or a non-JSON body to each action on them
    THEN every answer is 404: nothing about the body is checked before the document is found."""
    outgoing = make_document()
    incoming = receive()
    client = as_(outsider)
    answers = {}
    for base, document, viewset in ((OUTGOING, outgoing, OutgoingViewSet), (INCOMING, incoming, IncomingViewSet)):
        actions = detail_post_actions(viewset)
        assert len(actions) >= 5
        for action in actions:
            for body, content_type in BAD_BODIES:
                response = client.post(f"{base}{document.pk}/{action}/", data=body, content_type=content_type)
                answers[(base, action, content_type, body[:5])] = response.status_code
    assert set(answers.values()) == {404}, {key: code for key, code in answers.items() if code != 404}
