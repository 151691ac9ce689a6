"""``{% follow_button "outgoing" document %}``: 跟踪 / 取消跟踪 on a record's page."""

from django import template

from office.desk import services

register = template.Library()


@register.inclusion_tag("desk/partials/follow.html", takes_context=True)
def follow_button(context, kind: str, record):
    request = context["request"]
    return {
        "kind": kind,
        "record": record,
        "following": services.is_following(request.user, record),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
