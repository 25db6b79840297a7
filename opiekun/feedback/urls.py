from django.urls import path

from opiekun.feedback import views

app_name = "feedback"
urlpatterns = [
    path("goodwill/case/<str:number>/", views.grant, name="grant"),
    path("goodwill/approvals/", views.approvals, name="approvals"),
    path("goodwill/approvals/<int:pk>/", views.decide, name="decide"),
    path("goodwill/", views.ledger, name="ledger"),
]
