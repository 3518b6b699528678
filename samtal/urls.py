from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samtal.core import views as core_views

admin.site.site_header = "Samtal – administration"
admin.site.site_title = "Samtal"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("samtal/", include("samtal.meetings.urls")),
    path("samtal/<int:meeting_id>/live/", include("samtal.a3.live_urls")),
    path("samtal/<int:meeting_id>/nyckeltal/", include("samtal.keyfigures.urls")),
    path("l/", include("samtal.participants.urls")),
    path("", include("samtal.evaluations.urls")),
    path("", include("samtal.surveys.urls")),
    path("arkiv/", include("samtal.archive.urls")),
    path("uppfoljning/", include("samtal.actions.urls")),
    path("admin/", admin.site.urls),
]
