"""Open positions (requisitions) as recruiting or finance exports them: id, team, level,
location, expected start month, annual cost, currency, status. An export is the whole list."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="positions",
    kind="file",
    summary="Ingest open positions (requisitions: team, level, location, start month, annual cost).",
    reader="quarterdeck.sources.positions.reader:read_positions",
    scope=Scope("files", "a file", "a path such as positions.csv", lambda entry: isinstance(entry, str)),
    options=(
        mapping_option(
            "positions-mapping.yaml",
            "id, team, level, location, start_month, annual_cost, currency, status, opened, role",
        ),
    ),
    resources=(Resource("positions", "positions", "none: an export replaces every stored position"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line is one position to hire for: its id, the team (a team of the "
        "organization: ingest the org first), optionally the level and location, the month "
        "the hire is expected to start, the annual cost and its currency (ISO code; not "
        "converted), its status (open, on_hold, filled, cancelled), and optionally the day "
        "it was opened and its role (engineer, manager...). budget_forecast counts the open "
        "ones; a plan (quarterdeck plan run) draws their time to fill from the day opened. "
        "A file with any bad line is refused whole, naming each file:line. An "
        "export is the whole list of positions: importing one replaces every stored position "
        "(give one file)."
    ),
    examples=(
        "quarterdeck ingest positions positions.csv",
        "quarterdeck ingest positions greenhouse-export.csv --mapping greenhouse-mapping.yaml",
    ),
    docs="docs/sources/positions.md",
)
