"""A log row's detail as the office reads it: Chinese labels, people and units by name, the
system's own reasons in words — never the stored JSON (``{"person": null, "unit": 20}``).

:func:`describe_details` reads the people and units a page of rows names in two queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.confidentiality.levels import Level
from office.org.models import Person, Unit

LABELS = {
    "person": gettext_lazy("人员"),
    "unit": gettext_lazy("单位"),
    "to": gettext_lazy("授予"),
    "reason": gettext_lazy("理由"),
    "what": gettext_lazy("内容"),
    "filters": gettext_lazy("筛选条件"),
    "rows": gettext_lazy("条数"),
    "classified": gettext_lazy("涉密记录数"),
    "mark": gettext_lazy("密级标志"),
    "basis": gettext_lazy("定密依据"),
    "level": gettext_lazy("密级"),
    "from": gettext_lazy("变更前"),
    "copy": gettext_lazy("份号"),
    "holder": gettext_lazy("持有人"),
    "due_back": gettext_lazy("应清退日期"),
    "by": gettext_lazy("经办人"),
    "request": gettext_lazy("申请编号"),
    "kind": gettext_lazy("类型"),
    "approved": gettext_lazy("是否同意"),
    "note": gettext_lazy("说明"),
    "condition_met": gettext_lazy("解密条件已满足"),
    "name": gettext_lazy("名称"),
    "expiry": gettext_lazy("有效期至"),
    "username": gettext_lazy("账号"),
    "locked_by": gettext_lazy("锁定依据"),
    "until": gettext_lazy("锁定至"),
    "path": gettext_lazy("地址"),
    "failures": gettext_lazy("失败次数"),
    "ip_address": gettext_lazy("来源地址"),
    "last_failure": gettext_lazy("最后失败时间"),
    "last_id": gettext_lazy("链尾序号"),
    "last_hash": gettext_lazy("链尾哈希"),
    "clearance": gettext_lazy("检索人涉密等级"),
    "q": gettext_lazy("检索词"),
    "nonce": gettext_lazy("校验值"),
    "action": gettext_lazy("操作"),
    "content_type": gettext_lazy("记录类型"),
    "object_id": gettext_lazy("记录编号"),
    "actor": gettext_lazy("操作人"),
    "date_from": gettext_lazy("起始日期"),
    "date_to": gettext_lazy("截止日期"),
    "old": gettext_lazy("原值"),
    "new": gettext_lazy("新值"),
    "roles": gettext_lazy("角色"),
}

# The reasons and names the system itself writes, in English or as codes.
WORDS = {
    "outside scope or clearance": gettext_lazy("超出知悉范围或涉密等级"),
    "access_log": gettext_lazy("访问日志"),
    "account_page": gettext_lazy("本人在账号页吊销"),
}

PERSON_KEYS, UNIT_KEYS = ("person",), ("unit",)


def _ids(details: Iterable[dict], keys: tuple[str, ...]) -> set[int]:
    return {value for detail in details for key in keys if isinstance(value := detail.get(key), int)}


def _value(key: str, value, people: dict[int, str], units: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key in PERSON_KEYS and isinstance(value, int):
        return people.get(value, _("人员#%(id)d") % {"id": value})
    if key in UNIT_KEYS and isinstance(value, int):
        return units.get(value, _("单位#%(id)d") % {"id": value})
    if key in ("level", "clearance") and isinstance(value, str):
        try:
            return str(Level.from_code(value).label)
        except ValueError:
            return value
    if isinstance(value, dict):
        return "；".join(f"{LABELS.get(k, k)}：{_value(k, v, people, units)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_value(key, item, people, units) for item in value)
    text = str(value)
    return str(WORDS.get(text, text))


def describe_details(details: list[dict]) -> list[list[tuple[str, str]]]:
    """Each detail as (label, text) pairs; the people and units named are read once for all."""
    people = dict(Person.objects.filter(pk__in=_ids(details, PERSON_KEYS)).values_list("pk", "name"))
    units = dict(Unit.objects.filter(pk__in=_ids(details, UNIT_KEYS)).values_list("pk", "name"))
    return [
        [
            (str(LABELS.get(key, key)), _value(key, value, people, units))
            for key, value in (detail or {}).items()
            if key != "nonce" and not (key in PERSON_KEYS + UNIT_KEYS and value is None)
        ]
        for detail in details
    ]


def actor_units(events: Iterable) -> dict[int, str]:
    """The unit of each acting account on a page of log rows (one query)."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    return dict(Person.objects.filter(user_id__in=ids).values_list("user_id", "unit__name"))
