"""The 签到 QR code shown in the room: an inline SVG of the address the attendee's phone opens,
carrying the current rotating token (``services.checkin.checkin_token``). The page showing it
reloads it every window (``refresh_in`` tells when the current one ends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import segno
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Meeting
from meetings.services.checkin import checkin_token, window_seconds


def checkin_svg(meeting: Meeting, url_for_token: Callable[[str], str], at: datetime | None = None) -> SafeString:
    """The code of now (or ``at``) as an inline ``<svg>`` (no XML declaration): ``url_for_token``
    turns the token into the absolute URL the phone opens."""
    url = url_for_token(checkin_token(meeting, at))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the URL is encoded as modules, not text


def refresh_in(at: datetime | None = None) -> int:
    """Seconds until the current code's window ends (when the page should fetch the next one)."""
    at = at or timezone.now()
    window = window_seconds()
    return max(1, int(window - (at.timestamp() % window)))
