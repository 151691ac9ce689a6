"""The 公文 app's models, as Django loads them: 发文 in ``documents.outgoing.models``, 收文 (and the
per-reader 传阅) in ``documents.incoming.models``, the shared words in ``documents.vocabulary``. The
two flows import only the vocabulary, never each other's models; other apps may import from here."""

# ruff: noqa: F401
from documents.incoming.models import (
    OPEN_SUBASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    Channel,
    Circulation,
    CirculationReader,
    Handling,
    IncomingCounter,
    IncomingDocument,
    IncomingGroupGrant,
    IncomingScan,
    IncomingState,
    IncomingTransition,
    IncomingUserGrant,
    ReaderState,
    SubassignmentState,
    UnitAssignment,
)
from documents.outgoing.models import (
    Attachment,
    Countersign,
    CountersignState,
    Direction,
    Disclosure,
    DocumentNumber,
    DocumentSeries,
    DocumentState,
    NumberCounter,
    NumberState,
    OutgoingDocument,
    OutgoingGroupGrant,
    OutgoingUserGrant,
    SeriesTemplate,
    Transition,
)
from documents.vocabulary import (
    KIND_TITLE_WORDS,
    DocumentKind,
    Urgency,
)
