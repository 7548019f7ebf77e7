"""One moment, one set of figures: a document is built from one consistent reading of the data.

On PostgreSQL the default isolation (READ COMMITTED) gives every statement its own snapshot, so a
report made of twenty queries could count an approval in one table and miss it in the next (the
county self-check once said 共命名村党组织4个 and 其中五星级5个 on the same page). ``snapshot()``
opens the transaction at REPEATABLE READ: every query inside sees the database as it was at the
first one. SQLite transactions are serializable already.

The isolation level can only be set by the transaction's first statement: inside an outer
transaction (a test, ATOMIC_REQUESTS) the block joins it as a savepoint, and the callers that need
the guarantee (the worker's renders, the report-taking view and task) run outside one.
"""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def snapshot():
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def isolation_level():
    """The current transaction's isolation level on PostgreSQL (for tests), else the vendor's name."""
    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        return cursor.fetchone()[0]
