-- fragment: history_since_until
-- recursive: the commits the default branch took in after the end of --until: those its
-- tip holds (branch_at_until, then every ancestor) that it did not hold then
-- (history_at_until).
SELECT repository_id, sha FROM branch_at_until WHERE NOT is_then
UNION
SELECT h.repository_id, p.sha
FROM history_since_until AS h
JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
CROSS JOIN unnest(c.parents) AS p(sha)
WHERE NOT EXISTS (
    SELECT 1 FROM history_at_until AS a WHERE a.repository_id = h.repository_id AND a.sha = p.sha
)
