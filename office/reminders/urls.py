"""期限与提醒 pages, included in office/urls.py under ``reminders/`` (namespace ``reminders``)."""

from django.urls import path

from office.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.my_deadlines, name="my_deadlines"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
