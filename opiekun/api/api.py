"""The one NinjaAPI, mounted at /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Opiekun API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)
