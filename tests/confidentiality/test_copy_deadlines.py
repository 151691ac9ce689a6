"""A copy due back is a deadline like any other: reminded, then met when it is returned."""

from datetime import date

import pytest
import time_machine

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.reminders import services as reminders
from office.reminders.models import DeadlineState, Notification
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-06-01 10:00 +0800", tick=False)
def test_a_copy_due_back_is_chased_and_met_on_return(security_officer, register):
    """GIVEN a 机密 copy issued on 1 June due back on 15 June WHEN the scan runs on the 16th THEN
    the holder is reminded without the record's title; WHEN the 保密员 takes it back THEN the
    deadline is met (late)."""
    holder = make_person(username="holder", unit=security_officer.unit, clearance=Level.SECRET)
    carrier = register(security_officer, level=Level.SECRET, title="绝不外传的标题")
    copy = services.copy_issue(
        actor=security_officer.user, record=carrier, holder_person=holder, due_back=date(2026, 6, 15)
    )
    (deadline,) = reminders.deadlines_of(copy)
    assert deadline.kind_id == "copy-return" and deadline.due_date == date(2026, 6, 15)
    assert deadline.responsible_person == holder

    with time_machine.travel("2026-06-16 09:00 +0800", tick=False):
        for reminder_id in reminders.scan():
            reminders.send(reminder_id)
        services.copy_return(actor=security_officer.user, copy=copy)

    notice = Notification.objects.get(recipient=holder.user)
    assert "份号000001" in notice.verb and "绝不外传的标题" not in notice.verb
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.met_on_time is False


def test_a_return_date_must_be_ahead_and_within_ten_years(security_officer, register):
    """GIVEN a classified carrier WHEN a copy is issued due back today or in eleven years THEN refused."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    holder = make_person(username="holder", unit=security_officer.unit, clearance=Level.SECRET)
    carrier = register(security_officer, level=Level.SECRET)
    today = timezone.localdate()
    for due_back in (today, today.replace(year=today.year + 11)):
        with pytest.raises(ValidationError):
            services.copy_issue(actor=security_officer.user, record=carrier, holder_person=holder, due_back=due_back)
