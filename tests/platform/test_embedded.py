"""The embedded PostgreSQL and Redis: started once, reused, restarted after a crash, stopped.

Each test runs its own servers under a temporary directory, so the suite's own servers are
never disturbed (one only reads the running Redis's settings, after the reusing start that gives a
server started without persistence its persistence, live).
"""

import os
import signal
import socket
import time

import psycopg2
import pytest
import redis as redis_py

from office import embedded


@pytest.fixture
def var_dir(tmp_path):
    yield tmp_path
    embedded.EmbeddedPostgres(var_dir=tmp_path).stop()
    embedded.EmbeddedRedis(var_dir=tmp_path).stop()


def _query(url: str, sql: str):
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall() if cursor.description else None


def _redis(path, *command: str) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(path))
        parts = [f"*{len(command)}\r\n".encode()]
        for word in command:
            parts.append(f"${len(word.encode())}\r\n{word}\r\n".encode())
        client.sendall(b"".join(parts))
        return client.recv(1024)


def _wait_dead(pid: int) -> None:
    for _ in range(100):
        if not embedded._pid_alive(pid):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not die")


def test_postgres_starts_once_and_is_reused(var_dir):
    """GIVEN no server WHEN start is called twice THEN one server answers, the second call reuses it."""
    pg = embedded.EmbeddedPostgres(var_dir=var_dir)
    assert pg.pid() is None

    url = pg.start()
    first_pid = pg.pid()
    again = pg.start()

    assert again == url
    assert pg.pid() == first_pid
    assert _query(url, "SELECT current_database()") == [("shuniu",)]
    assert "5432" not in url.replace(str(embedded.PG_SOCKET_PORT), ""), "never the standard port"
    assert "host=/" in url, "a unix socket, not a TCP port"


def test_postgres_restarts_after_being_killed_and_keeps_its_data(var_dir):
    """GIVEN a running server holding a table WHEN it is killed with SIGKILL (leaving its pid
    and lock files behind) THEN the next start brings up a new server with the data intact."""
    pg = embedded.EmbeddedPostgres(var_dir=var_dir)
    url = pg.start()
    _query(url, "CREATE TABLE survivor (note text); INSERT INTO survivor VALUES ('仍在')")
    # Make sure the row is on disk before the crash (a crash loses nothing committed anyway).
    _query(url, "CHECKPOINT")
    old_pid = pg.pid()

    os.kill(old_pid, signal.SIGKILL)
    _wait_dead(old_pid)
    assert pg.pid() is None
    assert (pg.data_dir / "postmaster.pid").exists(), "the crash leaves a stale pid file"

    url = pg.start()
    assert pg.pid() not in (None, old_pid)
    assert _query(url, "SELECT note FROM survivor") == [("仍在",)]


