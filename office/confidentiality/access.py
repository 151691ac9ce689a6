"""The 知悉范围 as keys on the record itself, so that "who may see it" drives an index.

Every classifiable record carries ``access_keys``: one key per way into its 知悉范围, computed from
what the model declares (``participant_person_fields``, ``participant_unit_fields``, the grant
tables, ``organ_field``). A person holds the keys that open it: their own, their units' (their unit
and those above it within their organ), and, for a path that runs through another table (a
series' office, its organ's head), the ids of the rows of that table that lead to them — read once
per request, a handful of ids. ``visible_to`` is then ``classification <= clearance AND
access_keys && person's keys``: one column, a GIN index, and the planner's statistics to choose
between the index and the list's ordering.

A key is ``tag << 40 | id``:

- ``PERSON``: a participant person, or a person granted the record;
- ``UNIT``: a participant unit, or a unit granted it — open to that unit and every unit below it
  within the organ;
- ``ORGAN``: a 公开/内部 record of that organ;
- ``VIA + n``: the id of the first row on the n-th declared path that runs through another table
  (``series__organ__head``: the series), open to the people that row leads to.

The keys are kept in the same transaction as what they derive from: the record's own save, the
rows its declared paths reach through reverse relations (countersigns, assignments, tasks), and
its grants (signals, connected for every ``Classified`` model by ``connect_all``). A record whose
keys were never computed (NULL: rows loaded by SQL) is seen by nobody until ``refresh`` fills it;
``manage.py migrate`` does so, and ``manage.py access_keys --check`` compares every record's keys
with the declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import post_delete, post_save

from office.confidentiality.levels import Level

SHIFT = 40
PERSON, UNIT, ORGAN, VIA = 1, 2, 3, 16


def key(tag: int, value: int) -> int:
    return (tag << SHIFT) | value


@dataclass(frozen=True)
class Path:
    """One declared way into a record's 知悉范围, in the shape the keys need."""

    path: str  # as declared: "drafter", "countersigns__unit", "series__organ__head"
    tag: int
    stored: str  # what the record stores: the path itself, or its first hop for a VIA path
    rest: str = ""  # for a VIA path: the rest, from the first hop's model to the person/unit/organ
    via: type[models.Model] | None = None  # the first hop's model
    matches: str = ""  # "person", "unit" or "organ": what the rest (or the stored value) leads to
    open_only: bool = False  # the organ path: only for 公开/内部 records


def paths_of(model) -> list[Path]:
    """The model's declarations, each as stored keys (cached on the model)."""
    if "_access_paths" in model.__dict__:
        return model._access_paths
    declared = [(field, "person") for field in model.participant_person_fields]
    declared += [(field, "unit") for field in model.participant_unit_fields]
    if model.organ_field:
        declared.append((model.organ_field, "organ"))
    paths = []
    for number, (path, matches) in enumerate(declared):
        first, _, rest = path.partition("__")
        field = model._meta.get_field(first)
        open_only = matches == "organ"
        tag = {"person": PERSON, "unit": UNIT, "organ": ORGAN}[matches]
        if rest and field.many_to_one and not field.auto_created:
            # Through another table: store the first hop, resolve the rest for the person.
            paths.append(Path(path, VIA + number, first, rest, field.related_model, matches, open_only))
        else:
            paths.append(Path(path, tag, path, matches=matches, open_only=open_only))
    model._access_paths = paths
    return paths


# --- The person's side --------------------------------------------------------------------------


def person_keys(model, person) -> list[int]:
    """The keys that open ``model``'s records to ``person``: cached on the person for the request
    (one small query per table a declared path runs through)."""
    cache = person.__dict__.setdefault("_access_keys", {})
    if model in cache:
        return cache[model]
    lineage = person.units()
    organ_id = person.unit.organ_id
    value_of = {"person": [person.pk], "unit": lineage, "organ": [organ_id] if organ_id else []}
    keys = {key(PERSON, person.pk), *(key(UNIT, unit) for unit in lineage)}
    if organ_id:
        keys.add(key(ORGAN, organ_id))
    via = [path for path in paths_of(model) if path.via is not None]
    for table in {path.via for path in via}:
        through = [path for path in via if path.via is table]
        condition = models.Q()
        for path in through:
            condition |= models.Q(**{f"{path.rest}__in": value_of[path.matches]})
        for row in table._default_manager.filter(condition).values("pk", *(path.rest for path in through)):
            keys.update(key(path.tag, row["pk"]) for path in through if row[path.rest] in value_of[path.matches])
    cache[model] = sorted(keys)
    return cache[model]


