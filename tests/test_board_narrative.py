"""The board pack's narrative rules on crafted figures (reports/board_narrative.py): a metric
that got worse, one that met its target, one that missed it, one with no data, the risks;
and the user's notes read as safe Markdown."""

from __future__ import annotations

from quarterdeck.reports.board_model import Figure
from quarterdeck.reports.board_narrative import MOVERS, narrative
from quarterdeck.reports.board_notes import note_sentences, notes_html


def figure(key: str, value: float | None, **fields) -> Figure:
    defaults = {
        "label": key.split("@")[0].replace("_", " ").capitalize(),
        "text": "—" if value is None else f"{value:g}",
    }
    return Figure(key=key, value=value, **{**defaults, **fields})


def test_a_metric_that_got_worse_is_a_mover_that_says_worse():
    lead = figure("lead_time@org", 30.0, text="30.0 h", unit="hours", good_direction="down", previous=20.0)
    said = narrative([lead])
    assert [s.rule for s in said] == ["mover_qoq"]
    assert said[0].text == "Lead time worsened quarter on quarter: up 50%, from 20.0 h to 30.0 h."
    assert said[0].evidence == ("lead_time@org",)


def test_a_drop_of_a_metric_where_down_is_good_is_an_improvement_year_on_year():
    cfr = figure("cfr@org", 0.05, text="5.00 %", unit="share of deployments", good_direction="down", year_ago=0.10)
    said = narrative([cfr])
    assert [(s.rule, s.text) for s in said] == [
        ("mover_yoy", "Cfr improved year on year: down 50%, from 10.00 % to 5.00 %.")
    ]


def test_a_quarter_cut_at_the_data_end_has_no_movers_but_its_targets_and_risks():
    lead = figure("lead_time@org", 30.0, text="30.0 h", unit="hours", good_direction="down", previous=20.0,
                  target=40.0, status="green")  # fmt: skip
    said = narrative([lead, figure("bus_factor@org", 2.0)], movers=False)
    assert [s.rule for s in said] == ["target_met", "risk_bus_factor"]


def test_movers_are_ranked_by_relative_change_and_small_changes_are_not_movers():
    figures = [
        figure("a@org", 110.0, good_direction="up", previous=100.0),  # +10 %: just a mover
        figure("b@org", 109.0, good_direction="up", previous=100.0),  # +9 %: not one
        figure("c@org", 1.0, good_direction="up", previous=4.0),  # -75 %
        figure("d@org", 300.0, good_direction="down", previous=100.0),  # +200 %
        figure("e@org", 5.0, good_direction="neither", previous=1.0),  # no better direction
        figure("f@org", 5.0, good_direction="up", previous=0.0),  # from 0: no relative size
    ]
    said = narrative(figures)
    assert [s.evidence[0] for s in said] == ["d@org", "c@org", "a@org"]
    assert len(said) == MOVERS
    assert "worsened" in said[0].text and "worsened" in said[1].text and "improved" in said[2].text


def test_a_target_met_and_a_target_missed():
    met = figure("deploys@org", 2.0, unit="deploy days per week", good_direction="up", target=1.5, status="green")
    missed = figure("restore@org", 9.0, text="9.0 h", unit="hours", target=4.0, status="red")
    said = narrative([met, missed])
    assert [(s.rule, s.text) for s in said] == [
        ("target_met", "Deploys met its target of 1.50: 2 deploy days per week."),
        ("target_missed", "Restore missed its target of 4.0 h: 9.0 h (red)."),
    ]


def test_a_metric_with_no_data_gives_no_sentence_and_never_nan():
    empty = figure("lead_time@org", None, good_direction="down", previous=20.0, target=10.0, status="grey")
    nan = figure("deploys@org", float("nan"), text="nan", good_direction="up", previous=1.0, target=1.0,
                 status="red")  # fmt: skip
    then_nan = figure("restore@org", 3.0, good_direction="down", previous=float("nan"), year_ago=None)
    assert narrative([empty, nan, then_nan]) == ()


def test_risks_are_said_when_their_counts_are_above_zero():
    figures = [
        figure("slos_budget_spent@org", 2.0),
        figure("bus_factor@org", 1.0),
        figure("knowledge_at_risk@org", 0.0),
        figure("no_ready_successor@org", 3.0),
    ]
    said = narrative(figures)
    assert [(s.rule, s.text, s.evidence) for s in said] == [
        ("risk_error_budget", "2 SLOs have spent their error budget at the quarter's end.",
         ("slos_budget_spent@org",)),
        ("risk_bus_factor", "1 repository has a bus factor of 1: one person wrote most of what changed in them "
         "over the year.", ("bus_factor@org",)),
        ("risk_succession", "3 key roles have no successor ready now.", ("no_ready_successor@org",)),
    ]  # fmt: skip


def test_notes_go_in_as_written_and_html_in_them_is_text():
    notes = "# Asks\n\nHire **two** SREs <script>alert(1)</script>\nbefore Q2.\n\n- Approve the *budget*\n- Close DC\n"
    html = notes_html(notes)
    assert html == (
        "<h3>Asks</h3>\n<p>Hire <strong>two</strong> SREs &lt;script&gt;alert(1)&lt;/script&gt; before Q2.</p>\n"
        "<ul><li>Approve the <em>budget</em></li><li>Close DC</li></ul>"
    )
    assert [(s.rule, s.text) for s in note_sentences(notes)] == [
        ("note", "Asks"),
        ("note", "Hire two SREs <script>alert(1)</script> before Q2."),
        ("note", "• Approve the budget"),
        ("note", "• Close DC"),
    ]
