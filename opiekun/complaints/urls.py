from django.urls import path

from opiekun.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.register, name="register"),
    path("board/", views.board, name="board"),
    path(
        "case/<str:number>/proposals/<int:proposal_id>/",
        views.proposal_outcome,
        name="proposal_outcome",
    ),
]
# One URL per workflow step; the template names them complaints:<step>.
urlpatterns += [
    path(f"case/<str:number>/{name}/", views.step, {"name": name}, name=name)
    for name in views.STEPS
]
