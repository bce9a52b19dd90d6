"""A survey's aggregates for every group of the organization on its date (docs/surveys.md):
responses against headcount, per question the mean and favourable share (Likert) or eNPS,
free-text answers, the themes that moved most since the previous survey; every group under
the minimum size, or that a difference would give back, hidden (metrics.survey_privacy)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.survey_privacy import Tree, hidden_groups
from quarterdeck.store.warehouse import Warehouse

ORGANIZATION = "organization"


@dataclass(frozen=True)
class Question:
    question_id: str
    text: str
    kind: str
    scale: tuple[int, int] | None
    reverse: bool
    theme: str | None


@dataclass(frozen=True)
class Group:
    group_id: str
    name: str
    kind: str  # organization, unit, team
    parent: str | None
    headcount: int
    responses: int | None  # None: hidden


@dataclass(frozen=True)
class Score:
    group_id: str
    question_id: str
    answers: int | None  # None: hidden (so are the rest)
    mean: float | None = None
    favourable: float | None = None  # share 0..1, Likert
    enps: float | None = None  # points -100..100


@dataclass
class SurveyReport:
    survey_id: str
    taken_on: date
    period: tuple[date, date]
    minimum: int
    questions: list[Question]
    groups: list[Group]
    scores: list[Score]
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # shown groups only
    previous: str | None = None
    moves: list[dict[str, Any]] = field(default_factory=list)

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.group_id == group_id)

    def score(self, group_id: str, question_id: str) -> Score:
        return next(s for s in self.scores if s.group_id == group_id and s.question_id == question_id)


def survey_ids(warehouse: Warehouse) -> list[tuple[str, date]]:
    return warehouse.con.execute("SELECT survey_id, taken_on FROM surveys ORDER BY taken_on, survey_id").fetchall()


def choose_survey(warehouse: Warehouse, survey_id: str | None) -> str:
    known = survey_ids(warehouse)
    if not known:
        raise MetricError("no survey is stored yet: quarterdeck ingest survey FILE --mapping MAPPING.yaml")
    if survey_id is None:
        return known[-1][0]
    if survey_id not in {s for s, _ in known}:
        raise MetricError(f"unknown survey {survey_id!r}; surveys stored: {', '.join(s for s, _ in known)}")
    return survey_id


def survey_report(warehouse: Warehouse, survey_id: str, minimum: int, with_moves: bool = True) -> SurveyReport:
    con = warehouse.con
    taken_on, start, end = con.execute(
        "SELECT taken_on, period_start, period_end FROM surveys WHERE survey_id = ?", [survey_id]
    ).fetchone()
    questions = [
        Question(q, text, kind, (low, high) if low is not None else None, reverse, theme)
        for q, text, kind, low, high, reverse, theme in con.execute(
            "SELECT question_id, text, kind, scale_min, scale_max, reverse, theme FROM survey_questions "
            "WHERE survey_id = ? ORDER BY position", [survey_id],
        ).fetchall()
    ]  # fmt: skip
    responses = dict(
        con.execute("SELECT team_id, responses FROM survey_team_responses WHERE survey_id = ?", [survey_id]).fetchall()
    )
    tree, names, kinds, headcount = organization_tree(warehouse, taken_on, set(responses))
    hidden = hidden_groups(tree, responses, minimum)
    totals = tree.totals(responses)
    groups = [
        Group(g, names[g], kinds[g], tree.parents[g], headcount[g], None if g in hidden else totals[g])
        for g in sorted(tree.parents, key=lambda g: (tree.depth(g), g))
    ]
    counts = score_counts(warehouse, survey_id, tree)
    scores, shown = [], {}
    answered = own_answers(warehouse, survey_id)
    for question in questions:
        hide = hidden_groups(tree, answered.get(question.question_id, {}), minimum, frozenset(hidden))
        shown[question.question_id] = [g.group_id for g in groups if g.group_id not in hide]
        if question.kind != "text":
            scores += [score(g.group_id, question, counts[g.group_id][question.question_id], hide) for g in groups]
    report = SurveyReport(survey_id, taken_on, (start, end), minimum, questions, groups, scores)
    report.comments = shown_comments(warehouse, survey_id, tree, questions, shown)
    if with_moves:
        report.previous, report.moves = theme_moves(warehouse, report)
    return report


_UNITS_AT = """
SELECT team_id, name, parent_id FROM team_periods
WHERE (valid_from IS NULL OR valid_from <= $at) AND (valid_to IS NULL OR valid_to > $at)
"""
_HEADCOUNT_AT = """
SELECT team_id, count(*)::INTEGER FROM person_periods
WHERE valid_from <= $at AND (valid_to IS NULL OR valid_to > $at) AND team_id IS NOT NULL GROUP BY 1
"""


def organization_tree(
    warehouse: Warehouse, at: date, teams: set[str]
) -> tuple[Tree, dict[str, str], dict[str, str], dict[str, int]]:
    """The organization on ``at`` (its teams then, from the org history) as groups under one
    root; a team answering that does not exist then hangs under the root."""
    units = {t: (name, parent) for t, name, parent in warehouse.con.execute(_UNITS_AT, {"at": at}).fetchall()}
    if not units:
        raise MetricError(f"no organization on {at}, the survey's date: ingest the org's exports of that time")
    parents: dict[str, str | None] = {ORGANIZATION: None}
    for unit, (_, parent) in units.items():
        parents[unit] = parent if parent in units else ORGANIZATION
    for team in teams - set(parents):
        parents[team] = ORGANIZATION
    names = {ORGANIZATION: "Organization"} | {u: name for u, (name, _) in units.items()}
    names |= {t: t for t in parents if t not in names}
    has_children = {p for p in parents.values() if p is not None}
    kinds = {g: "organization" if g == ORGANIZATION else "unit" if g in has_children else "team" for g in parents}
    tree = Tree(parents)
    own = {t: n for t, n in warehouse.con.execute(_HEADCOUNT_AT, {"at": at}).fetchall() if t in parents}
    return tree, names, kinds, tree.totals(own)


def score_counts(warehouse: Warehouse, survey_id: str, tree: Tree) -> dict[str, dict[str, Counter[int]]]:
    """Per group (its whole subtree) and question: how many answers gave each score."""
    counts: dict[str, dict[str, Counter[int]]] = {g: defaultdict(Counter) for g in tree.parents}
    rows = warehouse.con.execute(
        "SELECT team_id, question_id, score, answers FROM survey_scores WHERE survey_id = ?", [survey_id]
    ).fetchall()
    for team, question, value, answers in rows:
        group: str | None = team if team in tree.parents else ORGANIZATION
        while group is not None:
            counts[group][question][value] += answers
            group = tree.parents[group]
    return counts


def own_answers(warehouse: Warehouse, survey_id: str) -> dict[str, dict[str, int]]:
    """Per question, each team's own answers (scores and free text)."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    rows = warehouse.con.execute(
        "SELECT question_id, team_id, sum(answers)::INTEGER FROM survey_scores WHERE survey_id = $s GROUP BY ALL "
        "UNION ALL SELECT question_id, team_id, count(*)::INTEGER FROM survey_comments WHERE survey_id = $s "
        "GROUP BY ALL",
        {"s": survey_id},
    ).fetchall()
    for question, team, answers in rows:
        found[question][team] = answers
    return found


