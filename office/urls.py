from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from office import views
from office.api import exceptions as api_exceptions
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
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("confidentiality/", include(("office.confidentiality.urls", "confidentiality"))),
    path("reminders/", include(("office.reminders.urls", "reminders"))),
    path("documents/", include(("documents.urls", "documents"))),
    path("supervision/", include(("supervision.urls", "supervision"))),
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
