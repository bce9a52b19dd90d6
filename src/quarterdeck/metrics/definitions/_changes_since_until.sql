-- fragment: changes_since_until
-- The file changes of the non-merge commits the default branch took in after the end of
-- --until (history_since_until), each with its added lines less its deleted ones (net: NULL
-- for binary files and absent contents).
SELECT
    f.repository_id, f.path, f.previous_path, c.committer_time AS landed_at,
    f.lines_added - f.lines_deleted AS net
FROM history_since_until AS h
JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
JOIN commit_files AS f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
WHERE NOT c.is_merge
