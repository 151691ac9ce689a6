"""Backup and restore: one archive with the database, the uploaded files, the audit anchors and the
key file; a restore checks it, puts everything back and proves it with the manifest."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from documents.models import Attachment, OutgoingDocument
from documents.outgoing import services
from office import backup
from office.confidentiality import audit
from office.confidentiality.models import AuditAction, AuditChainHead, AuditEvent

# The documents' small organ (测试市人民政府) and its drafting helper.
from tests.documents.conftest import make_document, office  # noqa: F401

PDF = b"%PDF-1.4\n% plan\n"


@pytest.fixture
def places(settings, tmp_path) -> dict[str, Path]:
    """Media, anchors and key file under the test's own directory, never the checkout's .var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHUNIU_AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    settings.SHUNIU_SECRET_KEY_FILE = tmp_path / "secret_key"
    settings.SHUNIU_SECRET_KEY_FILE.write_text("the-embedded-key")
    return {
        "media": settings.MEDIA_ROOT,
        "anchors": settings.SHUNIU_AUDIT_ANCHOR_FILE,
        "key": settings.SHUNIU_SECRET_KEY_FILE,
        "out": tmp_path / "backups",
    }


def _run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    """What a user and the 安全审计员 would notice: the documents, the attachments, the log."""
    head = AuditChainHead.objects.first()
    return {
        "documents": sorted(OutgoingDocument.objects.values_list("title", flat=True)),
        "attachments": sorted(Attachment.objects.values_list("name", flat=True)),
        "audit_events": AuditEvent.objects.count(),
        "audit_head": (head.last_id, head.last_hash) if head else None,
        "tables": backup.database_state()[0],
    }


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_the_backed_up_office_exactly(office, make_document, places):  # noqa: F811
    """GIVEN two documents (one with a PDF attachment), audit events and a written anchor, backed up
    WHEN a document is added, one retitled, the attachment deleted with its file, more events
    logged, another anchor written, a file uploaded and the key file changed, and the archive is
    restored THEN without --yes nothing
    happens; with it every table's row count, the documents, the attachment and its file, the audit
    chain head, the anchors and the key file are as backed up (what was replaced kept aside), the
    chain verifies, and the output says so."""
    kept = make_document(title="测试办公室关于做好年终工作的通知")
    make_document(title="测试办公室关于开展安全检查的通知")
    services.outgoing_attach(
        actor=office.drafter.user, document=kept, upload=SimpleUploadedFile("方案.pdf", PDF, "application/pdf")
    )
    for n in range(3):
        audit.record(office.drafter.user, AuditAction.VIEW, obj=kept, detail={"n": n})
    audit.write_anchor()
    anchors_at_backup = places["anchors"].read_text()
    before = _snapshot()

    printed = _run("backup", "--output", str(places["out"]))
    [archive] = places["out"].glob("shuniu-backup-*.tar.gz")
    assert f"备份完成：{archive}" in printed
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["audit_chain_head"] == {"last_id": before["audit_head"][0], "last_hash": before["audit_head"][1]}
    assert manifest["row_counts"] == before["tables"]
    assert {entry["path"] for entry in manifest["files"]} >= {"database.dump", "audit-anchors.log", "secret_key"}

    make_document(title="测试办公室关于备份之后的通知")
    OutgoingDocument.objects.filter(pk=kept.pk).update(title="改过的标题")
    attachment = Attachment.objects.get()
    attachment.file.delete(save=False)
    attachment.delete()
    audit.record(office.drafter.user, AuditAction.VIEW, obj=kept, detail={"after": True})
    audit.write_anchor()
    places["media"].joinpath("stray.txt").write_text("备份之后上传")
    places["key"].write_text("a-key-made-after-the-backup")
    changed = _snapshot()
    assert changed["documents"] != before["documents"] and changed["audit_head"] != before["audit_head"]

    with pytest.raises(CommandError, match="--yes"):
        _run("restore", str(archive))
    assert _snapshot() == changed

    printed = _run("restore", str(archive), "--yes")

    assert _snapshot() == before
    assert audit.verify().ok
    assert Attachment.objects.get().file.read() == PDF
    assert places["anchors"].read_text() == anchors_at_backup
    assert not places["media"].joinpath("stray.txt").exists()
    assert list(places["media"].parent.glob("media.before-restore-*/stray.txt"))
    assert places["key"].read_text() == "the-embedded-key"
    assert [path.read_text() for path in places["key"].parent.glob("secret_key.before-restore-*")] == [
        "a-key-made-after-the-backup"
    ]
    assert f"行数一致：{len(before['tables'])} 张表" in printed
    assert f"审计链头一致：#{before['audit_head'][0]} {before['audit_head'][1]}" in printed
    assert f"审计链校验通过：{before['audit_events']} 行" in printed


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_and_nothing_is_restored(office, make_document, places):  # noqa: F811
    """GIVEN a backup with one attachment WHEN the attachment inside the archive is altered and the
    archive restored THEN the restore refuses, naming the file, and the database is untouched."""
    document = make_document()
    services.outgoing_attach(
        actor=office.drafter.user, document=document, upload=SimpleUploadedFile("方案.pdf", PDF, "application/pdf")
    )
    _run("backup", "--output", str(places["out"]))
    [archive] = places["out"].glob("shuniu-backup-*.tar.gz")
    tampered = places["out"] / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.endswith(".pdf"):
                content, member.size = content.replace(b"plan", b"PLAN"), len(content)
            target.addfile(member, io.BytesIO(content))
    make_document(title="测试办公室关于恢复失败之后仍在的通知")
    before = _snapshot()

    with pytest.raises(CommandError, match=r"documents/.*\.pdf 与清单的校验和不符"):
        _run("restore", str(tampered), "--yes")

    assert _snapshot() == before
