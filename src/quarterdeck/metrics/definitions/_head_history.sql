-- fragment: head_history
-- recursive: the commits of each repository's default branch: its tip as last ingested and
-- every ancestor. Only for repositories in which a commit landed (commit time) at or after
-- the end of --until: for the others the branch then was its tip, and nothing is walked.
SELECT r.repository_id, r.head_sha AS sha
FROM repositories AS r
WHERE r.head_sha IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM commits AS c
      WHERE c.repository_id = r.repository_id AND c.reachable AND c.committer_time >= $until_end
  )
UNION
SELECT h.repository_id, p.sha
FROM head_history AS h
JOIN commits AS c ON c.repository_id = h.repository_id AND c.sha = h.sha
CROSS JOIN unnest(c.parents) AS p(sha)
