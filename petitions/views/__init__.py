"""The 信访 pages: thin, over ``petitions.services`` and ``petitions.selectors``."""

from petitions.views.case import attachment, case_action, case_detail  # noqa: F401
from petitions.views.ledgers import (  # noqa: F401
    analysis,
    dispute_update,
    disputes,
    disputes_export,
    leader_case_update,
    leader_cases,
    receptions,
)
from petitions.views.pages import figures, figures_export, ledger, ledger_export, mine, register  # noqa: F401
