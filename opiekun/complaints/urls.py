from django.urls import path

from opiekun.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.register, name="register"),
    path("board/", views.board, name="board"),
    path("case/<str:number>/register/", views.register_complaint, name="register_complaint"),
    path("case/<str:number>/understanding/", views.record_understanding, name="understanding"),
    path("case/<str:number>/confirm/", views.confirm_understanding, name="confirm"),
    path("case/<str:number>/propose/", views.propose, name="propose"),
    path(
        "case/<str:number>/proposals/<int:proposal_id>/",
        views.proposal_outcome,
        name="proposal_outcome",
    ),
    path("case/<str:number>/decide/", views.decide, name="decide"),
    path("case/<str:number>/deliver/", views.deliver, name="deliver"),
    path("case/<str:number>/extend/", views.extend, name="extend"),
]
