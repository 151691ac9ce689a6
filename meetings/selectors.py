"""Reads of meetings, 议题 and the 领导活动安排, always from ``visible_to(user)``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from meetings.models import Material, Meeting
from office.confidentiality.models import ClassifiedCopy, CopyState


def copies_out(meeting: Meeting) -> QuerySet[ClassifiedCopy]:
    """The numbered copies of the meeting's materials still held (issued or signed for, not back)."""
    return ClassifiedCopy.objects.filter(
        content_type=ContentType.objects.get_for_model(Material),
        object_id__in=meeting.materials.values("pk"),
        returned_at__isnull=True,
        destroyed_at__isnull=True,
    ).exclude(state__in=[CopyState.RETURNED, CopyState.DESTROYED])
