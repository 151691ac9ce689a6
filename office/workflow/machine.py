"""Steps and machines: who may move a record from which state to which, decided once.

A :class:`Step` names its from-states, the to-states it may lead to, who may take it (``who``) and,
where the record itself must be ready, when (``when``). A :class:`Machine` is a flow's steps; it
derives ``allowed`` (what may follow what), checks a step for a person, moves the record under its
row lock writing the flow's event row, and tells pages, the API and the desk what a person is
offered — by running the very same check, so what is offered is what is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from office.confidentiality.visibility import person_of
from office.org.models import Person, User
from office.workflow.errors import TransitionNotAllowed
from office.workflow.hooks import Hook


@dataclass(frozen=True)
class Actor:
    """The user taking a step and the person behind the account — or, acting "代" under a
    委托 (``office.desk.delegation``), the person whose step it is (``person``, whose roles count)
    while ``user`` stays the account that acted, so every row written names who did it."""

    user: User
    person: Person
    principal_user: User | None = None  # set when acting for ``person`` under a 委托

    def has_role(self, role: str) -> bool:
        return (self.principal_user or self.user).has_role(role)

    @property
    def on_behalf(self) -> bool:
        return self.principal_user is not None

    @property
    def name(self) -> str:
        """The name for the 流转记录: "何佳（代李明华）" when acting for another."""
        if self.on_behalf:
            return _("%(delegate)s（代%(principal)s）") % {
                "delegate": person_of(self.user).name,
                "principal": self.person.name,
            }
        return self.person.name


def actor_of(user: User | Actor) -> Actor:
    """The acting person; an account without one acts on nothing."""
    if isinstance(user, Actor):
        return user
    person = person_of(user)
    if person is None:
        raise PermissionDenied(_("该账号没有对应的人员信息。"))
    return Actor(user=user, person=person)


def person_acting(user: User | Actor) -> Person | None:
    """The person a rule judges: the actor's (his principal's, under a 委托), or the account's own."""
    return user.person if isinstance(user, Actor) else person_of(user)


def user_acting(user: User | Actor) -> User:
    """The account that acts."""
    return user.user if isinstance(user, Actor) else user


def in_state(text: str) -> Callable[[Actor, Any], str]:
    """A refusal in another state, naming the state (“会议“已召开”，安排不能再改。”): ``text`` is a
    ``gettext_noop`` text with ``%(state)s``."""
    return lambda actor, record: _(text) % {"state": record.get_state_display()}


Rule = Callable[[Actor, Any], bool]
Options = Callable[[Actor, Any], list]


def anyone(actor: Actor, record: Any) -> bool:
    return True


Message = str | Callable[[Actor, Any], str]


def _message(message: Message, actor: Actor, record: Any) -> str:
    """A step's refusal or ``not_now``: a ``gettext_noop`` text, or a callable that names the record
    (“当前由督查员审批。”, “延期须在办结时限（…）之前申请”)."""
    if callable(message):
        return message(actor, record)
    return _(message) if message else ""


@dataclass(frozen=True)
class Step:
    """One step of a flow.

    ``label`` is the 流转记录's action (``gettext_noop``: stored untranslated, shown translated).
    ``targets`` are the states it may lead to; a step whose only target is its source records an
    event without moving (会签同意, 催办). ``who`` decides the person (``refusal`` when not);
    ``when`` a further condition of the record now (``not_now`` when not). ``options`` lists what
    the person may take the step for (the units he countersigns for, the readers he may recall);
    a step with options is offered only when there is one. ``confirm`` (a message, or a callable
    naming the record: “登记后将占用发文字号 …”) marks an irreversible step: a page asks the person
    to confirm it, repeating what will happen, before taking it (the API does not ask).
    """

    name: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    who: Rule = anyone
    refusal: Message = ""  # or a callable (actor, record) -> the message, for one naming the record
    when: Rule | None = None
    not_now: Message = ""
    options: Options | None = None
    deadline: str = ""  # what the step's deadline is, in words, for the reader of the rules
    wrong_state: Message = ""  # the refusal in another state, when the flow words its own
    confirm: Message = ""  # what taking it will do, asked before an irreversible step on a page


