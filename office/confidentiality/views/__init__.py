"""The 保密 pages: the carrier register, a carrier's page, the 份号 register, copy requests, the
declassification worklist and the access log.

Thin edges: forms check shape, ``services`` change state (and check who may), ``selectors`` and
``visible_to()`` read. A carrier a person may not see is a 404 (and a ``denied`` audit event); a
read above 内部 is logged. The 保密员's registers are 403 for everyone else and show a record's
title only where the officer may see the record itself; otherwise only its mark.

One module per family of pages (``carriers``, ``copies``, ``declassification``, ``access_log``);
what they share is in ``_common``. The names below are the ones ``urls.py`` routes to.
"""

from office.confidentiality.views.access_log import access_log, access_log_export
from office.confidentiality.views.carriers import (
    carrier_condition_met,
    carrier_copy_issue,
    carrier_copy_request,
    carrier_create,
    carrier_detail,
    carrier_grant,
    carrier_list,
    carrier_reclassify,
    carrier_revoke,
)
from office.confidentiality.views.copies import (
    copy_action,
    copy_register,
    copy_request_decide,
    copy_requests,
    my_copies,
)
from office.confidentiality.views.declassification import declassification_decide, declassification_worklist

__all__ = [
    "access_log",
    "access_log_export",
    "carrier_condition_met",
    "carrier_copy_issue",
    "carrier_copy_request",
    "carrier_create",
    "carrier_detail",
    "carrier_grant",
    "carrier_list",
    "carrier_reclassify",
    "carrier_revoke",
    "copy_action",
    "copy_register",
    "copy_request_decide",
    "copy_requests",
    "declassification_decide",
    "declassification_worklist",
    "my_copies",
]
