from django.urls import path

from opiekun.channels.email import views

app_name = "email_channel"
urlpatterns = [
    path("mailboxes/", views.mailbox_list, name="mailbox_list"),
    path("mailboxes/new/", views.mailbox_create, name="mailbox_create"),
    path("mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/retry/", views.retry, name="retry"),
    path("quarantine/<int:pk>/raw/", views.raw_message, name="raw"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:name>/", views.outbox_message, name="outbox_message"),
    path(
        "outbox/<str:name>/files/<int:index>/",
        views.outbox_attachment,
        name="outbox_attachment",
    ),
]
