from django.urls import path

from opiekun.channels.web import views

app_name = "web"
urlpatterns = [path("<slug:slug>/", views.contact, name="contact")]