def test_postgres_ignores_a_stale_pid_file_naming_another_process(var_dir):
    """GIVEN a stopped server whose postmaster.pid names a live process that is not PostgreSQL
    WHEN start is called THEN the server starts anyway."""
    pg = embedded.EmbeddedPostgres(var_dir=var_dir)
    pg.start()
    pg.stop()
    (pg.data_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{pg.data_dir}\n")

    url = pg.start()

    assert pg.pid() not in (None, os.getpid())
    assert _query(url, "SELECT 1") == [(1,)]


def test_postgres_stops_cleanly(var_dir):
    """GIVEN a running server WHEN stop is called THEN it exits and a second stop is a no-op."""
    pg = embedded.EmbeddedPostgres(var_dir=var_dir)
    url = pg.start()
    pid = pg.pid()

    assert pg.stop() is True
    assert not embedded._pid_alive(pid)
    assert pg.stop() is False
    with pytest.raises(psycopg2.OperationalError):
        _query(url, "SELECT 1")


def test_redis_starts_once_restarts_after_kill_and_stops(var_dir):
    """GIVEN no Redis WHEN started twice, killed, started again and stopped THEN each step
    behaves: reuse, recovery over the stale pid file, clean stop."""
    redis = embedded.EmbeddedRedis(var_dir=var_dir)
    url = redis.start()
    pid = redis.pid()
    assert url == f"unix://{redis.socket_path}"
    assert redis.start() == url and redis.pid() == pid
    assert _redis(redis.socket_path, "SET", "k", "值").startswith(b"+OK")

    os.kill(pid, signal.SIGKILL)
    _wait_dead(pid)
    assert redis.pid() is None and redis.pid_file.exists()

    redis.start()
    assert redis.pid() not in (None, pid)
    assert _redis(redis.socket_path, "PING").startswith(b"+PONG")

    assert redis.stop() is True
    assert redis.stop() is False
    assert not redis.is_ready()


def test_configured_urls_start_nothing(monkeypatch, tmp_path):
    """GIVEN DATABASE_URL and REDIS_URL set WHEN the settings ask for URLs THEN those are used
    and no embedded server is started."""
    monkeypatch.setenv("DATABASE_URL", "postgres://shuniu@db.example:5432/shuniu")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    monkeypatch.setattr(embedded, "postgres", embedded.EmbeddedPostgres(var_dir=tmp_path))
    monkeypatch.setattr(embedded, "redis", embedded.EmbeddedRedis(var_dir=tmp_path))

    assert embedded.database_url() == "postgres://shuniu@db.example:5432/shuniu"
    assert embedded.redis_url() == "redis://cache.example:6379/0"
    assert not (tmp_path / "pg").exists() and not (tmp_path / "redis").exists()


def _client(redis: embedded.EmbeddedRedis) -> redis_py.Redis:
    return redis_py.Redis(unix_socket_path=str(redis.socket_path), socket_timeout=5, decode_responses=True)


def test_redis_keeps_the_queue_and_the_sessions_across_a_stop_and_a_crash(var_dir):
    """GIVEN an embedded Redis holding a queued task and a session
    WHEN it is stopped and started again (Ctrl-C on `make run`), then killed with SIGKILL and started
    THEN both keys are still there each time: it appends every write to a file under its data directory."""
    redis = embedded.EmbeddedRedis(var_dir=var_dir)
    redis.start()
    with _client(redis) as client:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
        assert client.config_get("save") == {"save": "900 1 300 10 60 10000"}
        assert client.config_get("dir") == {"dir": str(var_dir / "redis")}
        client.lpush("celery", '{"task": "send_reminder"}')
        client.set(":1:django.contrib.sessions.cache1", "会话")

    redis.stop()
    redis.start()
    with _client(redis) as client:
        assert client.lrange("celery", 0, -1) == ['{"task": "send_reminder"}']
        assert client.get(":1:django.contrib.sessions.cache1") == "会话"

    pid = redis.pid()
    os.kill(pid, signal.SIGKILL)
    _wait_dead(pid)
    redis.start()
    with _client(redis) as client:
        assert client.lrange("celery", 0, -1) == ['{"task": "send_reminder"}']
        assert client.get(":1:django.contrib.sessions.cache1") == "会话"
    assert (redis.data_dir / "appendonly.aof").exists()


def test_a_running_redis_started_without_persistence_gets_it_on_the_next_start(var_dir):
    """GIVEN an embedded Redis running without persistence (as one an older version started)
    WHEN start is called again (`make services`, a process reading its settings)
    THEN the same server, not restarted, now appends every write and takes snapshots."""
    redis = embedded.EmbeddedRedis(var_dir=var_dir)
    redis.start()
    pid = redis.pid()
    with _client(redis) as client:
        client.config_set("appendonly", "no")
        client.config_set("save", "")

    redis.start()

    assert redis.pid() == pid
    with _client(redis) as client:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("save") == {"save": "900 1 300 10 60 10000"}


def test_the_embedded_redis_this_machine_runs_persists(settings):
    """GIVEN the embedded Redis the suite (and the demo) run on
    WHEN it is asked for its settings after `make services` (start, which reuses the running server)
    THEN it appends every write to a file, fsynced each second, and takes snapshots, in .var/redis."""
    if embedded.redis.url != settings.REDIS_URL:
        pytest.skip("REDIS_URL names a Redis of its own, not the embedded one")
    embedded.redis.start()
    with _client(embedded.redis) as client:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
        assert client.config_get("save") == {"save": "900 1 300 10 60 10000"}
        assert client.config_get("dir") == {"dir": str(embedded.redis.data_dir)}
