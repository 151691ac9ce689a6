"""A mail server in a directory, for worker processes a test cannot reach into (locmem's outbox
lives in the worker's memory): each accepted message becomes one file, written whole or not at all.

The reply comes ``SHUNIU_TEST_MAIL_LATENCY`` seconds after the message is accepted, as a real
server's does after it queued the message: a worker killed in that moment leaves a delivered email
whose outcome it never recorded.
"""

import os
import time
import uuid
from email import message_from_bytes
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SpoolEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        spool = Path(os.environ["SHUNIU_TEST_MAIL_SPOOL"])
        for message in email_messages:
            name = uuid.uuid4().hex
            partial = spool / f".{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, spool / f"{name}.eml")
        time.sleep(float(os.environ.get("SHUNIU_TEST_MAIL_LATENCY", "0")))
        return len(email_messages)


def delivered(spool: Path) -> list[tuple[str, str]]:
    """(Message-ID, recipient) of every message the spool accepted."""
    messages = [message_from_bytes(path.read_bytes()) for path in sorted(spool.glob("*.eml"))]
    return [(message["Message-ID"], message["To"]) for message in messages]
