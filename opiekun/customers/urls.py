from django.urls import path

from opiekun.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/merge/", views.customer_merge, name="merge"),
    path("<int:pk>/identities/", views.identity_add, name="identity_add"),
    path(
        "<int:pk>/identities/<int:identity_id>/remove/",
        views.identity_remove,
        name="identity_remove",
    ),
    path(
        "<int:pk>/identities/<int:identity_id>/confirm/",
        views.identity_confirm,
        name="identity_confirm",
    ),
    path(
        "<int:pk>/identities/<int:identity_id>/detach/",
        views.identity_detach,
        name="identity_detach",
    ),
    path("<int:pk>/matches/<int:match_id>/dismiss/", views.match_dismiss, name="match_dismiss"),
    path("<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("<int:pk>/facts/<int:fact_id>/remove/", views.fact_remove, name="fact_remove"),
]
