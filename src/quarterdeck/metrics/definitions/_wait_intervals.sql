-- fragment: wait_intervals
-- Every wait of an author, as an interval [started_at, ended_at) with its kind and the item
-- waited on (a pull request 'source:repository#number', or an issue 'source:key'):
--   pickup   ready_at -> first_review_at (pr_timeline), once reviewed;
--   review   first_review_at -> review_done_at, once approved or merged;
--   ci       the finished CI runs of the pull request's commits (its head, or a commit
--            listed in pr_commits) queued (else started) while it was open, queued ->
--            finished; runs that overlap make one stretch, counted once;
--   deploy   merged_at -> the finish of the first successful production deployment that
--            shipped its merge commit (change_deployments), once deployed;
--   blocked  each stretch an issue spent in a waiting status (waits.blocked_statuses,
--            matched by name or id, without case), for its assignee; a stretch still going
--            ends at the end of the window (or now, if sooner).
-- Waits that have not ended (no review yet, not deployed) are left out: an abandoned pull
-- request is not an engineer waiting.
-- Each wait names its author's account (author_identity_id), the person that account is
-- linked to (person_id, identity_links), and who waited (waiter): the person, so that one
-- person's GitHub and Jira accounts wait as one, or the account when it is linked to nobody.
WITH pr_shas AS (
    SELECT source, repository, number, lower(head_sha) AS sha FROM pull_requests WHERE head_sha IS NOT NULL
    UNION
    SELECT source, repository, number, lower(sha) FROM pr_commits
),
pr_runs AS (
    SELECT DISTINCT
        t.source || ':' || t.repository || '#' || t.number AS item,
        t.author_identity_id,
        coalesce(r.queued_at, r.started_at) AS started_at,
        r.finished_at AS ended_at
    FROM pr_timeline AS t
    JOIN pr_shas AS s ON s.source = t.source AND s.repository = t.repository AND s.number = t.number
    JOIN ci_runs AS r ON lower(r.commit_sha) = s.sha
    WHERE r.finished_at IS NOT NULL AND coalesce(r.queued_at, r.started_at) IS NOT NULL
      AND r.finished_at >= coalesce(r.queued_at, r.started_at)
      AND coalesce(r.queued_at, r.started_at) >= t.created_at
      AND coalesce(r.queued_at, r.started_at) < coalesce(t.merged_at, t.closed_at, 'infinity'::TIMESTAMPTZ)
),
-- runs of one pull request that overlap make one stretch of waiting (counted once)
pr_runs_marked AS (
    SELECT *,
        CASE WHEN started_at <= max(ended_at) OVER (
            PARTITION BY item ORDER BY started_at, ended_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) THEN 0 ELSE 1 END AS starts_stretch
    FROM pr_runs
),
pr_runs_stretched AS (
    SELECT *, sum(starts_stretch) OVER (PARTITION BY item ORDER BY started_at, ended_at ROWS UNBOUNDED PRECEDING) AS stretch
    FROM pr_runs_marked
),
ci AS (
    SELECT 'ci' AS kind, item, any_value(author_identity_id) AS author_identity_id,
        min(started_at) AS started_at, max(ended_at) AS ended_at
    FROM pr_runs_stretched
    GROUP BY item, stretch
),
deployed AS (
    SELECT lower(sha) AS sha, min(deployed_at) AS deployed_at FROM change_deployments GROUP BY ALL
),
statuses AS (
    SELECT
        t.source, t.issue_id, t.changed_at AS started_at,
        lead(t.changed_at) OVER (PARTITION BY t.source, t.issue_id ORDER BY t.changed_at, t.transition_id) AS next_at,
        list_contains($blocked_statuses, lower(coalesce(t.to_status, '')))
            OR list_contains($blocked_statuses, lower(coalesce(t.to_status_id, ''))) AS blocked
    FROM issue_transitions AS t
),
blocked AS (
    SELECT
        'blocked' AS kind,
        i.source || ':' || i.issue_key AS item,
        i.source || ':' || lower(i.assignee) AS author_identity_id,
        s.started_at,
        coalesce(s.next_at, least($until_end, now()::TIMESTAMPTZ)) AS ended_at
    FROM statuses AS s
    JOIN issues AS i ON i.source = s.source AND i.issue_id = s.issue_id
    WHERE s.blocked AND i.assignee IS NOT NULL
),
waits AS (
    SELECT 'pickup' AS kind, source || ':' || repository || '#' || number AS item, author_identity_id,
        ready_at AS started_at, first_review_at AS ended_at
    FROM pr_timeline WHERE first_review_at IS NOT NULL
    UNION ALL
    SELECT 'review', source || ':' || repository || '#' || number, author_identity_id, first_review_at, review_done_at
    FROM pr_timeline WHERE review_done_at IS NOT NULL
    UNION ALL
    SELECT * FROM ci
    UNION ALL
    SELECT 'deploy', t.source || ':' || t.repository || '#' || t.number, t.author_identity_id, t.merged_at, d.deployed_at
    FROM pr_timeline AS t JOIN deployed AS d ON d.sha = lower(t.merge_commit_sha)
    WHERE t.merged_at IS NOT NULL AND d.deployed_at >= t.merged_at
    UNION ALL
    SELECT * FROM blocked WHERE ended_at > started_at
)
SELECT w.*, l.person_id, coalesce('person:' || l.person_id, w.author_identity_id) AS waiter
FROM waits AS w
LEFT JOIN identity_links AS l ON l.identity_id = w.author_identity_id
