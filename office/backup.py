"""Backups: one dated archive holding everything a restore needs, and the restore that checks it.

The archive (``shuniu-backup-YYYYMMDD-HHMM.tar.gz``) holds

* ``database.dump`` — ``pg_dump --format=custom`` of the configured database, taken in one
  snapshot that the manifest's row counts and audit chain head were read in too, so they describe
  exactly the dump;
* ``media/`` — the uploaded files under ``MEDIA_ROOT`` (copied after the dump: a file is stored
  before its row commits and never deleted, so every row in the dump finds its file);
* ``audit-anchors.log`` — the audit chain anchors kept outside the database
  (``SHUNIU_AUDIT_ANCHOR_FILE``);
* ``secret_key`` — the key file of an embedded setup (``SHUNIU_SECRET_KEY_FILE``), when present;
* ``manifest.json`` — when, which version, which database, every table's row count, the audit
  chain head, and every other member with its size and SHA-256.

The restore refuses an archive whose members do not match the manifest, replaces the database
(``pg_restore --clean --if-exists`` in one transaction: a failure leaves it as it was), the media,
the anchors and the key file, keeping whatever it replaces beside the original as
``*.before-restore-<stamp>``, then checks that the row counts and the chain head are the manifest's
and that the chain verifies.

The embedded server's own ``pg_dump``/``pg_restore`` are used when the database is the embedded
one (office/embedded.py); otherwise the ones on ``PATH``, which must be of the server's major
version or newer.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg2 import sql
from psycopg2.extensions import make_dsn

from office import embedded
from office.confidentiality import audit
from office.confidentiality.models import AuditChainHead

MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA = "media"
ANCHORS = "audit-anchors.log"
KEY_FILE = "secret_key"  # the member holding an embedded setup's key file
FORMAT = 1  # of the manifest; a restore refuses formats it does not know
CHUNK = 1024 * 1024
# A restore that waits on a lock (a web process still running a query) fails instead of hanging.
RESTORE_LOCK_TIMEOUT = "30s"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, for the operator."""


# --- The database ------------------------------------------------------------------------------


def _database() -> dict:
    """How libpq reaches the configured database (``dbname``, ``host``, ``port``, ``user`` …),
    as the backend itself connects: a ``DATABASE_URL`` may put the host in its query string."""
    params = connections[DEFAULT_DB_ALIAS].get_connection_params()
    return {key: value for key, value in params.items() if isinstance(value, str | int)}


def _is_embedded(database: dict) -> bool:
    return str(database.get("host") or "") == str(embedded.postgres.socket_dir) and str(
        database.get("port") or ""
    ) == str(embedded.PG_SOCKET_PORT)


def client_program(name: str, database: dict | None = None) -> Path:
    """``pg_dump`` or ``pg_restore``: the embedded server's own when the database is the embedded
    one; otherwise the newest of the one on ``PATH`` and the embedded install's (a client refuses a
    server newer than itself, and reads every older one)."""
    database = database or _database()
    bundled = embedded.postgres.bin_dir / name
    if _is_embedded(database):
        return bundled
    found = [Path(path) for path in [shutil.which(name)] if path]
    if bundled.exists():
        found.append(bundled)
    if not found:
        raise BackupError(f"找不到 {name}：请安装与数据库服务器同一主版本（或更新）的 PostgreSQL 客户端。")
    return max(found, key=_major_version)


def _major_version(program: Path) -> int:
    """16 for "pg_dump (PostgreSQL) 16.4"; 0 when it cannot tell."""
    try:
        output = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=10).stdout  # noqa: S603 (our path)
        return int(output.split()[-1].split(".")[0])
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return 0


def _connection_arguments(database: dict) -> tuple[list[str], dict]:
    """``--dbname`` with a connection string, and an environment holding the password (kept off
    the command line, which every user of the machine can read)."""
    environment = {**os.environ}
    params = dict(database)
    if password := params.pop("password", ""):
        environment["PGPASSWORD"] = str(password)
    return ["--dbname", make_dsn(**{key: str(value) for key, value in params.items()})], environment


def _run(program: Path, arguments: list[str], environment: dict, what: str) -> None:
    # Our own choice of binary and an argument list, never a shell.
    result = subprocess.run([str(program), *arguments], capture_output=True, text=True, env=environment, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what}失败：\n{result.stderr.strip() or result.stdout.strip()}")


def _state(cursor) -> tuple[dict[str, int], dict | None]:
    """Every table's exact row count and the audit chain head, as ``cursor`` sees them."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    head_table = AuditChainHead._meta.db_table
    head = None
    if head_table in counts:
        cursor.execute(sql.SQL("SELECT last_id, last_hash FROM {} WHERE singleton").format(sql.Identifier(head_table)))
        row = cursor.fetchone()
        head = {"last_id": row[0], "last_hash": row[1]} if row else None
    return counts, head


def database_state() -> tuple[dict[str, int], dict | None]:
    """Row counts and audit chain head of the configured database now."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        return _state(cursor)


