"""The DuckDB warehouse: connection lifecycle, migrations, batch writes and reads."""

from quarterdeck.store.warehouse import LATEST_SCHEMA_VERSION, Warehouse, first_row, open_warehouse

__all__ = ["LATEST_SCHEMA_VERSION", "Warehouse", "first_row", "open_warehouse"]
