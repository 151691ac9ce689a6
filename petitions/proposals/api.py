"""REST API of this package (registered by ``register``, called from ``PetitionsConfig.ready``)."""


def register() -> None:
    """Register this package's viewsets with ``office.api.routes.register``."""
