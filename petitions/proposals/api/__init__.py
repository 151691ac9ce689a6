"""``/api/v1/petitions/``: 建议提案 — ``proposals/`` (the 建议提案台账, an item in full with its 提出人,
shares, clocks and 流转记录, the 导入 at the 交办会, every step of ``rules.PROPOSAL`` as an action, and
the figures) and ``proposal-sessions/`` (届次会次).

Thin over ``petitions.proposals.services`` (writes) and ``selectors`` / ``exports`` (reads):
serializers check shape, services check rules. An item outside the caller's reach is a 404 on its
detail and every action, and absent from the list, its count and the figures.

In this package: ``viewsets``, ``serializers`` (the answers) and ``inputs`` (query parameters and bodies)."""


def register() -> None:
    """Register this package's viewsets with ``office.api.routes.register``."""
    from office.api.routes import register as route
    from petitions.proposals.api.viewsets import ProposalSessionViewSet, ProposalViewSet

    route("petitions/proposals", ProposalViewSet, basename="proposal")
    route("petitions/proposal-sessions", ProposalSessionViewSet, basename="proposal-session")
