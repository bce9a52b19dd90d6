"""Reading a survey export (one row per response, one column per question) with its mapping:
refused whole when any line is wrong; a survey imported again replaces what it stored.

The respondent id column (and any other column the mapping drops) is read past: nothing
of it reaches a table. Answers are stored as counts per team, question and score, and
free-text answers per team in alphabetical order, so no stored row is one response."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.sources.csv_text import CsvProblem, csv_rows
from quarterdeck.sources.reading import Batch, Connection, Replace, Rows, StoredState, SyncResult, Unit
from quarterdeck.sources.survey.mapping import Question, SurveyMapping, load_survey_mapping
from quarterdeck.sources.table_files import TableProblem, organization_teams, read_text, refusal

RESOURCE = "survey"
TABLES = ("survey_questions", "survey_team_responses", "survey_scores", "survey_comments")


@contextmanager
def read_survey(connection: Connection) -> Iterator[Iterator[Unit]]:
    path = connection.config.options.get("mapping")
    if not path:
        raise ConfigError(
            f"{connection.config.where()}: a survey needs its mapping file (--mapping survey-mapping.yaml): "
            "the team column, the date or period and each question's id, kind and theme"
        )
    mapping = load_survey_mapping(path)
    files = [Path(file) for file in connection.config.scopes]
    yield (Unit(file.name, (RESOURCE,), partial(read_file, connection, file, mapping)) for file in files)


def read_file(connection: Connection, path: Path, mapping: SurveyMapping, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    teams = organization_teams(state, path)
    responses = checked_responses(path, mapping, teams)
    result.read = responses.count
    survey_id = mapping.survey_id or path.stem
    stamp = {"source": connection.config.name, "loaded_at": connection.context.loaded_at}
    survey = {
        "survey_id": survey_id, "taken_on": mapping.taken_on, "period_start": mapping.period[0],
        "period_end": mapping.period[1], "responses": responses.count, "file": str(path), "mapping": mapping.path,
    }  # fmt: skip
    rows = [Rows("surveys", [survey], stamp, counts=result)]
    rows += [Rows(table, records, stamp | {"survey_id": survey_id}) for table, records in tables(mapping, responses)]
    return Batch(
        [result], rows=rows, replace=[Replace(t, {"survey_id": survey_id}) for t in TABLES], problems={RESOURCE: []}
    )


@dataclass
class Answers:
    """A file's answers as counted: responses per team, answers per team, question and
    score, free-text answers per team and question."""

    count: int = 0
    teams: Counter[str] = field(default_factory=Counter)
    scores: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    texts: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))


def accepted(question: Question) -> dict[str, int]:
    """Every value a scored question accepts (numbers, labels in lower case) -> its score."""
    assert question.scale is not None
    low, high = question.scale
    values = {str(v): v for v in range(low, high + 1)}
    return values | {label.lower(): low + i for i, label in enumerate(question.labels)}


def checked_responses(path: Path, mapping: SurveyMapping, teams: dict[str, str]) -> Answers:
    file = str(path)
    try:
        text = read_text(path)
    except OSError as exc:
        raise SourceError(f"{file}: cannot be read ({exc.strerror})") from None
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]
    if not header:
        raise SourceError(refusal([TableProblem(file, 1, "", "empty file: expected a header row")], file))
    problems = header_problems(file, header, mapping)
    if problems:
        raise SourceError(refusal(problems, file))
    position = {h.lower(): i for i, h in enumerate(header)}
    lines: list[int] = []
    rows: list[list[str]] = []
    try:
        for line, row in csv_rows(text, header):
            lines.append(line)
            rows.append(row)
    except CsvProblem as problem:
        problems.append(TableProblem(file, problem.line, problem.field, problem.message))
    answers = Answers(len(rows))
    team_values = [row[position[mapping.team_column.lower()]] for row in rows]
    team_of = _team_ids(file, lines, team_values, mapping.team_column, teams, problems)
    answers.teams.update(team_of[v] for v in team_values if v in team_of)
    for question in mapping.questions:
        column = [row[position[question.column.lower()]] for row in rows]
        if question.kind == "text":
            for team, value in zip(team_values, column, strict=True):
                if value.strip() and team in team_of:
                    answers.texts[(team_of[team], question.question_id)].append(" ".join(value.split()))
            continue
        score_of = _scores(file, lines, column, question, problems)
        for (team, value), n in Counter(zip(team_values, column, strict=True)).items():
            if score_of.get(value) is not None and team in team_of:
                answers.scores[(team_of[team], question.question_id, score_of[value])] += n
    if problems:
        problems.sort(key=lambda p: p.line)
        raise SourceError(refusal(problems, file))
    return answers


def _team_ids(
    file: str, lines: list[int], values: list[str], column: str, teams: dict[str, str], problems: list[TableProblem]
) -> dict[str, str]:
    """Each distinct team value of the file -> its team id; a problem for each line naming
    a team the organization does not know."""
    found = {v: teams[v.strip().lower()] for v in set(values) if v.strip().lower() in teams}
    expected = "a team of the organization (its id, name or alias)"
    problems += [
        TableProblem(file, line, column, f"{value.strip()!r}: expected {expected}")
        for line, value in zip(lines, values, strict=True) if value not in found
    ]  # fmt: skip
    return found


def _scores(
    file: str, lines: list[int], column: list[str], question: Question, problems: list[TableProblem]
) -> dict[str, int | None]:
    """Each distinct value of a scored column -> its score (None: not answered); a problem
    for each line whose value is off the scale."""
    values = accepted(question)
    score_of: dict[str, int | None] = {}
    wrong = set()
    for value in set(column):
        cleaned = value.strip()
        score = values.get(cleaned, values.get(cleaned.lower()))
        if cleaned and score is None:
            wrong.add(value)
        score_of[value] = score
    if wrong:
        expected = f"expected {_scale(question)}"
        problems += [
            TableProblem(file, line, question.column, f"{value.strip()!r}: {expected}")
            for line, value in zip(lines, column, strict=True) if value in wrong
        ]  # fmt: skip
    return score_of


def header_problems(file: str, header: list[str], mapping: SurveyMapping) -> list[TableProblem]:
    known = {mapping.team_column.lower(), *(c.lower() for c in mapping.dropped)}
    known |= {q.column.lower() for q in mapping.questions}
    present = {h.lower() for h in header}
    problems = [
        TableProblem(file, 1, h, f"a column the mapping {mapping.path} does not name: expected a question "
                     "column, the team column or one of its dropped_columns")
        for h in header if h.lower() not in known
    ]  # fmt: skip
    missing = [c for c in [mapping.team_column] + [q.column for q in mapping.questions] if c.lower() not in present]
    lacking = f"the mapping {mapping.path} names this column; the header lacks it"
    problems += [TableProblem(file, 1, c, lacking) for c in missing]
    return problems


def _scale(question: Question) -> str:
    assert question.scale is not None
    low, high = question.scale
    words = f" or one of {', '.join(question.labels)}" if question.labels else ""
    return f"a whole number from {low} to {high}{words}"


def tables(mapping: SurveyMapping, answers: Answers) -> list[tuple[str, list[dict[str, Any]]]]:
    questions = [
        {"question_id": q.question_id, "position": n, "text": q.text, "kind": q.kind,
         "scale_min": q.scale[0] if q.scale else None, "scale_max": q.scale[1] if q.scale else None,
         "reverse": q.reverse, "theme": q.theme}
        for n, q in enumerate(mapping.questions, start=1)
    ]  # fmt: skip
    per_team, scores, comments = answers.teams, answers.scores, answers.texts
    return [
        ("survey_questions", questions),
        ("survey_team_responses", [{"team_id": t, "responses": n} for t, n in sorted(per_team.items())]),
        ("survey_scores", [{"team_id": t, "question_id": q, "score": s, "answers": n}
                           for (t, q, s), n in sorted(scores.items())]),
        ("survey_comments", [{"team_id": t, "question_id": q, "number": i, "answer": text}
                             for (t, q), texts in sorted(comments.items())
                             for i, text in enumerate(sorted(texts), start=1)]),
    ]  # fmt: skip
