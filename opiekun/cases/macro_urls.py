"""Macro management pages, included at /macros/."""

from django.urls import path

from opiekun.cases import macro_views

app_name = "macros"
urlpatterns = [
    path("", macro_views.macro_list, name="list"),
    path("new/", macro_views.macro_create, name="create"),
    path("<int:pk>/edit/", macro_views.macro_edit, name="edit"),
    path("<int:pk>/delete/", macro_views.macro_delete, name="delete"),
]
