from django.urls import path

from . import views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path("<str:token>/", views.preparation, name="preparation"),
    path("<str:token>/spara/", views.autosave, name="autosave"),
    path("<str:token>/underlag/<int:material_id>/", views.material, name="material"),
]
