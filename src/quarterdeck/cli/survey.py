"""``quarterdeck survey``: a developer-experience survey's aggregates by team or unit, every
group under the minimum size (or that a difference would give back) suppressed
(docs/surveys.md)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from quarterdeck.cli.context import db_options, open_for_reading, resolve_settings
from quarterdeck.cli.output import emit
from quarterdeck.metrics.survey import all_reports, choose_survey, survey_report
from quarterdeck.metrics.survey_systems import themes_beside_metrics
from quarterdeck.metrics.survey_view import (
    BESIDE_COLUMNS,
    BESIDE_TEAM_COLUMNS,
    GROUP_COLUMNS,
    HISTORY_COLUMNS,
    MOVE_COLUMNS,
    SCORE_COLUMNS,
    beside_json,
    beside_rows,
    beside_team_rows,
    group_rows,
    history_rows,
    move_rows,
    report_json,
    score_rows,
)

FORMATS = ("table", "json", "csv")


@click.command("survey")
@click.option("--survey", "survey_id", metavar="ID", help="A survey's id (default: the latest).")
@click.option("--by", type=click.Choice(("team", "unit")), default="team", show_default=True, help="Group by.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people, json (everything, with free-text answers) or csv (a row per group and question).",
)  # fmt: skip
@click.option(
    "--beside-metrics", is_flag=True,
    help="Each theme next to the metric it speaks of, per team, over the survey's period (an association).",
)  # fmt: skip
@click.option("--over-time", is_flag=True, help="Every survey's theme scores and eNPS per group, oldest first.")
@db_options
def survey(
    survey_id: str | None, by: str, output_format: str, beside_metrics: bool, over_time: bool, db: Path | None,
    config_file: Path | None,
) -> None:  # fmt: skip
    """A developer-experience survey by team or unit: eNPS, Likert items, response rates, themes that moved.

    Responses against headcount, per question the mean and favourable share (Likert) or
    eNPS, and the themes that moved most since the survey before.

    No group under [privacy] min_group_size respondents is shown, nor one a difference
    (a unit minus its other teams, the organization minus the other units) would give back:
    those print 'suppressed'. Free-text answers (--format json) only for groups shown.

    \b
    Examples:
      quarterdeck survey
      quarterdeck survey --survey devex-2026-Q2 --by unit
      quarterdeck survey --format json
      quarterdeck survey --format csv > survey.csv
      quarterdeck survey --over-time --by unit
      quarterdeck survey --beside-metrics      # build speed beside pr_ci_wait, on-call beside incidents...
    """
    settings = resolve_settings(db, config_file)
    if over_time:
        with open_for_reading(settings) as warehouse:
            choose_survey(warehouse, None)  # a clear error when there is none
            reports = all_reports(warehouse, settings.min_group_size)
        emit(HISTORY_COLUMNS, history_rows(reports, by), output_format, title="Theme scores over time")
        return
    with open_for_reading(settings) as warehouse:
        report = survey_report(warehouse, choose_survey(warehouse, survey_id), settings.min_group_size)
        if beside_metrics:
            found = themes_beside_metrics(warehouse, report)
    if beside_metrics:
        if output_format == "json":
            sys.stdout.write(json.dumps(beside_json(found), indent=2, ensure_ascii=False) + "\n")
            return
        emit(BESIDE_COLUMNS, beside_rows(found), output_format, title=f"Themes beside metrics, {report.survey_id}")
        if output_format == "table":
            emit(BESIDE_TEAM_COLUMNS, beside_team_rows(found), "table", title="Per team")
        return
    if output_format == "json":
        sys.stdout.write(json.dumps(report_json(report, by), indent=2, ensure_ascii=False) + "\n")
        return
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(SCORE_COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in score_rows(report, by))
        return
    title = f"Survey {report.survey_id} of {report.taken_on} (groups under {report.minimum} respondents suppressed)"
    emit(GROUP_COLUMNS, group_rows(report, by), "table", title=title)
    emit(SCORE_COLUMNS, score_rows(report, by), "table", title="Scores")
    since = f"Themes moved since {report.previous}" if report.previous else "Themes moved: no earlier survey"
    emit(MOVE_COLUMNS, move_rows(report, by)[:10], "table", title=since)
