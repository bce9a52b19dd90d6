-- name: code_age
-- title: Code age
-- description: The lines of each repository's default branch as it was at the end of --until
--   (default today: the tip as last ingested), grouped by how long ago their file last
--   changed, measured then. A file's last change is the commit that touched it most recently
--   by then, dated by when it landed (commit time); its lines then are its lines at the tip
--   less what later changes added. Binary files are left out. Old code is not bad in itself; young code in many files
--   means churn, very old code may mean knowledge that has left. With --unit: only the
--   repositories the teams of that unit's subtree own (services, CODEOWNERS).
-- unit: lines
-- grain: repository, age band
-- good_direction: neither
-- value: lines
-- default_window_days: 0
-- parameters: repositories, until, unit
-- uses: team_lineage, owner_scope, scoped_repositories, branch_at_until, history_at_until, history_since_until, changes_since_until, rename_links_since_until, renames_since_until, files_at_until
WITH bands(band_order, age_band, min_days, max_days) AS (
    VALUES
        (1, 'under 1 month', 0, 30),
        (2, '1-3 months', 30, 91),
        (3, '3-6 months', 91, 182),
        (4, '6-12 months', 182, 365),
        (5, '1-2 years', 365, 730),
        (6, '2-4 years', 730, 1461),
        (7, '4 years or more', 1461, NULL),
        (8, 'unknown', NULL, NULL)
),
aged AS (
    SELECT
        t.repository_id,
        t.lines,
        greatest(0, floor((epoch($until_end) - epoch(t.last_changed_at)) / 86400)) AS age_days,
        t.last_changed_at IS NULL AS unknown
    FROM files_at_until AS t
    WHERE NOT t.is_binary AND t.lines IS NOT NULL
),
banded AS (
    SELECT
        a.repository_id,
        b.band_order,
        count(*) AS files,
        sum(a.lines) AS lines
    FROM aged AS a
    JOIN bands AS b
      ON (a.unknown AND b.band_order = 8)
      OR (NOT a.unknown AND a.age_days >= b.min_days AND (b.max_days IS NULL OR a.age_days < b.max_days))
    GROUP BY ALL
)
SELECT
    r.repository,
    b.age_band,
    coalesce(x.files, 0) AS files,
    coalesce(x.lines, 0) AS lines,
    round(coalesce(x.lines, 0) / nullif(sum(coalesce(x.lines, 0)) OVER (PARTITION BY r.repository), 0), 4)
        AS share_of_lines
FROM scoped_repositories AS r
CROSS JOIN bands AS b
LEFT JOIN banded AS x ON x.repository_id = r.repository_id AND x.band_order = b.band_order
ORDER BY r.repository, b.band_order
