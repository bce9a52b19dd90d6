"""Replacing rows by primary key: right whichever rows are stored, and a plain insert when
none of the batch's keys is stored (INSERT OR REPLACE looks every row up in the index)."""

from __future__ import annotations

from datetime import UTC, datetime

from quarterdeck.store import open_warehouse
from quarterdeck.store.writes import upsert_records

AT = datetime(2026, 1, 5, tzinfo=UTC)


def statements(wh) -> list[str]:
    rows = wh.con.execute("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'").fetchall()
    return [r[0] for r in rows if r[0].lstrip().upper().startswith("INSERT")]


def test_upsert_inserts_new_keys_plainly_and_replaces_stored_ones(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as wh:
        wh.con.execute("CREATE TABLE sample (source VARCHAR, id BIGINT, title VARCHAR, PRIMARY KEY (source, id))")
        wh.con.execute("CALL enable_logging('QueryLog')")
        first = [{"id": 1, "title": "one"}, {"id": 2, "title": "two"}]
        assert upsert_records(wh, "sample", first, {"source": "a"}) == 2
        # the same ids under another source are other keys: still a plain insert
        assert upsert_records(wh, "sample", [{"id": 1, "title": "other"}], {"source": "b"}) == 1
        # id 2 of source a is stored: replaced, id 3 added
        assert upsert_records(wh, "sample", [{"id": 2, "title": "TWO"}, {"id": 3, "title": "three"}], {"source": "a"})
        rows = wh.con.execute("SELECT source, id, title FROM sample ORDER BY source, id").fetchall()
        kinds = ["replace" if "OR REPLACE" in s.upper() else "insert" for s in statements(wh)]
    assert rows == [("a", 1, "one"), ("a", 2, "TWO"), ("a", 3, "three"), ("b", 1, "other")]
    assert kinds == ["insert", "insert", "replace"]
