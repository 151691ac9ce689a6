"""What the 保密 page tests (``test_pages_*.py``) share: the pages' URLs, registering a carrier as a
person (the test ceiling is 内部, so no content above it unless a test raises it), the audit events
of an action (on one record), and the text and flash messages of a response."""

from django.contrib.contenttypes.models import ContentType

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditEvent

LIST_URL = "/confidentiality/carriers/"
NEW_URL = "/confidentiality/carriers/new/"
COPIES_URL = "/confidentiality/copies/"
MY_COPIES_URL = "/confidentiality/my-copies/"
REQUESTS_URL = "/confidentiality/copy-requests/"
WORKLIST_URL = "/confidentiality/declassification/"
LOG_URL = "/confidentiality/access-log/"
EXPORT_URL = "/confidentiality/access-log/export.xlsx"


def detail_url(carrier) -> str:
    return f"/confidentiality/carriers/{carrier.pk}/"


def register(actor, *, level=Level.SECRET, title="涉密载体", unit=None, **extra):
    return services.carrier_register(
        actor=actor.user,
        title=title,
        unit=unit or actor.unit,
        level=level,
        basis="保密事项范围第三条" if Level(level).is_classified else "",
        **extra,
    )


def events(action, obj=None):
    rows = AuditEvent.objects.filter(action=action)
    if obj is not None:
        rows = rows.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return rows


def page_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
