"""The demo's 全局统计: the 市长 and the 秘书长 read organisation-wide figures on the dashboard."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from office.demo import DemoContext

GLOBAL_READERS = ("director", "secretary_general")


def seed(context: DemoContext) -> None:
    permission = Permission.objects.get(content_type__app_label="confidentiality", codename="view_global_statistics")
    for username in GLOBAL_READERS:
        person = context.people.get(username)
        if person is not None and person.user_id:
            person.user.user_permissions.add(permission)
    context.report.append("领导驾驶舱：市长、秘书长可查看全局统计。")
