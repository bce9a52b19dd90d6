-- fragment: commit_units
-- recursive: each (author date, team) of commit_teams with the team itself and every unit
-- above it on that date (its parent in team_periods as of that date, the parent's parent,
-- ...); depth 0 is the team. A reorg therefore moves a team's commits to its new division
-- from the day of the reorg on, and leaves earlier commits where they were.
SELECT DISTINCT author_date AS date, team_id, team_id AS unit_id, 0 AS depth
FROM commit_teams
WHERE team_id IS NOT NULL
UNION ALL
SELECT u.date, u.team_id, t.parent_id, u.depth + 1
FROM commit_units AS u
JOIN team_periods AS t
  ON t.team_id = u.unit_id
 AND (t.valid_from IS NULL OR t.valid_from <= u.date)
 AND (t.valid_to IS NULL OR t.valid_to > u.date)
WHERE t.parent_id IS NOT NULL AND u.depth < 64
