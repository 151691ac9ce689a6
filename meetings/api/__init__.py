"""``/api/v1/meetings/``: 会议 — ``meetings/`` (the meetings the caller may see, a meeting in full with
its agenda, attendees, materials, 议定事项, 流转记录 and ``offered``, and every step of
``rules.MEETING`` as an action), ``rooms/`` (the organ's rooms and their calendar), ``topics/`` (议题,
every step of ``rules.TOPIC``) and ``schedule/`` (领导活动安排, the week and the published week).

Thin over ``meetings.services`` (writes) and ``meetings.selectors`` (reads): serializers check shape,
services check rules. A record outside the caller's reach is a 404 on its detail and every action,
and absent from the lists and their counts.

In this package: ``viewsets``, ``serializers`` (the answers) and ``inputs`` (query parameters and bodies)."""


def register() -> None:
    """Register this package's viewsets with ``office.api.routes.register`` (``AppConfig.ready``)."""
    from meetings.api import logistics, plans, preparation
    from meetings.api.viewsets import MeetingViewSet, RoomViewSet, ScheduleViewSet, TopicViewSet
    from office.api.routes import register as route

    route("meetings/meetings", MeetingViewSet, basename="meeting")
    route("meetings/rooms", RoomViewSet, basename="meeting-room")
    route("meetings/topics", TopicViewSet, basename="meeting-topic")
    route("meetings/schedule", ScheduleViewSet, basename="meeting-schedule")
    plans.register(route)
    preparation.register(route)
    logistics.register(route)
