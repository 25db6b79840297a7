"""The one NinjaAPI, mounted at /api/v1/; each app adds its router here.

The interactive docs page is off: ninja's Swagger page needs its static files from the `ninja`
app and would otherwise load scripts from a CDN, which the Content-Security-Policy forbids.
The OpenAPI document at /api/v1/openapi.json opens in any OpenAPI viewer.
"""

from ninja import NinjaAPI

from opiekun.api.auth import BearerAuth, SessionAuth
from opiekun.api.errors import install_error_handlers
from opiekun.cases.api import router as cases_router
from opiekun.channels.phone.api import router as telephony_router
from opiekun.complaints.api import router as complaints_router
from opiekun.customers.api import router as customers_router

api = NinjaAPI(
    title="Opiekun API",
    version="1",
    description=(
        "Cases, their interactions and customers. Authenticate with a personal token "
        "(`Authorization: Bearer opk_…`, made by `opiekun create_token USERNAME`) or the "
        'signed-in session with its CSRF token. Errors are `{"detail": …, "code": …}`.'
    ),
    urls_namespace="api",
    docs_url=None,
    auth=[BearerAuth(), SessionAuth()],
)
install_error_handlers(api)
api.add_router("/cases", cases_router, tags=["cases"])
api.add_router("/customers", customers_router, tags=["customers"])
api.add_router("/complaints", complaints_router, tags=["complaints"])
api.add_router("/telephony", telephony_router, tags=["telephony"])