def _dump(target: Path, database: dict) -> tuple[dict[str, int], dict | None]:
    """``pg_dump`` into ``target`` inside a snapshot exported by a read-only repeatable-read
    transaction, which reads the row counts and the chain head in the same snapshot."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        wrapper.ensure_connection()
        raw = wrapper.connection
        raw.autocommit = False
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, head = _state(cursor)
            arguments, environment = _connection_arguments(database)
            _run(
                client_program("pg_dump", database),
                ["--format=custom", f"--snapshot={snapshot}", f"--file={target}", *arguments],
                environment,
                "pg_dump 导出数据库",
            )
        raw.rollback()
    finally:
        wrapper.close()
    return counts, head


# --- Files -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _secret_key_file() -> Path | None:
    path = getattr(settings, "SHUNIU_SECRET_KEY_FILE", None)
    return Path(path) if path else None


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _version() -> dict:
    """The app's version (pyproject.toml) and, in a git checkout, the commit."""
    found = {"version": "", "commit": ""}
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
        found["version"] = tomllib.load(handle).get("project", {}).get("version", "")
    git = shutil.which("git")
    if git and (settings.BASE_DIR / ".git").exists():
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
        found["commit"] = result.stdout.strip() if result.returncode == 0 else ""
    return found


def archive_name(now=None) -> str:
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return f"shuniu-backup-{stamp}.tar.gz"


