from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from office import views
from office.api import exceptions as api_exceptions
from office.dashboard import views as dashboard_views
from office.desk import views as desk_views
from office.org import group_views, phrase_views
from office.org import views as org_views

admin.site.site_header = _("枢纽 · 系统管理")
admin.site.site_title = _("枢纽")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", org_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/tokens/<int:pk>/revoke/", org_views.api_token_revoke, name="api_token_revoke"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.dashboard_export, name="dashboard_export"),
    path("desk/read/", desk_views.desk_read, name="desk_read"),
    path("desk/follow/<str:kind>/<int:pk>/", desk_views.follow, name="desk_follow"),
    path("desk/delegations/", desk_views.delegations, name="desk_delegations"),
    path("desk/delegations/<int:pk>/revoke/", desk_views.delegation_revoke, name="desk_delegation_revoke"),
    path("desk/count/", desk_views.desk_count, name="desk_count"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("groups/", group_views.unit_group_list, name="org_unit_groups"),
    path("groups/options/", group_views.unit_group_options, name="org_unit_group_options"),
    path("groups/<int:pk>/delete/", group_views.unit_group_delete, name="org_unit_group_delete"),
    path("phrases/", phrase_views.phrase_list, name="org_phrases"),
    path("phrases/<int:pk>/delete/", phrase_views.phrase_delete, name="org_phrase_delete"),
    path("phrases/<int:pk>/<str:direction>/", phrase_views.phrase_move, name="org_phrase_move"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("confidentiality/", include(("office.confidentiality.urls", "confidentiality"))),
    path("reminders/", include(("office.reminders.urls", "reminders"))),
    path("documents/", include(("documents.urls", "documents"))),
    path("supervision/", include(("supervision.urls", "supervision"))),
    path("petitions/", include(("petitions.urls", "petitions"))),
    path("meetings/", include(("meetings.urls", "meetings"))),
    path("admin/", admin.site.urls),
    path("api/", include("office.api.urls")),
]


def handler400(request, exception=None):
    # A body over the size limit or with too many fields, refused before any view ran.
    if request.path.startswith("/api/"):
        return api_exceptions.api_bad_request(request, exception)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return api_exceptions.api_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return api_exceptions.api_server_error(request)
    from django.views.defaults import server_error

    return server_error(request)
