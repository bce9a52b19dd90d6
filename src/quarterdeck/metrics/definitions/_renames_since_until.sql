-- fragment: renames_since_until
-- recursive: each rename the default branch took in after the end of --until, with the
-- lines its new path had just after it (after_lines), worked out back from the tip: a path
-- still there (or deleted) has its lines at the tip less its changes since the rename; a
-- path renamed again has the lines it had just before that next rename (its after_lines less
-- that rename's own change) less its changes in between.
SELECT repository_id, path, previous_path, landed_at, net, coalesce(tip_lines, 0) - between_net AS after_lines
FROM rename_links_since_until
WHERE out_at IS NULL
UNION ALL
SELECT r.repository_id, r.path, r.previous_path, r.landed_at, r.net, n.after_lines - n.net - r.between_net
FROM renames_since_until AS n
JOIN rename_links_since_until AS r
  ON r.repository_id = n.repository_id AND r.out_path = n.path AND r.out_at = n.landed_at