def backup(output: Path, *, progress: Callable[[str], None] = lambda line: None) -> Path:
    """Write one archive into ``output`` (created if missing, mode 0700 for a new one) and return
    its path. The archive appears under its final name only once complete."""
    database = _database()
    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = timezone.now()
    final = output / archive_name(now)
    if final.exists():  # a second backup in the same minute
        final = output / final.name.replace(".tar.gz", timezone.localtime(now).strftime("-%S.tar.gz"))
    # The dump is staged beside the archives, not in /tmp: it can be as large as the database.
    with tempfile.TemporaryDirectory(dir=output, prefix=".shuniu-backup-") as staging:
        dump = Path(staging) / DATABASE_DUMP
        progress(f"导出数据库 {database['dbname']} …")
        counts, head = _dump(dump, database)
        members: list[tuple[str, Path]] = [(DATABASE_DUMP, dump)]
        media_root = _media_root()
        if media_root.is_dir():
            members += [
                (f"{MEDIA}/{path.relative_to(media_root).as_posix()}", path)
                for path in sorted(media_root.rglob("*"))
                if path.is_file() and not path.is_symlink()
            ]
        anchors = audit.anchor_file()
        if anchors.is_file():
            members.append((ANCHORS, anchors))
        key_file = _secret_key_file()
        if key_file is not None and key_file.is_file():
            members.append((KEY_FILE, key_file))
        progress(f"打包 {len(members)} 个文件 …")
        files = []
        partial = output / f".{final.name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
                for name, path in members:
                    files.append(_add_file(archive, name, path))
                manifest = {
                    "format": FORMAT,
                    "created_at": now.isoformat(),
                    **_version(),
                    "database": database["dbname"],
                    "row_counts": counts,
                    "audit_chain_head": head,
                    "files": files,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            partial.rename(final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return final


class _Hashing:
    """A file read through, hashing what is read: the manifest holds the hash of exactly the bytes
    that went into the archive, even of a file appended to meanwhile (the anchors)."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    info = archive.gettarinfo(path, arcname=name)
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), 0o600, int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


# --- Restore -----------------------------------------------------------------------------------


@dataclass
class Checked:
    """An archive whose members match its manifest, unpacked into ``directory``."""

    manifest: dict
    directory: Path


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            manifest = json.loads(archive.extractfile(archive.getmember(MANIFEST)).read())
    except (KeyError, tarfile.TarError, OSError, ValueError):
        raise BackupError(f"{archive_path.name} 不是完好的枢纽备份（读不出 {MANIFEST}）。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式 {manifest.get('format')!r}。")
    return manifest


def unpack(archive_path: Path, directory: Path) -> Checked:
    """Unpack into ``directory`` and check every member against the manifest: nothing missing,
    nothing extra, every size and SHA-256 as recorded, no links or paths outside."""
    manifest = read_manifest(archive_path)
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(directory, filter="data")  # refuses absolute paths, .. and links out
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"备份已损坏或被改动，未做任何恢复：{error}") from error
    expected = {entry["path"]: entry for entry in manifest["files"]}
    found = {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if (path.is_symlink() or not path.is_dir()) and path.relative_to(directory).as_posix() != MANIFEST
    }
    problems = [f"缺少 {name}" for name in sorted(expected.keys() - found)]
    problems += [f"清单外的文件 {name}" for name in sorted(found - expected.keys())]
    for name in sorted(expected.keys() & found):
        path = directory / name
        if (
            path.is_symlink()
            or path.stat().st_size != expected[name]["size"]
            or _sha256(path) != expected[name]["sha256"]
        ):
            problems.append(f"{name} 与清单的校验和不符")
    if problems:
        raise BackupError("备份已损坏或被改动，未做任何恢复：\n" + "\n".join(problems))
    return Checked(manifest=manifest, directory=directory)


def _aside(path: Path, stamp: str) -> Path:
    return path.with_name(f"{path.name}.before-restore-{stamp}")


def _replace_file(source: Path | None, target: Path, stamp: str) -> str:
    """Put ``source`` (or nothing) at ``target``, keeping a differing old one aside."""
    if target.exists() and (source is None or _sha256(target) != _sha256(source)):
        shutil.move(target, _aside(target, stamp))
        kept = f"原文件已移到 {_aside(target, stamp)}"
    else:
        kept = ""
    if source is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return kept


def _restore_media(source: Path, media_root: Path, stamp: str) -> int:
    """Make ``media_root`` hold exactly the archive's files; files that are not in the archive, or
    differ from it, are moved aside (nothing uploaded since the backup is lost). Returns how many."""
    aside = _aside(media_root, stamp)
    moved = 0
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(media_root)
            wanted = source / relative
            if wanted.is_file() and _sha256(wanted) == _sha256(path):
                continue
            (aside / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, aside / relative)
            moved += 1
    if source.is_dir():
        shutil.copytree(source, media_root, dirs_exist_ok=True)
    media_root.mkdir(parents=True, exist_ok=True)
    return moved


@dataclass
class Verified:
    ok: bool
    lines: list[str] = field(default_factory=list)


def _verify(manifest: dict) -> Verified:
    counts, head = database_state()
    expected = manifest["row_counts"]
    lines, ok = [], True
    differing = sorted(table for table in expected if counts.get(table) != expected[table])
    if differing:
        ok = False
        lines += [
            f"行数不符 {table}: 备份 {expected[table]}，现在 {counts.get(table, '无此表')}" for table in differing
        ]
    else:
        lines.append(f"行数一致：{len(expected)} 张表，共 {sum(expected.values())} 行")
    extra = sorted(counts.keys() - expected.keys())
    if extra:
        lines.append(f"备份之后新建的表（保留原样）：{', '.join(extra)}")
    if head == manifest["audit_chain_head"]:
        shown = f"#{head['last_id']} {head['last_hash']}" if head else "（空）"
        lines.append(f"审计链头一致：{shown}")
    else:
        ok = False
        lines.append(f"审计链头不符：备份 {manifest['audit_chain_head']}，现在 {head}")
    chain = audit.verify()
    if chain.ok:
        lines.append(f"审计链校验通过：{chain.checked} 行")
    else:
        ok = False
        lines.append(f"审计链校验失败：#{chain.broken_at} {chain.problem}")
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        lines.append(f"备份早于当前代码：还有 {len(pending)} 个迁移未执行，请运行 manage.py migrate")
    return Verified(ok=ok, lines=lines)


def restore(archive_path: Path, *, progress: Callable[[str], None] = lambda line: None) -> Verified:
    """Replace the database, media, anchors and key file with the archive's, then verify."""
    database = _database()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    # Unpacked beside MEDIA_ROOT: writable, large enough for it, and moves into it are renames.
    _media_root().parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=_media_root().parent, prefix=".shuniu-restore-") as directory:
        checked = unpack(archive_path, Path(directory))
        progress("校验和与清单一致。")
        # Our own connection must not hold the tables pg_restore drops.
        connections.close_all()
        arguments, environment = _connection_arguments(database)
        environment["PGOPTIONS"] = f"{environment.get('PGOPTIONS', '')} -c lock_timeout={RESTORE_LOCK_TIMEOUT}".strip()
        progress(f"恢复数据库 {database['dbname']} …")
        _run(
            client_program("pg_restore", database),
            [
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                *arguments,
                str(checked.directory / DATABASE_DUMP),
            ],
            environment,
            "pg_restore 恢复数据库",
        )
        moved = _restore_media(checked.directory / MEDIA, _media_root(), stamp)
        progress(
            f"恢复附件目录 {_media_root()}"
            + (f"（{moved} 个备份中没有的文件已移到 {_aside(_media_root(), stamp)}）" if moved else "")
        )
        source = checked.directory / ANCHORS
        kept = _replace_file(source if source.is_file() else None, audit.anchor_file(), stamp)
        progress(f"恢复链头记录 {audit.anchor_file()}" + (f"（{kept}）" if kept else ""))
        source, key_file = checked.directory / KEY_FILE, _secret_key_file()
        if source.is_file() and key_file is not None:
            kept = _replace_file(source, key_file, stamp)
            key_file.chmod(0o600)
            progress(f"恢复密钥文件 {key_file}" + (f"（{kept}）" if kept else ""))
        return _verify(checked.manifest)
