"""The demo office's due dates: a few around today, so the reminders, badges and the bell have
something to show."""

from datetime import timedelta

from django.utils import timezone

from office.confidentiality import services as secrecy
from office.confidentiality.models import Carrier
from office.demo import DemoContext
from office.reminders import services


def seed(context: DemoContext) -> None:
    """Three deadlines on the 会务科's agenda in the 保密 register (``office.confidentiality.demo``);
    skipped when it has deadlines already."""
    subject = Carrier.objects.filter(title="市政府常务会议议题安排（内部）").first()
    if subject is None or services.deadlines_of(subject):
        return
    today = timezone.localdate()
    people = context.people
    # The 会务科's agenda is the city government's own: the bureau's 承办人 who answers for its
    # materials is brought into its 知悉范围 first (a 承办人 must be able to open his subject).
    secrecy.grant(
        actor=subject.created_by.user, record=subject, person=people["staff"], reason="承办常务会议议题材料报送"
    )
    # due in two days, overdue by a week, and due in a month; opened as the office would.
    for person, start, amount, unit in [
        ("staff", today - timedelta(days=13), 15, "calendar_days"),
        ("staff", today - timedelta(days=37), 30, "calendar_days"),
        ("clerk", today, 20, "working_days"),
    ]:
        services.deadline_open(
            actor=None,
            subject=subject,
            kind="general",
            start=start,
            amount=amount,
            unit=unit,
            responsible_person=people[person],
            leader=people["office_chief"],
        )
