"""What the VP hands others: the board pack, owners' digests, the due-diligence report.

Reports read the warehouse through the metrics and planning layers and write documents
(HTML, PDF, PowerPoint) or messages; they never write a table.
"""
