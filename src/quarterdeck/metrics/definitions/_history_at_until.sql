-- fragment: history_at_until
-- recursive: the commits the default branch held at the end of --until: the commit it
-- pointed at then (branch_at_until) and every ancestor.
SELECT repository_id, sha FROM branch_at_until WHERE is_then
UNION
SELECT h.repository_id, p.sha
FROM history_at_until AS h
JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
CROSS JOIN unnest(c.parents) AS p(sha)
