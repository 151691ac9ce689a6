"""The 拟请签发人 of a classified draft must be cleared for it: 签发 waits on him (the step's deadline
names him, and a deadline's 承办人 must be able to see its record), and he could not open what he is
asked to sign. Refused when the draft is written or edited — not days later, when the document
reaches 签发 and nobody can move it.

The office and ``make_document`` / ``walk`` come from ``conftest.py``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from documents.models import DocumentState, OutgoingDocument
from documents.outgoing import services
from office.confidentiality.levels import Level
from office.reminders import services as reminders
from tests.factories import make_person

pytestmark = pytest.mark.django_db

SECRET = {
    "level": Level.SECRET,
    "basis": "保密事项范围第3条",
    "copies": 2,
    "disclosure": "not_public",
    "disclosure_reason": "涉密",
}


@pytest.fixture(autouse=True)
def _secret_ceiling(settings):
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET


@pytest.fixture
def cleared_drafter(office):
    return make_person(username="doc-cleared", name="郑机要", unit=office.general_section, clearance=Level.SECRET)


def test_a_classified_draft_naming_a_signer_not_cleared_for_it_is_refused(office, make_document, cleared_drafter):
    """GIVEN a drafter cleared for 机密 and the deputy director (领导, 内部 clearance)
    WHEN the drafter writes a 机密 draft naming the deputy as 拟请签发人
    THEN the draft is refused with a message on that field, and nothing is saved."""
    with pytest.raises(ValidationError) as refused:
        make_document(actor=cleared_drafter.user, designated_signer=office.deputy, **SECRET)

    assert refused.value.message_dict == {"designated_signer": ["拟请签发人钱副主任的涉密等级低于公文密级。"]}
    assert not OutgoingDocument.objects.exists()


def test_naming_such_a_signer_on_an_existing_draft_is_refused(office, make_document, cleared_drafter):
    """GIVEN a 机密 draft without a 拟请签发人 WHEN its drafter names the deputy (内部 clearance)
    THEN the edit is refused and the draft keeps no signer; naming the director (cleared) is accepted."""
    draft = make_document(actor=cleared_drafter.user, **SECRET)

    with pytest.raises(ValidationError):
        services.outgoing_update(actor=cleared_drafter.user, document=draft, designated_signer=office.deputy)
    draft.refresh_from_db()
    assert draft.designated_signer is None

    services.outgoing_update(actor=cleared_drafter.user, document=draft, designated_signer=office.director)
    draft.refresh_from_db()
    assert draft.designated_signer == office.director


def test_the_signoff_deadline_names_the_cleared_signer(office, make_document, walk, cleared_drafter):
    """GIVEN a 机密 draft naming the director (绝密 clearance) as 拟请签发人
    WHEN it is walked to 签发
    THEN the open 签发 deadline names him — a 承办人 who may open the document."""
    document = walk(make_document(actor=cleared_drafter.user, designated_signer=office.director, **SECRET), "signoff")

    [deadline] = [d for d in reminders.deadlines_of(document) if d.state == "open"]
    assert document.state == DocumentState.SIGNOFF
    assert deadline.responsible_person == office.director
