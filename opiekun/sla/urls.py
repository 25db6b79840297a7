from django.urls import path

from opiekun.sla import views

app_name = "sla"
urlpatterns = [
    path("case/<str:number>/commitments/", views.add_commitment, name="add_commitment"),
    path(
        "case/<str:number>/commitments/<int:commitment_id>/kept/",
        views.mark_kept,
        name="commitment_kept",
    ),
]
