from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("enkat/<str:token>/", views.answer, name="answer"),
    path("enkat/<str:token>/tack/", views.thanks, name="thanks"),
    path("enkat/personlig/<str:token>/", views.answer_invited, name="answer_invited"),
    path("utvardering/sjalvskattning/omgangar/", views.rounds, name="rounds"),
    path("utvardering/sjalvskattning/<slug:key>/", views.results, name="results"),
    path("utvardering/sjalvskattning/<slug:key>/export.csv", views.export_csv, name="export"),
]
