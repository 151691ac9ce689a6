"""Platform tasks."""

from celery import shared_task

from office import health


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Beat → worker round trip: proves to the administrators' home page that both run."""
    health.record_heartbeat()


@shared_task(ignore_result=True)
def purge_expired_tokens() -> int:
    """Expired API tokens are refused when presented; this removes the rest once a day."""
    from django.utils import timezone
    from knox.models import get_token_model

    deleted, _ = get_token_model().objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
