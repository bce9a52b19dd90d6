"""A simulated engineering organization (``quarterdeck simulate``, ``quarterdeck demo``).

The simulator writes only the inputs real users give Quarterdeck (HR exports, org files,
git repositories, delivery files, API-shaped responses) and, beside them, the truth it knows;
it never touches the warehouse. It imports nothing above ``config`` in the layering.
"""
