from django.urls import path

from opiekun.channels.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.points, name="points"),
    path("<slug:slug>/", views.counter, name="counter"),
    path("<slug:slug>/next/", views.next_customer, name="next"),
    path("<slug:slug>/visitor/", views.visitor, name="new_visitor"),
    path("<slug:slug>/visitor/<int:pk>/", views.visitor, name="visitor"),
    path("<slug:slug>/visitor/<int:pk>/visit/", views.save_visit, name="save_visit"),
    path("<slug:slug>/kiosk/", views.kiosk, name="kiosk"),
    path("<slug:slug>/display/", views.display, name="display"),
]
