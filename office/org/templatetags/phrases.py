"""``{% phrase_picker form.comment %}``: the 常用语 menu beside an opinion box. Hidden until
office/static/office/shuniu.js shows it (without JavaScript the box is a plain textarea); the
phrases are read once per request (``office.org.phrases.phrases_offered``)."""

from django import template

from office.confidentiality.visibility import person_of
from office.org import phrases

register = template.Library()


@register.inclusion_tag("org/partials/phrase_picker.html", takes_context=True)
def phrase_picker(context, field) -> dict:
    request = context.get("request")
    offered = []
    if request is not None and field is not None:
        offered = getattr(request, "_shuniu_phrases", None)
        if offered is None:
            offered = phrases.phrases_offered(person=person_of(request.user))
            request._shuniu_phrases = offered
    return {
        "target": field.auto_id if field is not None else "",
        "groups": [
            (source, [phrase for phrase in offered if phrase.source == source]) for source in ("own", "unit", "default")
        ],
        "shown": bool(offered),
    }
