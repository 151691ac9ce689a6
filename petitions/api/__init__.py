"""``/api/v1/petitions/``: 信访事项 — the 信访台账 (``cases/``, filtered and searched), a case in full
(its 信访人 masked for all but its handlers, its statutory clocks, answers, notes, 流转记录 and the
steps the caller may take), 登记, every move of ``rules.CASE`` as an action, the repeat candidates,
and ``intake/`` for the 12345 hotline and the portal (idempotent on the sender's number).

Thin edges over ``petitions.services`` and ``petitions.selectors``: serializers check shape,
services check rules. A case outside the caller's reach — a 检举控告 for the accused unit's people
whatever grants say — is a 404 in the detail and every action, and absent from the list, its count
and its search. Every answer carrying a case is written to the access log.

In this package: ``viewsets`` (the cases and their actions), ``intake`` (other systems' entry),
``serializers`` (the answers) and ``inputs`` (query parameters and bodies).
"""

from petitions.api.intake import PetitionIntakeViewSet
from petitions.api.viewsets import PetitionCaseViewSet

__all__ = ["PetitionCaseViewSet", "PetitionIntakeViewSet"]