def score(group: str, question: Question, counts: Counter[int], hidden: set[str]) -> Score:
    answers = sum(counts.values())
    if group in hidden:
        return Score(group, question.question_id, None)
    if not answers:
        return Score(group, question.question_id, 0)
    mean = sum(v * n for v, n in counts.items()) / answers
    if question.kind == "enps":
        promoters = sum(n for v, n in counts.items() if v >= 9)
        detractors = sum(n for v, n in counts.items() if v <= 6)
        return Score(group, question.question_id, answers, mean, enps=100 * (promoters - detractors) / answers)
    assert question.scale is not None
    low, high = question.scale
    good = sum(n for v, n in counts.items() if (v <= low + 1 if question.reverse else v >= high - 1))
    return Score(group, question.question_id, answers, mean, favourable=good / answers)


def shown_comments(
    warehouse: Warehouse, survey_id: str, tree: Tree, questions: list[Question], shown: dict[str, list[str]]
) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    rows = warehouse.con.execute(
        "SELECT team_id, question_id, answer FROM survey_comments WHERE survey_id = ? ORDER BY answer", [survey_id]
    ).fetchall()
    for team, question, answer in rows:
        group: str | None = team if team in tree.parents else ORGANIZATION
        while group is not None:
            if group in shown.get(question, ()):
                found[(group, question)].append(answer)
            group = tree.parents[group]
    return {key: sorted(texts) for key, texts in found.items()}


def all_reports(warehouse: Warehouse, minimum: int) -> list[SurveyReport]:
    """Every survey's report, oldest first, each with its themes moved since the one before
    (each survey computed once)."""
    reports = [survey_report(warehouse, s, minimum, with_moves=False) for s, _ in survey_ids(warehouse)]
    for before, report in pairwise(reports):
        if before.taken_on < report.taken_on:
            report.previous, report.moves = before.survey_id, moves_between(before, report)
    return reports


def theme_scores(report: SurveyReport) -> dict[tuple[str, str], float]:
    """Per shown group and theme: the mean favourable share of its Likert questions."""
    themes = {q.question_id: q.theme for q in report.questions if q.kind == "likert" and q.theme}
    shares: dict[tuple[str, str], list[float]] = defaultdict(list)
    for s in report.scores:
        if s.question_id in themes and s.favourable is not None:
            shares[(s.group_id, themes[s.question_id])].append(s.favourable)
    return {key: sum(v) / len(v) for key, v in shares.items()}


def theme_moves(warehouse: Warehouse, report: SurveyReport) -> tuple[str | None, list[dict[str, Any]]]:
    """The themes' change in favourable share (points) since the survey before, per group
    shown in both, the largest first."""
    before = [s for s, day in survey_ids(warehouse) if day < report.taken_on]
    if not before:
        return None, []
    previous = survey_report(warehouse, before[-1], report.minimum, with_moves=False)
    return previous.survey_id, moves_between(previous, report)


def moves_between(previous: SurveyReport, report: SurveyReport) -> list[dict[str, Any]]:
    then, now = theme_scores(previous), theme_scores(report)
    moves = [
        {"group": group, "theme": theme, "before": then[(group, theme)], "now": value,
         "change_points": 100 * (value - then[(group, theme)])}
        for (group, theme), value in now.items() if (group, theme) in then
    ]  # fmt: skip
    moves.sort(key=lambda m: (-abs(m["change_points"]), m["group"], m["theme"]))
    return moves
