from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samtal.core import views as core_views
from samtal.participants import revocation

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
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("samtal/", include("samtal.meetings.urls")),
    path("samtal/<int:meeting_id>/live/", include("samtal.a3.live_urls")),
    path(
        "samtal/<int:meeting_id>/medverkande/<int:participation_id>/aterkalla-lank/",
        revocation.revoke_link,
        name="revoke_link",
    ),
    path("l/", include("samtal.participants.urls")),
    path("", include("samtal.evaluations.urls")),
    path("", include("samtal.surveys.urls")),
    path("arkiv/", include("samtal.archive.urls")),
    path("uppfoljning/", include("samtal.actions.urls")),
    path("dataskydd/", include("samtal.privacy.urls")),
    path("admin/", admin.site.urls),
]
