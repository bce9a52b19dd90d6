-- fragment: files_at_until
-- materialized: computed once per query (reading it twice would walk the history twice)
-- The files of each repository's default branch at the end of --until, with their lines and
-- their last change (commit time) then. When the branch took nothing in since, they are the
-- files at its tip (repository_files). Otherwise, from the tip, the changes it took in since
-- (changes_since_until) are taken back: each change's added lines less its deleted ones; a
-- rename (renames_since_until) gives its old path back the lines it had (the new path's
-- lines just after the rename, less the rename's own change) and takes them from the new
-- path.
-- A path that a commit of the branch then (history_at_until) touched, and whose lines then
-- come to more than 0, was there; its last change is the newest of those commits. A file at the tip untouched since is
-- as it is. Merges carry no changes of their own, so a conflict resolved in a merge is not
-- taken back.
WITH moves AS (
    SELECT repository_id, path, -net AS back FROM changes_since_until WHERE previous_path IS NULL
    UNION ALL
    SELECT repository_id, path, -after_lines FROM renames_since_until
    UNION ALL
    SELECT repository_id, previous_path, after_lines - net FROM renames_since_until
),
taken_back AS (
    SELECT repository_id, path, sum(back) AS back, bool_or(back IS NULL) AS unknown
    FROM moves
    GROUP BY ALL
),
held AS (
    SELECT f.repository_id, f.path, max(c.committer_time) AS last_changed_at
    FROM history_at_until AS h
    JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
    JOIN commit_files AS f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
    JOIN taken_back AS b ON b.repository_id = f.repository_id AND b.path = f.path
    WHERE NOT c.is_merge
    GROUP BY ALL
)
SELECT t.repository_id, t.path, t.is_binary, t.lines, t.last_changed_at
FROM repository_files AS t
ANTI JOIN taken_back AS b ON b.repository_id = t.repository_id AND b.path = t.path
UNION ALL
SELECT b.repository_id, b.path, false, coalesce(t.lines, 0) + b.back, h.last_changed_at
FROM taken_back AS b
LEFT JOIN repository_files AS t ON t.repository_id = b.repository_id AND t.path = b.path
LEFT JOIN held AS h ON h.repository_id = b.repository_id AND h.path = b.path
WHERE NOT b.unknown
  AND (t.path IS NULL OR (NOT t.is_binary AND t.lines IS NOT NULL))
  AND h.last_changed_at IS NOT NULL
  AND coalesce(t.lines, 0) + b.back > 0
