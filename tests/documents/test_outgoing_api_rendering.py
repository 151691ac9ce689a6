"""``/api/v1/documents/outgoing/{id}/render/``: the rendered download — docx and pdf named after the
number and uncached, a classified download in the access log, 绝密 and what the renderer refuses
answered 403, an unknown format 400, a missing renderer 503, and the real renderer's Office Open
XML.

The people are those of the ``office`` fixture, with ``make_document`` / ``walk`` to draft and move
a document, ``cleared_clerk`` (a 文秘 cleared for 机密) and ``ceiling_top_secret`` (``conftest.py``);
the client, URLs, ``audit_events`` and answer checks come from ``outgoing_api_helpers.py``; the
renderer is the ``fake_rendering`` stand-in unless a test says otherwise."""

from __future__ import annotations

import sys
import types

import pytest

from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from tests.documents.outgoing_api_helpers import DOCX, S, as_, assert_invalid, audit_events, url
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_rendering(monkeypatch):
    """A stand-in for ``documents.rendering`` that records its calls; the API's contract with the
    renderer (document, reader, bytes back, ExportRefused) is what these tests pin."""
    module = types.ModuleType("documents.rendering")

    class ExportRefused(ValueError):
        pass

    module.calls = []
    module.refuse = None

    def _render(kind):
        def render(document, *, reader):
            module.calls.append((kind, document.pk, reader.pk))
            if module.refuse:
                raise ExportRefused(module.refuse)
            return f"{kind}:{document.title}".encode()

        return render

    module.ExportRefused = ExportRefused
    module.render_docx = _render("docx")
    module.render_pdf = _render("pdf")
    monkeypatch.setitem(sys.modules, "documents.rendering", module)
    return module


# --- Rendering ----------------------------------------------------------------------------------


def test_render_downloads_the_laid_out_document(office, make_document, walk, fake_rendering):
    """GIVEN a registered internal document WHEN it is rendered as docx and as pdf THEN the files
    come back named after the number, uncached, rendered for the reader; no access-log row (内部)."""
    document = walk(make_document(), S.REGISTERED)
    client = as_(office.clerk)

    docx = client.get(url(document, "render"), {"format": "docx"})
    pdf = client.get(url(document, "render"), {"format": "pdf"})
    default = client.get(url(document, "render"))

    assert docx.status_code == 200, docx.content
    assert docx["Content-Type"] == DOCX and docx.content == f"docx:{document.title}".encode()
    assert pdf["Content-Type"] == "application/pdf"
    assert default["Content-Type"] == DOCX
    assert "attachment" in docx["Content-Disposition"]
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    assert ".docx" in docx["Content-Disposition"] and ".pdf" in pdf["Content-Disposition"]
    assert docx["Cache-Control"] == "no-store"
    assert fake_rendering.calls[0] == ("docx", document.pk, office.clerk.user.pk)
    assert audit_events(AuditAction.DOWNLOAD) == []


def test_render_of_a_classified_document_is_logged(office, make_document, cleared_clerk, fake_rendering):
    """GIVEN a 机密 document WHEN it is rendered THEN the download is in the access log."""
    document = make_document(
        actor=make_person(username="doc-secret", unit=office.general_section, clearance=Level.SECRET).user,
        title="测试办公室关于内部审计的通知",
        level=Level.SECRET,
        basis="保密事项范围第2项",
        body="",
    )

    response = as_(cleared_clerk).get(url(document, "render"), {"format": "pdf"})

    assert response.status_code == 200
    assert [event.actor_id for event in audit_events(AuditAction.DOWNLOAD, document)] == [cleared_clerk.user.pk]


def test_render_refuses_top_secret_and_what_the_renderer_refuses(
    office, make_document, fake_rendering, ceiling_top_secret
):
    """GIVEN a 绝密 document WHEN its drafter renders it THEN 403 says it is read on screen only and
    the renderer is never called; GIVEN the renderer refuses a document THEN 403 with its message."""
    top = make_document(
        actor=office.director.user, title="测试办公室关于重要事项的通知", level=Level.TOP_SECRET, basis="第1项"
    )
    plain = make_document()

    refused = as_(office.director).get(url(top, "render"), {"format": "docx"})
    fake_rendering.refuse = "该公文不能导出。"
    by_renderer = as_(office.drafter).get(url(plain, "render"))

    assert refused.status_code == 403 and "绝密" in refused.json()["detail"]
    assert by_renderer.status_code == 403 and by_renderer.json()["detail"] == "该公文不能导出。"
    assert [call[1] for call in fake_rendering.calls] == [plain.pk]
    assert audit_events(AuditAction.DOWNLOAD) == []


def test_render_refuses_an_unknown_format(office, make_document, fake_rendering):
    """GIVEN a document WHEN it is rendered as odt THEN 400 on ``format`` (in JSON)."""
    document = make_document()

    assert_invalid(as_(office.drafter).get(url(document, "render"), {"format": "odt"}), "format")


def test_render_when_the_renderer_is_not_installed(office, make_document, monkeypatch):
    """GIVEN no renderer module WHEN a document is rendered THEN 503 with a clear code."""
    monkeypatch.setitem(sys.modules, "documents.rendering", None)  # import fails as for a missing module
    document = make_document()

    response = as_(office.drafter).get(url(document, "render"))

    assert response.status_code == 503
    assert response.json()["code"] == "rendering_unavailable"


def test_render_with_the_real_renderer(office, make_document, walk):
    """GIVEN the real renderer WHEN a registered document is rendered as docx THEN it is a zip
    (Office Open XML) file."""
    pytest.importorskip("documents.rendering")
    document = walk(make_document(), S.REGISTERED)

    response = as_(office.clerk).get(url(document, "render"), {"format": "docx"})

    assert response.status_code == 200, response.content[:500]
    assert response.content[:2] == b"PK"
