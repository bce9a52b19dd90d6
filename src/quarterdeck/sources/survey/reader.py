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
    result.read = len(responses)
    survey_id = mapping.survey_id or path.stem
    stamp = {"source": connection.config.name, "loaded_at": connection.context.loaded_at}
    survey = {
        "survey_id": survey_id, "taken_on": mapping.taken_on, "period_start": mapping.period[0],
        "period_end": mapping.period[1], "responses": len(responses), "file": str(path), "mapping": mapping.path,
    }  # fmt: skip
    rows = [Rows("surveys", [survey], stamp, counts=result)]
    rows += [Rows(table, records, stamp | {"survey_id": survey_id}) for table, records in tables(mapping, responses)]
    return Batch(
        [result], rows=rows, replace=[Replace(t, {"survey_id": survey_id}) for t in TABLES], problems={RESOURCE: []}
    )


Response = tuple[str, dict[str, Any]]  # team id, question id -> answer


def checked_responses(path: Path, mapping: SurveyMapping, teams: dict[str, str]) -> list[Response]:
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
    responses: list[Response] = []
    try:
        for line, row in csv_rows(text, header):
            response, wrong = _response(file, line, row, position, mapping, teams)
            problems += wrong
            if not wrong:
                responses.append(response)
    except CsvProblem as problem:
        problems.append(TableProblem(file, problem.line, problem.field, problem.message))
    if problems:
        raise SourceError(refusal(problems, file))
    return responses


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


def _response(
    file: str, line: int, row: list[str], position: dict[str, int], mapping: SurveyMapping, teams: dict[str, str]
) -> tuple[Response, list[TableProblem]]:
    problems = []
    team_value = row[position[mapping.team_column.lower()]].strip()
    team_id = teams.get(team_value.lower())
    if team_id is None:
        expected = "a team of the organization (its id, name or alias)"
        problems.append(TableProblem(file, line, mapping.team_column, f"{team_value!r}: expected {expected}"))
    answers: dict[str, Any] = {}
    for question in mapping.questions:
        value = row[position[question.column.lower()]].strip()
        if not value:
            continue  # not answered
        try:
            answers[question.question_id] = answer(question, value)
        except ValueError as exc:
            problems.append(TableProblem(file, line, question.column, f"{value!r}: expected {exc}"))
    return (team_id or "", answers), problems


def answer(question: Question, value: str) -> Any:
    if question.kind == "text":
        return " ".join(value.split())
    assert question.scale is not None
    low, high = question.scale
    by_label = {label.lower(): low + i for i, label in enumerate(question.labels)}
    if value.lower() in by_label:
        return by_label[value.lower()]
    try:
        score = int(value)
    except ValueError:
        score = None
    if score is None or not low <= score <= high:
        words = f" or one of {', '.join(question.labels)}" if question.labels else ""
        raise ValueError(f"a whole number from {low} to {high}{words}")
    return score


def tables(mapping: SurveyMapping, responses: list[Response]) -> list[tuple[str, list[dict[str, Any]]]]:
    questions = [
        {"question_id": q.question_id, "position": n, "text": q.text, "kind": q.kind,
         "scale_min": q.scale[0] if q.scale else None, "scale_max": q.scale[1] if q.scale else None,
         "reverse": q.reverse, "theme": q.theme}
        for n, q in enumerate(mapping.questions, start=1)
    ]  # fmt: skip
    per_team = Counter(team for team, _ in responses)
    scores: Counter[tuple[str, str, int]] = Counter()
    comments: dict[tuple[str, str], list[str]] = defaultdict(list)
    kinds = {q.question_id: q.kind for q in mapping.questions}
    for team, answers in responses:
        for question_id, value in answers.items():
            if kinds[question_id] == "text":
                comments[(team, question_id)].append(value)
            else:
                scores[(team, question_id, value)] += 1
    return [
        ("survey_questions", questions),
        ("survey_team_responses", [{"team_id": t, "responses": n} for t, n in sorted(per_team.items())]),
        ("survey_scores", [{"team_id": t, "question_id": q, "score": s, "answers": n}
                           for (t, q, s), n in sorted(scores.items())]),
        ("survey_comments", [{"team_id": t, "question_id": q, "number": i, "answer": text}
                             for (t, q), texts in sorted(comments.items())
                             for i, text in enumerate(sorted(texts), start=1)]),
    ]  # fmt: skip
