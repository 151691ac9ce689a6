"""Who may open the dashboard and in which scope — decided here once, for the page, the API and
the navigation."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from office.confidentiality.visibility import can_view_global_statistics, person_of
from office.dashboard.registry import Scope
from office.org.models import Role


def may_open(user) -> bool:
    """领导 and 办公室主任; the head of his unit gets the same page over what he may see. (Read
    from what the request has loaded already: the navigation asks on every page.)"""
    person = person_of(user)
    if person is None:
        return False
    if user.has_role(Role.LEADER) or user.has_role(Role.OFFICE_CHIEF):
        return True
    return person.unit.head_id == person.pk


def may_see_whole(user) -> bool:
    """Organisation-wide figures: an explicit permission, never a role or ``is_staff``."""
    return can_view_global_statistics(user)


def scope_for(user, *, start: date, end: date, whole: bool) -> Scope:
    if not may_open(user):
        raise PermissionDenied(_("领导驾驶舱供领导、办公室主任和单位负责人使用。"))
    if whole and not may_see_whole(user):
        raise PermissionDenied(_("查看全局统计需要“查看全局统计”权限。"))
    return Scope(user=user, start=start, end=end, whole=whole)
