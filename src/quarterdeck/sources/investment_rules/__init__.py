"""The investment rules file: which category (new capability, keep the lights on, tech debt,
bugs, incidents and support, ...) each work item's effort goes to, and which objective each
epic serves. The file is the whole set of rules: importing one replaces the stored one."""

from quarterdeck.sources.frame import Resource, Scope, Source

SOURCE = Source(
    name="investment-rules",
    title="Investment rules",
    kind="file",
    summary="Ingest the investment rules: work items to categories, epics to objectives (YAML).",
    reader="quarterdeck.sources.investment_rules.reader:read_investment_rules",
    scope=Scope("files", "a file", "a path such as investment-rules.yaml", lambda entry: isinstance(entry, str)),
    resources=(
        Resource("investment rules", "investment_rules", "none: a file replaces every stored rule"),
        Resource("investment categories", "investment_categories", "none: a file replaces every stored category"),
        Resource("investment objectives", "investment_objectives", "none: a file replaces every stored objective"),
    ),
    description=(
        "A YAML file: 'categories' (key: name shown; default new_capability, keep_the_lights_on, "
        "tech_debt, bugs, incidents_and_support), 'rules' (a list, the first rule whose fields "
        "all match a work item gives its category; fields issue_type, labels, epic, project, "
        "repository, each a value or a list of values, any of which matches) and 'objectives' "
        "(key: name and the epics that serve it). Work no rule matches is 'uncategorized', "
        "always shown. A file with any problem is refused whole, naming each file:line, and "
        "the stored rules stay; a file read in full replaces them."
    ),
    examples=("quarterdeck ingest investment-rules investment-rules.yaml",),
    docs="docs/sources/investment-rules.md",
)
