"""After a benchmark rolls its data back: give PostgreSQL the space back.

A rolled-back 100,000-member run leaves that many dead rows in `members_user` and the tables
it touched; until they are vacuumed, every later scan of those tables (the next benchmark's,
or the dashboards') reads the empty pages too, and its figures say more about the last
benchmark than about the code. VACUUM truncates the trailing empty pages a rollback leaves."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def vacuum(*models: type[Model]) -> None:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {tables}")
