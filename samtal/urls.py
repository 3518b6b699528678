"""The site's routes. Each app lists its own; the "meetings" (/samtal/) and "participants"
(/l/<token>/) namespaces are put together here from the routes several apps contribute,
so no app's URLconf routes another app's views."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samtal.a3 import urls as a3_urls
from samtal.actions import urls as actions_urls
from samtal.archive import urls as archive_urls
from samtal.conversation_templates import urls as conversation_templates_urls
from samtal.core import views as core_views
from samtal.evaluations import urls as evaluations_urls
from samtal.identity import views as identity_views
from samtal.meetings import urls as meetings_urls
from samtal.participants import urls as participants_urls

admin.site.site_header = "Samtal – administration"
admin.site.site_title = "Samtal"
admin.site.index_title = "Administration"

meeting_routes = [
    *meetings_urls.meeting_routes,
    *participants_urls.meeting_routes,
    *a3_urls.meeting_routes,
    *archive_urls.meeting_routes,
]

link_routes = [
    *participants_urls.link_routes,
    *a3_urls.link_routes,
    *archive_urls.link_routes,
    *actions_urls.link_routes,
    *evaluations_urls.link_routes,
]

join_routes = [
    *a3_urls.join_routes,
    *evaluations_urls.join_routes,
]

template_routes = [
    *conversation_templates_urls.template_routes,
    *a3_urls.template_routes,
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", identity_views.logout, name="logout"),
    path("sso/", include("samtal.identity.urls")),
    path("sessionen/", core_views.session_status, name="session_status"),
    path("sessionen/aktiv/", core_views.session_keep_alive, name="session_keep_alive"),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "glomt-losenord/",
        core_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        core_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("samtal/", include((meeting_routes, "meetings"))),
    path("mallar/", include((template_routes, "conversation_templates"))),
    path("samtal/<int:meeting_id>/live/", include("samtal.a3.live_urls")),
    path("samtal/<int:meeting_id>/nyckeltal/", include("samtal.keyfigures.urls")),
    path("l/", include((link_routes, "participants"))),
    path("delta/", include((join_routes, "join"))),
    path("", include("samtal.meetings.urls")),
    path("", include("samtal.evaluations.urls")),
    path("", include("samtal.surveys.urls")),
    path("arkiv/", include("samtal.archive.urls")),
    path("uppfoljning/", include("samtal.actions.urls")),
    path("administration/", include("samtal.administration.urls")),
    path("dataskydd/", include("samtal.privacy.urls")),
    path("admin/", admin.site.urls),
]
