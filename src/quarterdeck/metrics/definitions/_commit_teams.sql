-- fragment: commit_teams
-- The commits authored in the window (the commits of window_commits, plus merges, flagged
-- is_merge), each with the team its author was on at the commit's author time: the author's
-- identity is linked to a person (identity_links), and that person's period covering the
-- author date in the organization's time zone (valid_from inclusive, valid_to exclusive)
-- gives the team. A person's periods never overlap, so each commit appears once.
-- unattributed says why a commit has no team: '(unmatched)' when its identity is linked to
-- nobody, '(no team)' when its person had no team that day (not employed then, or employed
-- without a team).
SELECT
    a.repository_id,
    a.sha,
    a.is_merge,
    a.author_identity_id,
    a.author_local_time,
    a.author_date,
    l.person_id,
    p.team_id,
    CASE WHEN l.person_id IS NULL THEN '(unmatched)' WHEN p.team_id IS NULL THEN '(no team)' END AS unattributed
FROM (
    SELECT
        c.repository_id,
        c.sha,
        c.is_merge,
        c.author_identity_id,
        timezone($timezone, c.author_time) AS author_local_time,
        CAST(timezone($timezone, c.author_time) AS DATE) AS author_date
    FROM commits AS c
    JOIN repositories AS r ON r.repository_id = c.repository_id
    LEFT JOIN identities AS i ON i.identity_id = c.author_identity_id
    WHERE c.reachable
      AND c.author_time >= $since
      AND c.author_time < $until_end
      AND (len($repositories) = 0 OR list_contains($repositories, r.name))
      AND ($include_bots OR NOT coalesce(i.is_bot, false))
) AS a
LEFT JOIN identity_links AS l ON l.identity_id = a.author_identity_id
LEFT JOIN person_periods AS p
  ON p.person_id = l.person_id
 AND p.valid_from <= a.author_date
 AND (p.valid_to IS NULL OR p.valid_to > a.author_date)
