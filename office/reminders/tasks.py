"""Celery tasks: thin, idempotent, taking ids (STYLE.md §6)."""

from celery import shared_task
from django.db import transaction

from office.reminders import services


@shared_task(ignore_result=True)
def scan_deadlines() -> int:
    """Beat, every minute: claim due reminders and fan out one send task each, after commit. A tick
    that finds another scan running (a second beat, a backlog of ticks) returns 0 at once."""
    ids = services.scan()
    transaction.on_commit(lambda: [send_reminder.delay(reminder_id) for reminder_id in ids])
    return len(ids)


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,  # idempotent: a reminder is sent once whatever the redelivery
    reject_on_worker_lost=True,
    max_retries=services.MAX_SEND_ATTEMPTS - 1,
)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.send(reminder_id, final_attempt=self.request.retries >= self.max_retries)
    except services.SendFailed as exc:
        # Backoff: 1, 2, 4 minutes — far below the broker's visibility timeout.
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
