"""Start-up checks of the supervision settings: a misspelt approval step would otherwise surface as a
server error on the first extension request."""

from django.conf import settings
from django.core.checks import Error, register

from supervision.models import ApprovalStep


@register()
def extension_chain(app_configs=None, **kwargs):
    chain = list(settings.SUPERVISION_EXTENSION_CHAIN)
    valid = set(ApprovalStep.values)
    wrong = [step for step in chain if step not in valid]
    if wrong or not chain:
        return [
            Error(
                f"SHUNIU_SUPERVISION_EXTENSION_CHAIN must list one or more of {', '.join(ApprovalStep.values)}; "
                f"got {','.join(chain) or '(empty)'}.",
                id="supervision.E001",
            )
        ]
    return []
