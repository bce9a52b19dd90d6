-- fragment: work_activity
-- materialized: read by work_items and investment_effort
-- What each person did in the window, as units of effort on work items (decision 0050): one
-- row per person, day (the organization's time zone), work item and kind of activity, with
-- its weight. Kinds and weights:
--   code (2)    they authored a commit of the item, or opened its pull request, that day;
--   review (1)  they reviewed its pull request (approved, asked for changes or commented;
--               not their own, not pending or dismissed) that day;
--   issue (1)   they changed the issue's status that day.
-- Many commits (or reviews, or status changes) on one item the same day are one unit: the
-- unit is the day's work on the item, not the number of events. Merge commits and bots'
-- work are left out. Accounts and git identities link to people through identity_links;
-- what links to nobody is not anyone's effort.
-- The work item: a commit belongs to its pull request (pr_commits, or the pull request's
-- merge commit sha); a pull request to the issue whose key its title or branch names first
-- (ENG-42, or #7 for an issue of the same GitHub or GitLab repository), else to itself; a
-- commit of no pull request to the issue its subject names, else to its repository.
WITH mentions AS (
    SELECT source, repository, number, key, n
    FROM (
        SELECT
            source, repository, number,
            unnest(keys) AS key,
            generate_subscripts(keys, 1) AS n
        FROM (
            SELECT
                source, repository, number,
                list_concat(
                    regexp_extract_all(upper(coalesce(title, '') || ' ' || coalesce(head_ref, '')), '[A-Z][A-Z0-9_]+-[0-9]+'),
                    list_transform(regexp_extract_all(coalesce(title, ''), '#([0-9]+)', 1), lambda x: upper(repository) || '#' || x)
                ) AS keys
            FROM pull_requests
        )
    )
),
issue_keys AS (
    SELECT upper(issue_key) AS key, min('issue:' || source || ':' || issue_id) AS item_id
    FROM issues
    GROUP BY ALL
),
pr_items AS (
    SELECT
        m.source, m.repository, m.number,
        arg_min(k.item_id, lpad(CAST(m.n AS VARCHAR), 6, '0') || k.item_id) AS item_id
    FROM mentions AS m
    JOIN issue_keys AS k ON k.key = m.key
    GROUP BY ALL
),
prs AS (
    SELECT
        p.source, p.repository, p.number, p.author_login, p.created_at, p.merge_commit_sha,
        coalesce(i.item_id, 'pull_request:' || p.source || ':' || p.repository || '#' || p.number) AS item_id
    FROM pull_requests AS p
    LEFT JOIN pr_items AS i ON i.source = p.source AND i.repository = p.repository AND i.number = p.number
),
commit_prs AS (
    SELECT sha, min(item_id) AS item_id
    FROM (
        SELECT lower(c.sha) AS sha, p.item_id
        FROM pr_commits AS c
        JOIN prs AS p ON p.source = c.source AND p.repository = c.repository AND p.number = c.number
        UNION ALL
        SELECT lower(merge_commit_sha), item_id FROM prs WHERE merge_commit_sha IS NOT NULL
    )
    GROUP BY ALL
),
window_commits AS (
    SELECT
        l.person_id,
        CAST(timezone($timezone, c.author_time) AS DATE) AS day,
        lower(c.sha) AS sha,
        r.name AS repository,
        regexp_extract(upper(c.subject), '[A-Z][A-Z0-9_]+-[0-9]+') AS key
    FROM commits AS c
    JOIN repositories AS r ON r.repository_id = c.repository_id
    JOIN identity_links AS l ON l.identity_id = c.author_identity_id
    LEFT JOIN identities AS i ON i.identity_id = c.author_identity_id
    WHERE c.reachable AND NOT c.is_merge
      AND c.author_time >= $since AND c.author_time < $until_end
      AND NOT coalesce(i.is_bot, false)
),
events AS (
    SELECT
        c.person_id, c.day, 'code' AS kind,
        coalesce(p.item_id, k.item_id, 'repository:' || c.repository) AS item_id
    FROM window_commits AS c
    LEFT JOIN commit_prs AS p ON p.sha = c.sha
    LEFT JOIN issue_keys AS k ON k.key = c.key AND p.sha IS NULL
    UNION ALL
    SELECT l.person_id, CAST(timezone($timezone, p.created_at) AS DATE), 'code', p.item_id
    FROM prs AS p
    JOIN identity_links AS l ON l.identity_id = p.source || ':' || lower(trim(p.author_login))
    LEFT JOIN identities AS i ON i.identity_id = l.identity_id
    WHERE p.created_at >= $since AND p.created_at < $until_end AND NOT coalesce(i.is_bot, false)
    UNION ALL
    SELECT l.person_id, CAST(timezone($timezone, r.submitted_at) AS DATE), 'review', p.item_id
    FROM pr_reviews AS r
    JOIN prs AS p ON p.source = r.source AND p.repository = r.repository AND p.number = r.number
    JOIN identity_links AS l ON l.identity_id = r.source || ':' || lower(trim(r.reviewer_login))
    LEFT JOIN identities AS i ON i.identity_id = l.identity_id
    WHERE r.submitted_at >= $since AND r.submitted_at < $until_end
      AND upper(r.state) IN ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED')
      AND lower(trim(r.reviewer_login)) <> lower(trim(coalesce(p.author_login, '')))
      AND NOT coalesce(i.is_bot, false)
    UNION ALL
    SELECT l.person_id, CAST(timezone($timezone, t.changed_at) AS DATE), 'issue', 'issue:' || t.source || ':' || t.issue_id
    FROM issue_transitions AS t
    JOIN identity_links AS l ON l.identity_id = t.source || ':' || lower(trim(t.author))
    LEFT JOIN identities AS i ON i.identity_id = l.identity_id
    WHERE t.changed_at >= $since AND t.changed_at < $until_end AND NOT coalesce(i.is_bot, false)
)
SELECT DISTINCT
    person_id,
    day,
    CAST(date_trunc('month', day) AS DATE) AS month,
    kind,
    item_id,
    CASE kind WHEN 'code' THEN 2 ELSE 1 END AS weight
FROM events
