"""Planning: pure, seeded models over data the metrics layer returns (DESIGN §3).

``model`` holds what the Monte Carlo engine is given (``PlanInput``: seats and assumptions)
and what it answers (``Projection``: P10/P50/P90 bands per team, group, month and quarter);
``engine.simulate`` is the seeded Monte Carlo between the two (docs/plans-engine.md).
"""