@dataclass(frozen=True)
class Moved:
    machine: str
    record: Any
    source: str
    target: str


# Sent after every move, in its transaction (the dashboard schedules its snapshot's refresh).
moved: Hook[Moved] = Hook("workflow.moved")

# Every machine by its name, for the pages' shared pieces (a template asking a step's confirmation).
MACHINES: dict[str, Machine] = {}


@dataclass
class Machine:
    """A flow's steps over ``model`` (its ``state_field``), writing ``event_model`` rows.

    ``event_for(record)`` gives the event row's link fields (``{"document": record}``);
    ``on_move(record, from_state, actor)`` runs after every move inside the transaction (the
    flow's step deadlines: meet the old step's, open the new one's); ``stamp_field`` takes the
    time of the move.
    """

    name: str
    model: type[models.Model]
    steps: Iterable[Step]
    event_model: type[models.Model] | None
    event_for: Callable[[Any], dict[str, Any]]
    noun: str = ""  # 公文, 收文, 督办事项 — in the refusal "公文处于“核稿”，不能签发。"
    state_field: str = "state"
    stamp_field: str = ""
    on_move: Callable[[Any, str, Actor | None], None] | None = None
    lock_related: tuple[str, ...] = ()
    _steps: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        MACHINES[self.name] = self
        self._steps = {}
        for step in self.steps:
            if step.name in self._steps:
                raise ValueError(f"{self.name}: step {step.name} declared twice")
            self._steps[step.name] = step
        self.steps = tuple(self._steps.values())
        self.allowed: dict[str, set[str]] = {}
        for step in self.steps:
            for source in step.sources:
                self.allowed.setdefault(source, set()).update(t for t in step.targets if t != source)

    # --- deciding ----------------------------------------------------------------------------

    def step(self, name: str) -> Step:
        return self._steps[name]

    def state_of(self, record: Any) -> str:
        return getattr(record, self.state_field)

    def _state_label(self, record: Any) -> str:
        return getattr(record, f"get_{self.state_field}_display")()

    def check(self, user: User | Actor, record: Any, name: str) -> Actor:
        """The acting person, when ``name`` may be taken on ``record`` now; else
        ``TransitionNotAllowed`` (the record's state) or ``PermissionDenied`` (the person)."""
        step = self._steps[name]
        actor = actor_of(user)
        if self.state_of(record) not in step.sources:
            raise TransitionNotAllowed(
                _message(step.wrong_state, actor, record)
                or _("%(noun)s处于“%(state)s”，不能%(action)s。")
                % {"noun": _(self.noun), "state": self._state_label(record), "action": _(step.label)}
            )
        try:
            return self._check_person(step, actor, record)
        except PermissionDenied as refusal:
            # Not his own step: perhaps one he holds a 委托 for (and may see the record himself).
            from office.desk.delegation import acting_for

            for deputy in acting_for(actor, self, record):
                try:
                    return self._check_person(step, deputy, record)
                except PermissionDenied:
                    continue
            raise refusal

    def _check_person(self, step: Step, actor: Actor, record: Any) -> Actor:
        if not step.who(actor, record):
            raise PermissionDenied(_message(step.refusal, actor, record) or _("您不能办理这一步。"))
        if step.when is not None and not step.when(actor, record):
            raise TransitionNotAllowed(_message(step.not_now, actor, record) or _("现在不能办理这一步。"))
        if step.options is not None and not step.options(actor, record):
            raise PermissionDenied(_message(step.refusal, actor, record) or _("您不能办理这一步。"))
        return actor

    def allows(self, user: User | Actor, record: Any, name: str) -> bool:
        try:
            self.check(user, record, name)
        except (PermissionDenied, TransitionNotAllowed):
            return False
        return True

    def confirmation(self, user: User | Actor, record: Any, name: str) -> str:
        """What taking ``name`` on ``record`` will do, for the person to confirm first (a page's
        confirmation step); empty for a step that needs none."""
        step = self._steps.get(name)
        if step is None or not step.confirm:
            return ""
        return _message(step.confirm, actor_of(user), record)

    def offered(self, user: User | Actor, record: Any) -> dict[str, Any]:
        """What ``user`` may do with ``record`` now, in the order the steps are declared: each
        step's name, with its options (a list) or ``True``. Pages, the API and the desk show this
        and nothing else."""
        try:
            actor = actor_of(user)
        except PermissionDenied:
            return {}
        offers: dict[str, Any] = {}
        for step in self.steps:
            if self.allows(actor, record, step.name):
                offers[step.name] = step.options(actor, record) if step.options is not None else True
        return offers

    # --- moving ------------------------------------------------------------------------------

    def lock(self, record: Any) -> Any:
        """``record`` re-read under its row lock (only its own row: related rows stay free)."""
        queryset = self.model.objects.select_for_update(of=("self",))
        if self.lock_related:
            queryset = queryset.select_related(*self.lock_related)
        return queryset.get(pk=record.pk)

    def record(self, record: Any, **event: Any) -> models.Model | None:
        """Write one event row (``event``: as ``event_values`` takes it) — a move, or a step that
        records without moving; ``source``: the state a move left, when it is recorded after it;
        none for a machine without an ``event_model`` (传阅's reader rows: the document's 流转记录
        tells what matters)."""
        if self.event_model is None:
            return None
        return self.event_model.objects.create(**self.event_values(record, **event))

    def event_values(
        self,
        record: Any,
        *,
        actor: User | Actor | None,
        action: str,
        comment: str = "",
        to: str | None = None,
        source: str | None = None,
    ) -> dict[str, Any]:
        """The fields of the event row ``record`` writes (for a flow that writes it in SQL)."""
        user = actor.user if isinstance(actor, Actor) else actor
        person = actor.person if isinstance(actor, Actor) else (person_of(actor) if actor is not None else None)
        name = actor.name if isinstance(actor, Actor) else (person.name if person else "")
        values: dict[str, Any] = {
            **self.event_for(record),
            "action": action,
            "actor": user,
            "actor_name": name[: self.event_model._meta.get_field("actor_name").max_length],
            "comment": comment[: self.event_model._meta.get_field("comment").max_length],
        }
        names = {f.name for f in self.event_model._meta.get_fields()}
        if "from_state" in names:
            values["from_state"] = source or self.state_of(record)
            values["to_state"] = to or self.state_of(record)
        return values

    def move(
        self,
        record: Any,
        to: str,
        *,
        actor: User | Actor | None,
        action: str,
        comment: str = "",
        update_fields: Iterable[str] = (),
        recorded: bool = True,
    ) -> None:
        """Move a locked ``record`` to ``to``: the event row, the save (state, the stamp, the
        ``update_fields`` the step changed, ``auto_now`` fields) and the flow's ``on_move``.
        ``recorded=False`` leaves the event row to the caller (``record(…, source=…)``), for a
        step whose row names what the step takes last (a number)."""
        source = self.state_of(record)
        if to not in self.allowed.get(source, set()):
            raise TransitionNotAllowed(
                _("%(noun)s处于“%(state)s”，不能%(action)s。")
                % {"noun": _(self.noun), "state": self._state_label(record), "action": _(action)}
            )
        if recorded:
            self.record(record, actor=actor, action=action, comment=comment, to=to)
        setattr(record, self.state_field, to)
        fields = {self.state_field, *update_fields}
        if self.stamp_field:
            setattr(record, self.stamp_field, timezone.now())
            fields.add(self.stamp_field)
        fields.update(f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False))
        record.save(update_fields=sorted(fields))
        if self.on_move is not None:
            self.on_move(record, source, actor if isinstance(actor, Actor) or actor is None else actor_of(actor))
        moved.send(Moved(self.name, record, source, to))
