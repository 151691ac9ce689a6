"""我的常用语: the person's own phrases and (for the unit's head or 文秘) the unit's — add, delete,
order. Thin over :mod:`office.org.phrases`; a phrase outside what the person sees is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from office.confidentiality.forms import add_service_error
from office.org import phrases
from office.org.models import Phrase
from office.pages import person_or_403

NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能维护常用语。")


class PhraseForm(forms.Form):
    OWN, UNIT = "own", "unit"

    text = forms.CharField(
        label=gettext_lazy("常用语"),
        max_length=phrases.MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("如：拟同意。")}),
        error_messages={"required": gettext_lazy("请填写常用语。")},
    )
    scope = forms.ChoiceField(choices=[(OWN, OWN), (UNIT, UNIT)], initial=OWN, widget=forms.HiddenInput)


def _page(request, person, *, own_form=None, unit_form=None, status=200):
    visible = list(phrases.phrase_list_visible(person=person))
    keeps_unit = phrases.may_keep_unit(person, person.unit)
    context = {
        "own": [phrase for phrase in visible if phrase.person_id == person.pk],
        "unit_phrases": [phrase for phrase in visible if phrase.unit_id == person.unit_id],
        "unit": person.unit,
        "keeps_unit": keeps_unit,
        "defaults": [_(text) for text in phrases.DEFAULTS],
        "own_form": own_form or PhraseForm(initial={"scope": PhraseForm.OWN}, prefix="own"),
        "unit_form": unit_form or PhraseForm(initial={"scope": PhraseForm.UNIT}, prefix="unit"),
    }
    return render(request, "org/phrases.html", context, status=status)


@login_required
def phrase_list(request):
    """The page; a POST adds a phrase to the person's own list or (``scope=unit``) the unit's."""
    person = person_or_403(request.user, NO_PERSON)
    if request.method != "POST":
        return _page(request, person)
    prefix = "unit" if request.POST.get("unit-scope") == PhraseForm.UNIT else "own"
    form = PhraseForm(request.POST, prefix=prefix)
    status = 400
    if form.is_valid():
        unit = person.unit if form.cleaned_data["scope"] == PhraseForm.UNIT else None
        try:
            phrases.phrase_add(actor=person, text=form.cleaned_data["text"], unit=unit)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            messages.success(request, _("已添加常用语。"))
            return redirect("org_phrases")
    return _page(request, person, **{f"{prefix}_form": form}, status=status)


def _visible_phrase(person, pk) -> Phrase:
    phrase = phrases.phrase_list_visible(person=person).filter(pk=pk).first()
    if phrase is None:
        raise Http404
    return phrase


@login_required
@require_POST
def phrase_delete(request, pk: int):
    person = person_or_403(request.user, NO_PERSON)
    phrase = _visible_phrase(person, pk)
    phrases.phrase_delete(actor=person, phrase=phrase)  # a refusal is a 403 page
    messages.success(request, _("已删除常用语“%(text)s”。") % {"text": phrase.text})
    return redirect("org_phrases")


@login_required
@require_POST
def phrase_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404
    person = person_or_403(request.user, NO_PERSON)
    phrases.phrase_move(actor=person, phrase=_visible_phrase(person, pk), up=direction == "up")
    return redirect("org_phrases")
