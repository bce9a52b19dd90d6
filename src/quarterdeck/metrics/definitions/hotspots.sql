-- name: hotspots
-- title: Hotspots
-- description: Files of each repository's default branch as it was at the end of the window
--   (default today: the tip), ranked by how often they changed in the window times their size
--   in lines then: big files that keep changing are where defects and slow work concentrate.
--   A change is a non-merge commit touching the file under its path at the window's end.
--   Binary files are left out. Bots' changes are excluded unless --include-bots. authors
--   counts people (identities linked to one person count once). With --unit: only the
--   repositories the teams of that unit's subtree own (services, CODEOWNERS).
-- unit: changes x lines
-- grain: file
-- good_direction: down
-- value: hotspot_score
-- default_window_days: 365
-- parameters: repositories, since, until, include_bots, limit, unit
-- uses: team_lineage, owner_scope, scoped_repositories, window_commits, branch_at_until, history_at_until, history_since_until, changes_since_until, rename_links_since_until, renames_since_until, files_at_until
-- tile: entropy
-- tile_order: 20
-- tile_reduce: max
-- tile_title: Top hotspot score
WITH file_changes AS (
    SELECT
        w.repository_id,
        f.path,
        count(DISTINCT w.sha) AS changes,
        count(DISTINCT coalesce('person:' || l.person_id, w.author_identity_id)) AS authors
    FROM window_commits AS w
    JOIN commit_files AS f ON f.repository_id = w.repository_id AND f.commit_sha = w.sha
    LEFT JOIN identity_links AS l ON l.identity_id = w.author_identity_id
    GROUP BY ALL
),
scored AS (
    SELECT
        r.name AS repository,
        t.path,
        c.changes,
        t.lines,
        c.changes * t.lines AS hotspot_score,
        c.authors,
        t.last_changed_at
    FROM files_at_until AS t
    JOIN file_changes AS c ON c.repository_id = t.repository_id AND c.path = t.path
    JOIN repositories AS r ON r.repository_id = t.repository_id
    WHERE NOT t.is_binary AND t.lines IS NOT NULL
)
SELECT
    CAST(rank() OVER (ORDER BY hotspot_score DESC) AS INTEGER) AS rank,
    repository,
    path,
    changes,
    lines,
    hotspot_score,
    authors,
    last_changed_at
FROM scored
ORDER BY hotspot_score DESC, repository, path
LIMIT $limit
