from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from opiekun.api.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:list", permanent=False)),
    path("accounts/", include("opiekun.accounts.urls")),
    path("cases/", include("opiekun.cases.urls")),
    path("customers/", include("opiekun.customers.urls")),
    path("macros/", include("opiekun.cases.macro_urls")),
    path("complaints/", include("opiekun.complaints.urls")),
    path("sla/", include("opiekun.sla.urls")),
    path("portal/", include("opiekun.portal.urls")),
    path("phone/", include("opiekun.channels.phone.urls")),
    path("contact/", include("opiekun.channels.web.urls")),
    path("email/", include("opiekun.channels.email.urls")),
    path("visits/", include("opiekun.channels.visits.urls")),
    path("feedback/", include("opiekun.feedback.urls")),
    path("api/v1/", api.urls),
    # The admin signs in through our login page, with its lockout and 2FA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
