"""The demo's progress: bars on a terminal, plain lines (no control codes) elsewhere."""

from __future__ import annotations

import io

from rich.console import Console

from quarterdeck.cli.demo_progress import STEPS, DemoProgress


def drive(progress: DemoProgress) -> None:
    with progress:
        progress.step("git repositories")
        for done in range(1, 4):
            if done == 1:
                progress.count("repositories written", 3)
            progress.advance()
        progress.step("ingesting git")
        progress.repositories_found(2)
        progress.repository_planned("api", 700)
        progress.repository_planned("web", 300)
        progress.commits_done("api", 400)
        progress.repository_done("api", "ingested")
        progress.repository_done("web", "failed")
        progress.step("reading GitHub and Jira through their connectors")
        progress.count("sources read", 2)
        progress.items_read("GitHub acme/api pull requests", 1234)
        progress.advance()
        progress.finish()


def test_on_a_terminal_the_steps_and_their_work_are_drawn_as_bars():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    progress = DemoProgress(console, live=True)
    drive(progress)
    text = out.getvalue()
    assert "\x1b[" in text  # drawn in place, with cursor movements
    assert "reading GitHub and Jira through their connectors" in text
    assert f"{len(STEPS)}/{len(STEPS)}" in text  # the last frame: every step done
    assert "failed web" in text  # a failure stays on screen
    assert progress._progress.tasks[0].completed == len(STEPS)  # type: ignore[union-attr]


def test_commits_are_counted_against_what_the_plans_found():
    progress = DemoProgress(Console(file=io.StringIO(), force_terminal=True), live=True)
    with progress:
        progress.step("ingesting git")
        progress.repositories_found(2)
        progress.repository_planned("api", 700)
        progress.repository_planned("web", 300)
        progress.commits_done("api", 400)
        detail = progress._progress.tasks[1]  # type: ignore[union-attr]
        assert (detail.completed, detail.total, detail.visible) == (400, 1000, True)
        steps = progress._progress.tasks[0]  # type: ignore[union-attr]
        assert (steps.completed, steps.description) == (STEPS.index("ingesting git"), "ingesting git")


def test_elsewhere_each_step_is_one_plain_line():
    out = io.StringIO()
    drive(DemoProgress(Console(file=out, force_terminal=False, width=140), live=False))
    lines = out.getvalue().splitlines()
    assert "\x1b" not in out.getvalue()
    assert [line.split(" (")[0] for line in lines] == [
        "demo: git repositories",
        "demo: ingesting git",
        "failed web",
        "demo: reading GitHub and Jira through their connectors",
    ]
    assert all(line.endswith(" s)") for line in lines if line.startswith("demo:"))
