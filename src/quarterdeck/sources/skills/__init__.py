"""A skills inventory: what each person can do and how well, as of a date (person, skill,
level 1-5 or a word, date). Read by the talent gaps of a plan (docs/talent-gaps.md)."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="skills",
    kind="file",
    summary="Ingest a skills inventory (person, skill, level 1-5, date) for the plan's talent gaps.",
    reader="quarterdeck.sources.skills.reader:read_skills",
    scope=Scope("files", "a file", "a path such as skills.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("skills-mapping.yaml", "person, skill, level, date"),),
    resources=(Resource("skills", "skills", "none: a file replaces what it stored before"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line says that a person holds a skill at a level as of a date. The person is "
        "a person id of the people exports or an e-mail address the organization knows (ingest "
        "the org first). The level is 1 to 5 or a word: beginner 1, basic 2, intermediate 3, "
        "advanced 4, expert 5. A later date holds from then on; the plan's talent gaps read the "
        "latest line on or before the plan's start. A file with any bad line is refused whole, "
        "naming each file:line. Importing a file again replaces what it stored before."
    ),
    examples=(
        "quarterdeck ingest skills skills.csv",
        "quarterdeck ingest skills hris-skills.csv --mapping skills-mapping.yaml",
    ),
    docs="docs/sources/skills.md",
)
