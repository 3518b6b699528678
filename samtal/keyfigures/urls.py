from django.urls import path

from . import views

app_name = "keyfigures"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("valj/<str:kpi_id>/", views.choose, name="choose"),
    path("<int:key_figure_id>/ta-bort/", views.remove, name="remove"),
    path("favorit/<int:favourite_id>/", views.favourite_add, name="favourite_add"),
    path("favorit/<int:favourite_id>/ta-bort/", views.favourite_remove, name="favourite_remove"),
    path("hamta/", views.refresh, name="refresh"),
]
