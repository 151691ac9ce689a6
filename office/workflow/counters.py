"""One year counter for every number series (发文字号, 收文编号, 督办编号 …): unique and gapless.

Each series keeps its own counter table (key columns, ``year``, ``last``); the row is created once
with ``ON CONFLICT DO NOTHING`` (race-free) and then locked ``FOR UPDATE`` for the increment, so two
transactions taking a number of the same series and year queue behind each other and a rollback
gives the number back.
"""

from __future__ import annotations

from django.db import connection, models


def take_next(counter_model: type[models.Model], *, year: int, **key: models.Model | int) -> int:
    """The next number of ``counter_model``'s row for ``key`` (foreign keys by object or id) and
    ``year``; call it inside the transaction that stores the number."""
    meta = counter_model._meta
    columns, values = [], []
    for name, value in key.items():
        field = meta.get_field(name)
        columns.append(field.column)
        values.append(getattr(value, "pk", value))
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in [*columns, "year"])
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({names}, {quote('last')}) "  # noqa: S608 (names from the model)
            f"VALUES ({placeholders}, 0) ON CONFLICT ({names}) DO NOTHING",
            [*values, year],
        )
    lookup = {f"{meta.get_field(name).attname}": value for name, value in zip(key, values, strict=True)}
    counter = counter_model.objects.select_for_update().get(year=year, **lookup)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
