"""发文 on the dashboard: what waits for my signature and my 核稿."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import OutgoingDocument
from documents.outgoing import selectors
from office.dashboard.registry import Provider, Scope, Tile


class OutgoingFigures(Provider):
    key = "outgoing"
    order = 10

    def panels(self, scope: Scope) -> list:
        inbox = selectors.outgoing_inbox(user=scope.user)
        none = OutgoingDocument.objects.none()
        url = reverse("documents:outgoing_inbox")
        return [
            Tile(
                "outgoing-sign",
                _("待我签发"),
                inbox.get("signoff", none).count(),
                url=url,
                tone="danger",
                personal=True,
            ),
            Tile("outgoing-review", _("待我核稿"), inbox.get("review", none).count(), url=url, personal=True),
        ]
