"""The five ordered classification levels (DESIGN.md, "Classification").

Stored as a small integer so that "at most the person's clearance" is one indexed comparison;
the API and settings speak the stable codes (``public`` … ``top_secret``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PUBLIC = 0, _("公开")
    INTERNAL = 1, _("内部")
    CONFIDENTIAL = 2, _("秘密")
    SECRET = 3, _("机密")
    TOP_SECRET = 4, _("绝密")

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> "Level":
        try:
            return cls[code.strip().upper()]
        except KeyError:
            codes = ", ".join(level.code for level in cls)
            raise ValueError(f"unknown classification level {code!r}; expected one of: {codes}") from None

    @property
    def is_classified(self) -> bool:
        """秘密 and above are state secrets; 公开 and 内部 are the office's own."""
        return self >= Level.CONFIDENTIAL

    @property
    def personnel_category(self) -> str:
        """The 涉密人员 category a clearance at this level corresponds to."""
        return str(_PERSONNEL_CATEGORY[self])


_PERSONNEL_CATEGORY = {
    Level.PUBLIC: _("非涉密人员"),
    Level.INTERNAL: _("非涉密人员"),
    Level.CONFIDENTIAL: _("一般涉密人员"),
    Level.SECRET: _("重要涉密人员"),
    Level.TOP_SECRET: _("核心涉密人员"),
}
