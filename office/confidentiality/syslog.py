"""The ``shuniu.audit`` log (chain anchors, chain-head rebuilds) sent to the organ's syslog host.

``SHUNIU_AUDIT_SYSLOG`` names it as ``udp://host:port`` or ``tcp://host:port`` (port 514 when left
out; ``?facility=local3`` chooses the facility, ``local0`` by default). A second copy of every
anchor on a machine the database's administrators cannot reach is what makes a rewritten chain
show. Nothing here imports Django: settings.py calls it while it builds ``LOGGING``.
"""

from __future__ import annotations

import logging.handlers
import socket
from urllib.parse import parse_qs, urlsplit

SOCKET_TYPES = {"udp": socket.SOCK_DGRAM, "tcp": socket.SOCK_STREAM}


class AuditSyslogHandler(logging.handlers.SysLogHandler):
    """A SysLogHandler that never stops the process from starting (or keeps a dead connection)
    because the log host is down: it connects on first use and again after a failed send. The
    failure itself is reported on stderr by ``handleError``; the anchor file still has the line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Over TCP a record ends at a newline (RFC 6587 non-transparent framing), not a NUL.
        self.append_nul = self.socktype != socket.SOCK_STREAM

    def createSocket(self) -> None:
        try:
            super().createSocket()
        except OSError:
            self.socket = None

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text + "\n" if self.socktype == socket.SOCK_STREAM else text

    def handleError(self, record: logging.LogRecord) -> None:
        if self.socket is not None and self.socktype == socket.SOCK_STREAM:
            self.socket.close()
            self.socket = None
        super().handleError(record)


def handler_config(url: str) -> dict:
    """The ``LOGGING["handlers"]`` entry for ``url``; a ValueError names what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in SOCKET_TYPES or not parts.hostname:
        raise ValueError(f"SHUNIU_AUDIT_SYSLOG must look like udp://host:514 or tcp://host:514, not {url!r}")
    try:
        port = parts.port or 514
    except ValueError:
        raise ValueError(f"SHUNIU_AUDIT_SYSLOG has an invalid port: {url!r}") from None
    facility = parse_qs(parts.query).get("facility", ["local0"])[0]
    if facility not in logging.handlers.SysLogHandler.facility_names:
        raise ValueError(f"SHUNIU_AUDIT_SYSLOG names an unknown syslog facility {facility!r}")
    return {
        "()": f"{__name__}.AuditSyslogHandler",
        "address": (parts.hostname, port),
        "socktype": SOCKET_TYPES[parts.scheme],
        "facility": logging.handlers.SysLogHandler.facility_names[facility],
        "formatter": "audit_syslog",
    }


FORMATTER = {"format": "shuniu.audit: %(levelname)s %(message)s"}
