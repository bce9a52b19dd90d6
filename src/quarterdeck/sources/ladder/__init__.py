"""A career ladder file (docs/ladders.md): tracks and levels, a rating scale, competencies
with what each level expects, and the HR export's levels mapped onto the ladder's."""

from quarterdeck.sources.frame import Resource, Scope, Source

SOURCE = Source(
    name="ladder",
    kind="file",
    summary="Ingest a career ladder (YAML: tracks, levels, competencies, rating scale, HR levels).",
    reader="quarterdeck.sources.ladder.reader:read_ladder",
    scope=Scope("files", "a file", "a path such as ladder.yaml", lambda entry: isinstance(entry, str)),
    resources=(Resource("ladder", "ladders", "none: a ladder replaces the one stored before"),),
    description=(
        "The ladder file says which tracks there are (IC, manager...), their levels in order, "
        "the rating scale, each competency with what each level expects in words and the "
        "rating that meets it, and hr_levels: how the HR export's levels map onto the "
        "ladder's (by default an HR level is the ladder level of the same id). A mistake is "
        "refused naming file:line; HR levels of the stored people that the ladder lacks are "
        "refused, naming them. Without an imported ladder Quarterdeck uses its built-in "
        "engineering ladder (quarterdeck ladder show)."
    ),
    examples=("quarterdeck ingest ladder ladder.yaml",),
    docs="docs/ladders.md",
)
