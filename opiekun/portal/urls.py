from django.urls import path

from opiekun.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("cases/", views.cases, name="cases"),
    path("language/", views.language, name="language"),
    path("cases/new/", views.new_request, name="new_request"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/reply/", views.reply, name="reply"),
    path("cases/<str:number>/confirm/", views.confirm, name="confirm"),
    path("cases/<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
]
