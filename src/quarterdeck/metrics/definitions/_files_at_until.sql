-- fragment: files_at_until
-- The files of each repository's default branch at the end of --until, as far as the stored
-- changes tell (the non-merge commits of head_history, each dated by when it landed: its
-- commit time), with their lines then and their last change by then:
--   a file at the tip (repository_files) that no change touched since: as it is;
--   a file at the tip changed since: its lines less the lines those changes added, its last
--     change the latest before the end of --until (none: the file came later, left out);
--   a file no longer at the tip: the lines its changes added up to by then (a rename adds
--     the lines its old path had), if it had any and was not renamed away after its last
--     change (a file deleted by then adds up to none).
-- Merges carry no changes of their own, so a conflict resolved in a merge is not seen.
WITH changes AS (
    SELECT
        f.repository_id, f.path, f.previous_path, c.committer_time AS landed_at,
        coalesce(f.lines_added, 0) - coalesce(f.lines_deleted, 0) AS net,
        f.is_binary OR f.lines_added IS NULL AS no_lines
    FROM head_history AS h
    JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
    JOIN commit_files AS f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
    WHERE NOT c.is_merge
),
landed_by_then AS (
    SELECT repository_id, path, max(landed_at) AS last_changed_at, sum(net) AS lines, bool_or(no_lines) AS no_lines
    FROM changes
    WHERE landed_at < $until_end
    GROUP BY ALL
),
landed_since AS (
    SELECT repository_id, path, sum(net) AS net FROM changes WHERE landed_at >= $until_end GROUP BY ALL
),
carried AS (  -- a rename by then: the lines its old path had added up to before it
    SELECT r.repository_id, r.path, sum(o.net) AS lines
    FROM changes AS r
    JOIN changes AS o ON o.repository_id = r.repository_id AND o.path = r.previous_path AND o.landed_at < r.landed_at
    WHERE r.previous_path IS NOT NULL AND r.landed_at < $until_end
    GROUP BY ALL
),
renamed_away AS (
    SELECT repository_id, previous_path AS path, max(landed_at) AS renamed_at
    FROM changes
    WHERE previous_path IS NOT NULL AND landed_at < $until_end
    GROUP BY ALL
)
SELECT
    t.repository_id,
    t.path,
    t.is_binary,
    CASE WHEN s.path IS NULL THEN t.lines ELSE t.lines - s.net END AS lines,
    CASE WHEN s.path IS NULL THEN t.last_changed_at ELSE b.last_changed_at END AS last_changed_at
FROM repository_files AS t
LEFT JOIN landed_since AS s ON s.repository_id = t.repository_id AND s.path = t.path
LEFT JOIN landed_by_then AS b ON b.repository_id = t.repository_id AND b.path = t.path
WHERE s.path IS NULL OR b.path IS NOT NULL
UNION ALL
SELECT b.repository_id, b.path, b.no_lines, b.lines + coalesce(k.lines, 0), b.last_changed_at
FROM landed_by_then AS b
LEFT JOIN repository_files AS t ON t.repository_id = b.repository_id AND t.path = b.path
LEFT JOIN carried AS k ON k.repository_id = b.repository_id AND k.path = b.path
LEFT JOIN renamed_away AS m ON m.repository_id = b.repository_id AND m.path = b.path
WHERE t.path IS NULL
  AND b.lines + coalesce(k.lines, 0) > 0
  AND (m.path IS NULL OR m.renamed_at < b.last_changed_at)
