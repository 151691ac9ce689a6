"""The 会议 pages (views.py), included by office/urls.py under ``meetings/`` (namespace ``meetings``)."""

from django.urls import path

from meetings import views
from meetings.views import logistics, plans, preparation

urlpatterns: list = [
    path("", views.meetings, name="meetings"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("rooms/", views.rooms, name="rooms"),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/<slug:action>/", views.topic_action, name="topic_action"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/public/", views.schedule_public, name="schedule_public"),
    path("schedule/new/", views.schedule_new, name="schedule_new"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/checkin-code/", views.meeting_qr, name="meeting_qr"),
    path("<int:pk>/checkin/<str:token>/", views.meeting_checkin, name="meeting_checkin"),
    *plans.urlpatterns,
    *preparation.urlpatterns,
    *logistics.urlpatterns,
    path("<int:pk>/<slug:action>/", views.meeting_action, name="meeting_action"),
]
