from django.urls import path

from samtal.a3 import views as a3_views

from . import views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path("<str:token>/a3.pdf", a3_views.participant_a3_pdf, name="a3_pdf"),
    path("<str:token>/", views.preparation, name="preparation"),
    path("<str:token>/spara/", views.autosave, name="autosave"),
    path("<str:token>/underlag/<int:material_id>/", views.material, name="material"),
]
