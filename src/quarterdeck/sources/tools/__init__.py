"""Software spend as finance exports it: vendor, product, owner team, annual cost, currency,
seats bought and used, renewal date. An export is the whole list of contracts."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="tools",
    kind="file",
    summary="Ingest software spend (vendor, product, owner team, annual cost, seats, renewal).",
    reader="quarterdeck.sources.tools.reader:read_tools",
    scope=Scope("files", "a file", "a path such as tools-2026.csv", lambda entry: isinstance(entry, str)),
    options=(
        mapping_option(
            "tools-mapping.yaml", "vendor, product, team, annual_cost, currency, seats_bought, seats_used, renewal_date"
        ),
    ),
    resources=(Resource("tool lines", "tool_spend", "none: an export replaces every stored tool line"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line is one software contract: vendor, product, the owner team (a team of "
        "the organization: ingest the org first), the annual cost and its currency (ISO code; "
        "not converted), optionally the seats bought and used and the renewal date. A file "
        "with any bad line is refused whole, naming each file:line. An export is the whole "
        "list of contracts: importing one replaces every stored tool line (give one file)."
    ),
    examples=(
        "quarterdeck ingest tools tools-2026.csv",
        "quarterdeck ingest tools procurement-export.csv --mapping procurement-mapping.yaml",
    ),
    docs="docs/sources/tools.md",
)