def person_bar_keys(person) -> list[int]:
    """The keys that bar ``person`` from a record that excludes him or one of his units (a unit
    above his within the organ: the accused bureau's 科室 are barred with it)."""
    return [key(PERSON, person.pk), *(key(UNIT, unit) for unit in person.units())]


def barred_keys(record) -> list[int]:
    """The record's side of the bar: its excluded people and units (``excluded_*_fields``)."""
    people = (getattr(record, f"{field}_id") for field in record.excluded_person_fields)
    units = (getattr(record, f"{field}_id") for field in record.excluded_unit_fields)
    keys = {key(PERSON, pk) for pk in people if pk is not None}
    keys |= {key(UNIT, pk) for pk in units if pk is not None}
    return sorted(keys)


def _barred_sql(model, alias: str) -> str | None:
    """``barred_keys`` as SQL over the row ``alias`` (as ``barred_keys`` computes it; None for a model
    that bars nobody)."""
    columns = [(PERSON, field) for field in model.excluded_person_fields]
    columns += [(UNIT, field) for field in model.excluded_unit_fields]
    if not columns:
        return None
    keys = ", ".join(
        f'({tag}::bigint << {SHIFT}) | {alias}."{model._meta.get_field(field).column}"' for tag, field in columns
    )
    return f"ARRAY(SELECT DISTINCT k FROM unnest(ARRAY[{keys}]) AS k WHERE k IS NOT NULL ORDER BY k)"  # noqa: S608 (meta)


# --- The record's side --------------------------------------------------------------------------


def _arms(model, pks, *, missing_only: bool = False):
    """(SQL, params) of every (record id, key) pair of the records ``pks`` (all when None; with
    ``missing_only``, those without keys)."""
    records = model._default_manager.all() if pks is None else model._default_manager.filter(pk__in=pks)
    if missing_only:
        records = records.filter(access_keys__isnull=True)
    arms = []
    for path in paths_of(model):
        rows = records.filter(classification__lte=Level.INTERNAL) if path.open_only else records
        if path.open_only and model.organ_closed_field:
            rows = rows.exclude(**{model.organ_closed_field: True})
        arms.append((path.tag, rows.order_by().values_list("pk", path.stored)))
    user_grants, group_grants = grant_models(model)
    permission = {
        "permission__content_type": ContentType.objects.get_for_model(model),
        "permission__codename": f"view_{model._meta.model_name}",
    }
    grants = dict(permission)
    if pks is not None:
        grants["content_object__in"] = pks
    if missing_only:
        grants["content_object__access_keys__isnull"] = True
    arms.append((PERSON, user_grants.objects.filter(**grants).order_by().values_list("content_object", "user__person")))
    arms.append((UNIT, group_grants.objects.filter(**grants).order_by().values_list("content_object", "group__unit")))
    sql, params = [], []
    for tag, queryset in arms:
        arm_sql, arm_params = queryset.query.sql_with_params()
        arm = f"SELECT a.r, ({tag}::bigint << {SHIFT}) | a.v FROM ({arm_sql}) AS a(r, v) WHERE a.v IS NOT NULL"  # noqa: S608
        sql.append(arm)
        params.extend(arm_params)
    return " UNION ALL ".join(sql), params


