-- name: bus_factor
-- title: Bus factor
-- description: The smallest number of authors whose changes add up to at least half of the
--   lines changed (added + deleted, non-merge commits) in the repository in the window
--   (default: the 12 months up to --until). 1 means one person wrote most of what changed
--   recently. An author is a person: the git identities linked to one person (identity
--   links) count as one; an identity linked to nobody counts as its own author.
--   Repositories with no change in the window have no value. Bots are excluded
--   unless --include-bots. Only counts are shown, never who the authors are. With --unit:
--   only the repositories the teams of that unit's subtree own (services, CODEOWNERS).
-- unit: people
-- grain: repository
-- good_direction: up
-- value: bus_factor
-- default_window_days: 365
-- parameters: repositories, since, until, include_bots, unit
-- uses: team_lineage, owner_scope, scoped_repositories, window_commits
-- tile: entropy
-- tile_order: 10
-- tile_reduce: count_at_most
-- tile_threshold: 1
-- tile_title: Repositories with a bus factor of 1
-- tile_unit: repositories
WITH author_lines AS (
    SELECT
        w.repository_id,
        coalesce('person:' || l.person_id, w.author_identity_id) AS author,
        sum(coalesce(f.lines_added, 0) + coalesce(f.lines_deleted, 0)) AS lines
    FROM window_commits AS w
    JOIN commit_files AS f ON f.repository_id = w.repository_id AND f.commit_sha = w.sha
    LEFT JOIN identity_links AS l ON l.identity_id = w.author_identity_id
    GROUP BY ALL
    HAVING sum(coalesce(f.lines_added, 0) + coalesce(f.lines_deleted, 0)) > 0
),
ranked AS (
    SELECT
        repository_id,
        lines,
        row_number() OVER biggest_first AS position,
        sum(lines) OVER (biggest_first ROWS UNBOUNDED PRECEDING) AS running_lines,
        sum(lines) OVER (PARTITION BY repository_id) AS total_lines
    FROM author_lines
    WINDOW biggest_first AS (PARTITION BY repository_id ORDER BY lines DESC, author)
),
factor AS (
    SELECT
        repository_id,
        min(position) FILTER (WHERE 2 * running_lines >= total_lines) AS bus_factor,
        count(*) AS authors,
        max(total_lines) AS changed_lines,
        max(lines) / max(total_lines) AS top_author_share
    FROM ranked
    GROUP BY repository_id
)
SELECT
    r.repository,
    CAST(f.bus_factor AS INTEGER) AS bus_factor,
    coalesce(f.authors, 0) AS authors,
    coalesce(f.changed_lines, 0) AS changed_lines,
    round(f.top_author_share, 4) AS top_author_share
FROM scoped_repositories AS r
LEFT JOIN factor AS f ON f.repository_id = r.repository_id
ORDER BY r.repository
