"""Developer-experience survey responses, once a quarter: ``survey/devex-YYYY-QN.csv``.

Columns: ``response_id`` (R0001..., a random order, not linked to anyone), ``respondent_team``
(the respondent's team on the survey day), ``question`` (an id of ``QUESTIONS``), ``score``
(1 strongly disagree ... 5 strongly agree). Anonymous; teams with fewer than 5 respondents
are written too (the product applies the privacy rule). ``survey/questions.csv`` gives each
question's text. The survey runs on the 15th of each quarter's last month; about 70% of the
people employed that day answer (an assumption; §7: "always show n and the response rate").

A score is a team's climate that quarter + the question's typical level + the person's
own leaning + noise, rounded into 1..5. For ``burnout`` (agreeing is bad) a better team
climate lowers the score.
"""

from __future__ import annotations

from datetime import date

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

#: (id, text, typical score): items paraphrasing DORA's published survey questions, the
#: DevEx dimensions and Culture Amp's retention item (§7).
QUESTIONS: tuple[tuple[str, str, float], ...] = (
    ("deploy_on_demand", "We can deploy our service to production at any time, on demand.", 3.6),
    ("code_review_speed", "Code reviews of my changes are done quickly.", 3.3),
    ("ci_feedback", "Continuous integration tells me quickly whether my change works.", 3.1),
    ("change_other_teams_code", "It is easy for us to change code maintained by other teams.", 2.8),
    ("focus_time", "I have enough uninterrupted time to focus on my work.", 3.0),
    ("cognitive_load", "I can understand the systems I work on without excessive effort.", 3.2),
    ("burnout", "I feel burned out from my work.", 2.6),
    ("stay_two_years", "I see myself still working here in two years' time.", 3.7),
)
RESPONSE_RATE = 0.7
SURVEY_DAY = 15


def survey_files(world: World) -> dict[str, str]:
    rng = Rng(world.seed, "org", "survey")
    climate_rng = rng.child("climate")
    climate = {team.team_id: climate_rng.normal(0.0, 0.35) for team in world.teams}
    files = {"survey/questions.csv": to_csv(("question", "text"), [[q, text] for q, text, _ in QUESTIONS])}
    for day in survey_days(world):
        quarter = (day.month - 1) // 3 + 1
        files[f"survey/devex-{day.year}-Q{quarter}.csv"] = survey_csv(world, day, climate, rng.child(str(day)))
    return files


def survey_days(world: World) -> list[date]:
    found = []
    for year in range(world.start.year, world.end.year + 1):
        for month in (3, 6, 9, 12):
            day = date(year, month, SURVEY_DAY)
            if world.start <= day < world.end:
                found.append(day)
    return found


def survey_csv(world: World, day: date, climate: dict[str, float], rng: Rng) -> str:
    drift = {team_id: rng.normal(0.0, 0.1) for team_id in sorted(climate)}
    respondents = [
        stint.team_id for p in world.people if (stint := p.stint_on(day)) is not None and rng.chance(RESPONSE_RATE)
    ]
    rng.shuffle(respondents)
    rows: list[list[object]] = []
    for number, team_id in enumerate(respondents, start=1):
        leaning = rng.normal(0.0, 0.5)
        mood = climate[team_id] + drift[team_id] + leaning
        for question, _, typical in QUESTIONS:
            value = typical + (-mood if question == "burnout" else mood) + rng.normal(0.0, 0.7)
            rows.append([f"R{number:04d}", team_id, question, min(5, max(1, round(value)))])
    return to_csv(("response_id", "respondent_team", "question", "score"), rows)