def refresh(model, pks=None, *, missing_only: bool = False) -> None:
    """Recompute the keys of ``model``'s records ``pks`` (all when None; with ``missing_only``,
    only those that have none) in one statement."""
    if pks is not None:
        pks = sorted({pk for pk in pks if pk is not None})
        if not pks:
            return
    table, pk = model._meta.db_table, model._meta.pk.column
    arms, params = _arms(model, pks, missing_only=missing_only)
    where = "" if pks is None else f"WHERE t0.{pk} = ANY(%s)"
    if missing_only:
        where = f"{where} {'AND' if where else 'WHERE'} t0.access_keys IS NULL"
    # The bar too: a row written past ``save`` (bulk_create, an update, a load by SQL) has a stale one.
    barred = _barred_sql(model, "t0")
    also = f", barred_keys = {barred}" if barred else ""
    # Identifiers come from the model's meta and the arms from the ORM; every value is a parameter.
    sql = (
        f"WITH pairs(r, k) AS ({arms}), "  # noqa: S608
        f"keyed AS (SELECT r, array_agg(DISTINCT k ORDER BY k) AS ks FROM pairs GROUP BY r) "
        f'UPDATE "{table}" AS t SET access_keys = COALESCE(keyed.ks, ARRAY[]::bigint[]){also} '
        f'FROM "{table}" AS t0 LEFT JOIN keyed ON keyed.r = t0.{pk} {where} '
        f"{'AND' if where else 'WHERE'} t.{pk} = t0.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pks] if pks is not None else params)


def stale(model) -> list[int]:
    """The records whose stored keys (or bar) differ from what their declarations give today."""
    table, pk = model._meta.db_table, model._meta.pk.column
    arms, params = _arms(model, None)
    barred = _barred_sql(model, "t")
    also = f" OR t.barred_keys IS DISTINCT FROM {barred}" if barred else ""
    sql = (
        f"WITH pairs(r, k) AS ({arms}), "  # noqa: S608
        f"keyed AS (SELECT r, array_agg(DISTINCT k ORDER BY k) AS ks FROM pairs GROUP BY r) "
        f'SELECT t.{pk} FROM "{table}" AS t LEFT JOIN keyed ON keyed.r = t.{pk} '
        f"WHERE t.access_keys IS DISTINCT FROM COALESCE(keyed.ks, ARRAY[]::bigint[]){also} ORDER BY t.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def grant_models(model):
    from office.confidentiality.visibility import grant_models

    return grant_models(model)


# --- Kept in the same transaction -----------------------------------------------------------------


def classified_models() -> list[type[models.Model]]:
    from office.confidentiality.models import Classified

    return [model for model in apps.get_models() if issubclass(model, Classified)]


def _own_fields(model) -> set[str]:
    """The record's own fields its keys read: the first hop of each forward path, the level."""
    fields = {"classification", *filter(None, [model.organ_closed_field])}
    for path in paths_of(model):
        field = model._meta.get_field(path.stored.split("__")[0])
        if field.many_to_one and not field.auto_created:
            fields.update({field.name, field.attname})
    return fields


def _reverse_hops(model) -> dict[type[models.Model], tuple[str, str]]:
    """For each table a declared path reaches through reverse relations: (the path from the
    record to the parent of that table's rows, the foreign key from the rows to that parent)."""
    reached = {}
    for path in paths_of(model):
        current, prefix = model, []
        for part in path.stored.split("__")[:-1]:
            field = current._meta.get_field(part)
            if not field.auto_created:
                break  # forward: stored by the row holding the foreign key
            reached[field.related_model] = ("__".join(prefix), field.field.attname)
            prefix.append(part)
            current = field.related_model
    return reached


def connect_all() -> None:
    """Keep every classifiable model's keys current (AppConfig.ready)."""
    for model in classified_models():
        own = _own_fields(model)

        def record_saved(sender, instance, created, update_fields=None, model=model, own=own, **kwargs):
            if created or update_fields is None or own & set(update_fields):
                refresh(model, [instance.pk])

        post_save.connect(record_saved, sender=model, weak=False, dispatch_uid=f"access:{model._meta.label}")
        for related, (prefix, foreign_key) in _reverse_hops(model).items():

            def related_changed(sender, instance, model=model, prefix=prefix, foreign_key=foreign_key, **kwargs):
                parent = getattr(instance, foreign_key)
                if not prefix:
                    refresh(model, [parent])
                else:
                    refresh(model, model._default_manager.filter(**{prefix: parent}).values_list("pk", flat=True))

            uid = f"access:{model._meta.label}:{related._meta.label}"
            post_save.connect(related_changed, sender=related, weak=False, dispatch_uid=uid)
            post_delete.connect(related_changed, sender=related, weak=False, dispatch_uid=uid)
        for grants in grant_models(model):

            def grant_changed(sender, instance, model=model, **kwargs):
                refresh(model, [instance.content_object_id])

            uid = f"access:{model._meta.label}:{grants._meta.label}"
            post_save.connect(grant_changed, sender=grants, weak=False, dispatch_uid=uid)
            post_delete.connect(grant_changed, sender=grants, weak=False, dispatch_uid=uid)


def fill_missing(**kwargs) -> None:
    """After ``migrate``: compute the keys of records that have none (rows loaded by SQL)."""
    for model in classified_models():
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            if model._meta.db_table not in tables or "access_keys" not in {
                column.name for column in connection.introspection.get_table_description(cursor, model._meta.db_table)
            }:
                continue  # migrated only part of the way
        if model._default_manager.filter(access_keys__isnull=True).exists():
            refresh(model, missing_only=True)  # one statement, however many (a bulk load: millions)
