from ninja import NinjaAPI

from .gate import router as gate_router

api = NinjaAPI(
    title="JO E-Tickets API",
    version="1",
    description="The e-ticketing platform of the Paris 2024 Olympic Games.",
    urls_namespace="api",
    docs_url=None,  # the CSP forbids the CDN-hosted documentation page
)
api.add_router("/gate", gate_router)
