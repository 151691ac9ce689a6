"""The refresh of the organisation-wide figures (``service.store``): the beat's round every few
minutes, and a debounced one after the transitions that change them (``refresh.schedule``)."""

from celery import shared_task


@shared_task(ignore_result=True)
def refresh() -> str:
    """This year's organisation-wide summary, to today (what a 全局 dashboard opens with), and the
    readers' own snapshots they have read lately."""
    from office.dashboard import refresh as pending
    from office.dashboard import service
    from office.dashboard.forms import DashboardForm
    from office.dashboard.registry import Scope

    pending.release()
    start, end = DashboardForm.default_period()
    key = service.store(Scope(user=None, start=start, end=end, whole=True)).key
    service.refresh_own()
    return key
