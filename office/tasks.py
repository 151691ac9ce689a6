"""Platform tasks."""

from celery import shared_task

from office import health


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Beat → worker round trip: proves to the administrators' home page that both run."""
    health.record_heartbeat()
