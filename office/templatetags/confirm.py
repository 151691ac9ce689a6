"""``{% confirm_attrs "outgoing" "register" document %}``: the attributes that make a form (or its
approving button) ask the step's confirmation in a dialog (office/static/office/shuniu.js). Empty
for a step that asks none; the server asks again when the script did not run
(``office.workflow.confirm``)."""

from django import template
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext as _

from office.workflow.machine import MACHINES

register = template.Library()


@register.simple_tag(takes_context=True)
def confirm_attrs(context, machine: str, step: str, record) -> str:
    request = context.get("request")
    found = MACHINES.get(machine)
    if request is None or found is None or record is None:
        return ""
    try:
        message = found.confirmation(request.user, record, step)
    except PermissionDenied:  # an account without a person is offered nothing anyway
        return ""
    if not message:
        return ""
    return format_html(
        ' data-confirm="{}" data-confirm-title="{}" data-confirm-ok="{}" data-confirm-cancel="{}"',
        message,
        _("请确认"),
        _("确认办理"),
        _("取消"),
    )
