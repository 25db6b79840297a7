from django.urls import path

from opiekun.channels.phone import views

app_name = "phone"
urlpatterns = [
    path("", views.log, name="log"),
    path("lookup/", views.lookup, name="lookup"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("ringing/", views.ringing, name="ringing"),
]
