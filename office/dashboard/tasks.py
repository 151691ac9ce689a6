"""The beat's refresh of the organisation-wide figures (``service.store``)."""

from celery import shared_task


@shared_task(ignore_result=True)
def refresh() -> str:
    """This year's organisation-wide summary, to today: what a 全局 dashboard opens with."""
    from office.dashboard import service
    from office.dashboard.forms import DashboardForm
    from office.dashboard.registry import Scope

    start, end = DashboardForm.default_period()
    return service.store(Scope(user=None, start=start, end=end, whole=True)).key
