-- Money (docs/sources/cloud-costs.md, decision 0048): how cloud spend is allocated to teams
-- and services, applied when a metric runs. One row per rule of the rules file; importing a
-- rules file replaces every stored rule.
-- kind:
--   'team_tag'    match = a tag key whose value names a team (first present wins, by position)
--   'service_tag' match = a tag key whose value names a service (first present wins)
--   'account'     match = a SubAccountName (lower-case); team_id = the team its spend goes to
--                 when no tag names a team
--   'untagged'    match = how spend no rule allocates is shown: 'untagged' (as its own group),
--                 'headcount' (spread by each team's FTE that month) or 'usage' (spread by
--                 each team's share of the allocated spend that month)
CREATE TABLE cloud_allocation_rules (
    kind      VARCHAR NOT NULL,
    position  INTEGER NOT NULL,
    match     VARCHAR NOT NULL,
    team_id   VARCHAR,
    file      VARCHAR NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, match)
);
