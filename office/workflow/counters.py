"""One year counter for every number series (发文字号, 收文编号, 督办编号 …): unique and gapless.

Each series keeps its own counter table (key columns, ``year``, ``last``). One statement takes the
next number: an upsert that creates the year's row at 1 or, when it exists, locks and increments
it (``ON CONFLICT … DO UPDATE``, race-free). The row stays locked until the transaction ends, so
two transactions taking a number of the same series and year queue behind each other, and a
rollback gives the number back. Take it as the transaction's last step: everything the
transaction does after it is time the next number of the series waits.
"""

from __future__ import annotations

from django.db import connection, models


def next_number_sql(counter_model: type[models.Model], *, year: int, **key: models.Model | int) -> tuple[str, list]:
    """The upsert that takes the next number of ``counter_model``'s row for ``key`` (foreign keys
    by object or id) and ``year``, as SQL returning ``"last"`` with its parameters: for a flow that
    stores the number in the same statement (a CTE), so the counter stays locked for one round trip
    and the commit, not for every statement after it."""
    meta = counter_model._meta
    columns, values = [], []
    for name, value in key.items():
        columns.append(meta.get_field(name).column)
        values.append(getattr(value, "pk", value))
    quote = connection.ops.quote_name
    table, last = quote(meta.db_table), quote("last")
    names = ", ".join(quote(column) for column in [*columns, "year"])
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    sql = (
        f"INSERT INTO {table} ({names}, {last}) VALUES ({placeholders}, 1) "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({names}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    return sql, [*values, year]


def take_next(counter_model: type[models.Model], *, year: int, **key: models.Model | int) -> int:
    """The next number of ``counter_model``'s row for ``key`` and ``year``; call it inside the
    transaction that stores the number, as late as it can be."""
    sql, params = next_number_sql(counter_model, year=year, **key)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def peek_next(counter_model: type[models.Model], *, year: int, **key: models.Model | int) -> int:
    """The number ``take_next`` would take now, without taking it or locking anything (what a
    confirmation names: “登记后将占用 …”); another registration may take it first."""
    meta = counter_model._meta
    filters = {meta.get_field(name).attname: getattr(value, "pk", value) for name, value in key.items()}
    last = counter_model.objects.filter(year=year, **filters).values_list("last", flat=True).first()
    return (last or 0) + 1
