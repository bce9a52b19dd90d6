"""The pipeline: runs any declared source into the warehouse (``run_source``), with one
copy of what every source needs: cursors, transactions, upserts by primary key, problems
for ``data-quality``, a unit that fails alone, and the accounts it names."""
