"""Fast bulk writes for synthetic data: COPY on PostgreSQL, bulk_create elsewhere.

Rows are plain dicts keyed by column (``attname``), with their primary key
already assigned by an :class:`IdAllocator`, so that rows of the next table can
point at them without a round trip. After writing, :func:`reset_sequences`
moves the id sequences past the ids used.
"""

import io

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max


class IdAllocator:
    """Hands out primary keys above the largest one in each table."""

    def __init__(self):
        self._next = {}

    def take(self, model):
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


def write(model, rows):
    """Insert ``rows`` (dicts of column → value, ids included) into ``model``'s table."""
    if not rows:
        return
    columns = list(rows[0])
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
    else:
        _insert_many(model, columns, rows)


def _insert_many(model, columns, rows):
    # A plain executemany, about five times faster than bulk_create's model
    # instances; values go through each field's own database conversion.
    fields = [model._meta.get_field(c) for c in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - names quoted, values bound
    values = [
        [field.get_db_prep_save(row[c], connection) for field, c in zip(fields, columns, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _copy(model, columns, rows):
    buffer = io.StringIO()
    buffer.writelines(",".join(_csv_value(row[c]) for c in columns) + "\n" for row in rows)
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN WITH (FORMAT csv)", buffer)


def _csv_value(value):
    # In PostgreSQL's CSV format an unquoted empty field is NULL and a quoted
    # one ("") the empty string: strings are always quoted.
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)  # numbers, booleans, dates


def reset_sequences(models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(models):
    """Refresh PostgreSQL's planner statistics: after a bulk load they are stale until autovacuum runs."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
