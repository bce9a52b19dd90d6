-- fragment: branch_at_until
-- recursive: the first-parent line of each repository's default branch from its tip (as
-- last ingested) back to the commit the branch pointed at on the end of --until: the newest
-- one on that line that landed (commit time) before then (is_then). Only for repositories
-- whose tip landed at or after the end of --until: for the others the branch then was its tip.
SELECT r.repository_id, r.head_sha AS sha, c.parents, false AS is_then
FROM repositories AS r
JOIN commits AS c ON c.repository_id = r.repository_id AND c.sha = r.head_sha
WHERE c.committer_time >= $until_end
UNION ALL
SELECT b.repository_id, c.sha, c.parents, c.committer_time < $until_end
FROM branch_at_until AS b
JOIN commits AS c ON c.repository_id = b.repository_id AND c.sha = b.parents[1]
WHERE NOT b.is_then
