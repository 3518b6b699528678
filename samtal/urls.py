"""The site's routes. Each app lists its own; the "meetings" (/samtal/) and "participants"
(/l/<token>/) namespaces are put together here from the routes several apps contribute,
so no app's URLconf routes another app's views."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samtal.a3 import urls as a3_urls
from samtal.actions import urls as actions_urls
from samtal.archive import urls as archive_urls
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
    path("samtal/", include((meeting_routes, "meetings"))),
    path("samtal/<int:meeting_id>/live/", include("samtal.a3.live_urls")),
    path("l/", include((link_routes, "participants"))),
    path("", include("samtal.meetings.urls")),
    path("", include("samtal.evaluations.urls")),
    path("", include("samtal.surveys.urls")),
    path("arkiv/", include("samtal.archive.urls")),
    path("uppfoljning/", include("samtal.actions.urls")),
    path("administration/", include("samtal.administration.urls")),
    path("admin/", admin.site.urls),
]
