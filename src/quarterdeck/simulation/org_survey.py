"""Developer-experience surveys, once a quarter, as a form tool exports them:
``survey/devex-YYYY-QN.csv`` (one row per response, one column per question) with its
mapping file ``survey/devex-YYYY-QN-mapping.yaml`` (what ``quarterdeck ingest survey
--mapping`` reads), and ``truth/survey.csv``: each team's scores computed from the answers.

Columns of an export: ``Response ID`` (a random id the tool gives, linked to no one: the
mapping drops it), ``Submitted at``, ``Team`` (the respondent's team id on the survey day),
then one column per question's text: eight Likert items (1 strongly disagree ... 5 strongly
agree), the eNPS question (0-10) and a free-text question. Teams with fewer than 5
respondents are written too (the product applies the privacy rule). The survey runs on the
15th of each quarter's last month; about 70% of the people employed that day answer (an
assumption; §7: "always show n and the response rate").

A score is a team's climate that quarter + the question's typical level + the person's own
leaning + noise, rounded into the scale. For ``burnout`` (agreeing is bad) a better team
climate lowers the score.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

#: (id, text, typical score, theme): items paraphrasing DORA's published survey questions,
#: the DevEx dimensions and Culture Amp's retention item (§7).
QUESTIONS: tuple[tuple[str, str, float, str], ...] = (
    ("deploy_on_demand", "We can deploy our service to production at any time, on demand.", 3.6, "deployment"),
    ("code_review_speed", "Code reviews of my changes are done quickly.", 3.3, "review"),
    ("ci_feedback", "Continuous integration tells me quickly whether my change works.", 3.1, "build speed"),
    ("change_other_teams_code", "It is easy for us to change code maintained by other teams.", 2.8, "collaboration"),
    ("focus_time", "I have enough uninterrupted time to focus on my work.", 3.0, "focus"),
    ("cognitive_load", "I can understand the systems I work on without excessive effort.", 3.2, "cognitive load"),
    ("burnout", "I feel burned out from my work.", 2.6, "on-call"),
    ("stay_two_years", "I see myself still working here in two years' time.", 3.7, "retention"),
)
REVERSE = ("burnout",)
ENPS = ("enps", "How likely are you to recommend working here to a friend? (0-10)", 7.0, "engagement")
COMMENT = ("slows_down", "What slows you down the most?", "build speed")
COMMENTS = ("Waiting for CI", "Flaky tests", "Too many meetings", "Slow code reviews", "On-call pages at night")
RESPONSE_RATE = 0.7
SURVEY_DAY = 15
HEADER = ("Response ID", "Submitted at", "Team", *(q[1] for q in QUESTIONS), ENPS[1], COMMENT[1])


def survey_files(world: World) -> dict[str, str]:
    rng = Rng(world.seed, "org", "survey")
    climate_rng = rng.child("climate")
    climate = {team.team_id: climate_rng.normal(0.0, 0.35) for team in world.teams}
    files: dict[str, str] = {}
    truth: list[list[object]] = []
    for day in survey_days(world):
        name = f"devex-{day.year}-Q{(day.month - 1) // 3 + 1}"
        export, scores = survey_export(world, day, climate, rng.child(str(day)))
        files[f"survey/{name}.csv"] = export
        files[f"survey/{name}-mapping.yaml"] = mapping_yaml(name, day)
        truth += truth_rows(name, scores)
    files["truth/survey.csv"] = to_csv(
        ("survey", "team_id", "question", "answers", "mean", "favourable_share", "enps"), truth
    )
    return files


def survey_days(world: World) -> list[date]:
    found = []
    for year in range(world.start.year, world.end.year + 1):
        for month in (3, 6, 9, 12):
            day = date(year, month, SURVEY_DAY)
            if world.start <= day < world.end:
                found.append(day)
    return found


Scores = dict[tuple[str, str], list[int]]  # (team id, question id) -> the answers


def survey_export(world: World, day: date, climate: dict[str, float], rng: Rng) -> tuple[str, Scores]:
    drift = {team_id: rng.normal(0.0, 0.1) for team_id in sorted(climate)}
    respondents = [
        stint.team_id for p in world.people if (stint := p.stint_on(day)) is not None and rng.chance(RESPONSE_RATE)
    ]
    rng.shuffle(respondents)
    rows: list[list[object]] = []
    scores: Scores = defaultdict(list)
    for team_id in respondents:
        mood = climate[team_id] + drift[team_id] + rng.normal(0.0, 0.5)
        answers = []
        for question, _, typical, _ in QUESTIONS:
            value = typical + (-mood if question in REVERSE else mood) + rng.normal(0.0, 0.7)
            answers.append(min(5, max(1, round(value))))
        answers.append(min(10, max(0, round(ENPS[2] + 2 * mood + rng.normal(0.0, 1.5)))))
        for (question, *_), score in zip((*QUESTIONS, ENPS), answers, strict=True):
            scores[(team_id, question)].append(score)
        comment = rng.choice(COMMENTS) if rng.chance(0.2) else ""
        response_id = f"R_{rng.integer(0, 16**10 - 1):010x}"
        submitted = f"{day} {rng.integer(8, 18):02d}:{rng.integer(0, 59):02d}"
        rows.append([response_id, submitted, team_id, *answers, comment])
    return to_csv(HEADER, rows), scores


def mapping_yaml(name: str, day: date) -> str:
    lines = [f"survey: {name}", f"date: {day}", "team_column: Team", "dropped_columns: [Response ID, Submitted at]",
             "questions:"]  # fmt: skip
    for question, text, _, theme in QUESTIONS:
        reverse = "\n    reverse: true" if question in REVERSE else ""
        lines.append(f'  - column: "{text}"\n    id: {question}\n    kind: likert\n    scale: 5\n    theme: {theme}')
        lines[-1] += reverse
    lines.append(f'  - column: "{ENPS[1]}"\n    id: {ENPS[0]}\n    kind: enps\n    theme: {ENPS[3]}')
    lines.append(f'  - column: "{COMMENT[1]}"\n    id: {COMMENT[0]}\n    kind: text\n    theme: {COMMENT[2]}')
    return "\n".join(lines) + "\n"


def truth_rows(name: str, scores: Scores) -> list[list[object]]:
    """Each team's scores: mean and favourable share (4-5, or 1-2 for a reversed item) of a
    Likert item, eNPS (promoters 9-10 minus detractors 0-6, in points) of the eNPS question."""
    rows: list[list[object]] = []
    for (team_id, question), answers in sorted(scores.items()):
        n = len(answers)
        if question == ENPS[0]:
            enps = 100 * (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers)) / n
            rows.append([name, team_id, question, n, "", "", f"{enps:.4f}"])
            continue
        good = sum((a <= 2) if question in REVERSE else (a >= 4) for a in answers)
        rows.append([name, team_id, question, n, f"{sum(answers) / n:.4f}", f"{good / n:.4f}", ""])
    return rows
