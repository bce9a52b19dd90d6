-- fragment: change_groups
-- Changes (non-merge commits; bots' unless --include-bots) whose first successful
-- production deployment finished in the window, with the deployment's group and period
-- (deployment_groups) and the change's lead time in hours, author date -> deployment
-- finished. Negative lead times (clock errors) are left out here and listed by
-- quarterdeck data-quality.
SELECT
    g.group_name,
    g.period_start,
    c.repository_id,
    c.sha,
    (epoch(g.finished_at) - epoch(k.author_time)) / 3600 AS lead_time_hours
FROM change_deployments AS c
JOIN commits AS k ON k.repository_id = c.repository_id AND k.sha = c.sha
LEFT JOIN identities AS i ON i.identity_id = k.author_identity_id
JOIN deployment_groups AS g ON g.deployment_id = c.deployment_id
WHERE NOT k.is_merge
  AND ($include_bots OR NOT coalesce(i.is_bot, false))
  AND k.author_time <= g.finished_at
