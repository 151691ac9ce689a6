"""常用语: the short opinions a person types again and again, offered beside every opinion box.

A person sees his own phrases, his unit's and a few defaults — nobody else's. His own he keeps
himself; his unit's are kept by the unit's head or a 文秘 of the unit (:func:`may_keep_unit`).
A phrase outside what the person sees is a 404 to him, one he sees but may not keep a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from office.org.models import Person, Phrase, Role, Unit

# Offered to everyone after his own and his unit's (not stored: nothing to keep).
DEFAULTS = (N_("同意。"), N_("拟同意。"), N_("请XX阅示。"), N_("阅。"), N_("按程序办理。"))
MAX_LENGTH = 200


@dataclass(frozen=True)
class Offered:
    text: str
    source: str  # "own", "unit" or "default"


# --- Who may keep which ----------------------------------------------------------------------------


def may_keep_unit(person: Person, unit: Unit) -> bool:
    """A unit's phrases are kept by its head, or a 文秘 working in it."""
    if unit.head_id == person.pk:
        return True
    return person.unit_id == unit.pk and person.user.has_role(Role.SECRETARY)


def may_keep(person: Person, phrase: Phrase) -> bool:
    if phrase.person_id is not None:
        return phrase.person_id == person.pk
    return may_keep_unit(person, phrase.unit)


# --- Reads -------------------------------------------------------------------------------------------


def phrase_list_visible(*, person: Person | None) -> QuerySet[Phrase]:
    """The person's own phrases and his unit's (nothing for an account without a person)."""
    if person is None:
        return Phrase.objects.none()
    return Phrase.objects.filter(Q(person=person) | Q(unit=person.unit_id)).select_related("unit")


def phrases_offered(*, person: Person | None) -> list[Offered]:
    """What an opinion box offers: own phrases, then the unit's, then the defaults, each once."""
    seen: set[str] = set()
    offered: list[Offered] = []
    rows = sorted(phrase_list_visible(person=person), key=lambda p: (p.person_id is None, p.sort_order, p.pk))
    for phrase in rows:
        if phrase.text not in seen:
            seen.add(phrase.text)
            offered.append(Offered(phrase.text, "own" if phrase.person_id else "unit"))
    for text in DEFAULTS:
        text = _(text)
        if text not in seen:
            seen.add(text)
            offered.append(Offered(text, "default"))
    return offered


# --- Writes ------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("请填写常用语。")})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": _("常用语不能超过%(n)d个字。") % {"n": MAX_LENGTH}})
    return text


@transaction.atomic
def phrase_add(*, actor: Person, text: str, unit: Unit | None = None) -> Phrase:
    """Add a phrase to the person's own (``unit`` None) or to ``unit``'s, at the end."""
    text = _clean(text)
    if unit is not None and not may_keep_unit(actor, unit):
        raise PermissionDenied(_("本单位常用语由单位负责人或文秘维护。"))
    owner = {"unit": unit} if unit is not None else {"person": actor}
    rows = Phrase.objects.filter(**owner)
    if rows.filter(text=text).exists():
        raise ValidationError({"text": _("已有这条常用语。")})
    last = rows.aggregate(last=Max("sort_order"))["last"] or 0
    try:
        with transaction.atomic():
            return Phrase.objects.create(text=text, sort_order=last + 1, **owner)
    except IntegrityError as error:  # the same text added at the same moment
        raise ValidationError({"text": _("已有这条常用语。")}) from error


def _kept(actor: Person, phrase: Phrase) -> Phrase:
    if not may_keep(actor, phrase):
        raise PermissionDenied(_("本单位常用语由单位负责人或文秘维护。"))
    return phrase


@transaction.atomic
def phrase_delete(*, actor: Person, phrase: Phrase) -> None:
    _kept(actor, phrase).delete()


@transaction.atomic
def phrase_move(*, actor: Person, phrase: Phrase, up: bool) -> None:
    """Swap the phrase with its neighbour above (``up``) or below, within its owner's list."""
    _kept(actor, phrase)
    owner = {"person_id": phrase.person_id} if phrase.person_id else {"unit_id": phrase.unit_id}
    rows = list(Phrase.objects.select_for_update().filter(**owner).order_by("sort_order", "id"))
    index = next(i for i, row in enumerate(rows) if row.pk == phrase.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for order, row in enumerate(rows, start=1):
        if row.sort_order != order:
            row.sort_order = order
            row.save(update_fields=["sort_order"])
