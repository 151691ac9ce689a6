"""The one API router. The kernel registers its own routes in ``office/api/urls.py``; each domain
app registers its viewsets from its ``AppConfig.ready()``, so the kernel names no domain app."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def register(prefix: str, viewset, basename: str) -> None:
    if any(existing == prefix for existing, *_ in router.registry):
        return  # ready() may run twice (tests)
    router.register(prefix, viewset, basename=basename)
