"""A developer-experience survey as a form tool exports it: one row per response, one column
per question, read with a mapping file naming the team column, the survey's date or period
and each question's id, kind, scale and theme (docs/sources/survey.md, docs/surveys.md)."""

from quarterdeck.sources.frame import Flag, Option, Resource, Scope, Source

SOURCE = Source(
    name="survey",
    kind="file",
    summary="Ingest a survey export (one row per response) with its mapping of questions, scales and themes.",
    reader="quarterdeck.sources.survey.reader:read_survey",
    scope=Scope("files", "a file", "a path such as devex-2026-Q2.csv", lambda entry: isinstance(entry, str)),
    options=(
        Option(
            "mapping",
            None,
            "the path of the survey's mapping file (YAML), such as survey-mapping.yaml",
            lambda value: value is None or isinstance(value, str),
            "names the team column, the date or period, and each question's id, text, kind, scale and theme",
            path=True,
        ),
    ),
    resources=(Resource("survey", "surveys", "none: a survey imported again replaces what it stored"),),
    flags=(
        Flag(
            "--mapping",
            "The survey's mapping file (YAML): team column, date or period, questions (required).",
            "option:mapping",
            "FILE",
        ),
    ),
    description=(
        "Each CSV line is one response: the respondent's team (a team of the organization: "
        "ingest the org first) and one column per question. The mapping file (required) names "
        "the team column, the survey's date or period, the columns to drop (a respondent id: "
        "never stored) and each question's id, text, kind (likert with its scale, enps 0-10, "
        "text) and theme. Answers are stored as counts per team, never one response per row. "
        "A file with any bad line (an unknown column or team, a value off its scale) is refused "
        "whole, naming each file:line. Importing a survey again replaces what it stored."
    ),
    examples=(
        "quarterdeck ingest survey devex-2026-Q2.csv --mapping devex-mapping.yaml",
        "quarterdeck ingest survey culture-amp-export.csv --mapping culture-amp-mapping.yaml",
    ),
    docs="docs/sources/survey.md",
)
