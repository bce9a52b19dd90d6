-- fragment: pr_timeline
-- Each pull (merge) request by a human author (bots by the identity bot patterns are left
-- out), with the moments its waits start and end:
--   ready_at         when it asked for review: its first ready_for_review event (it was
--                    opened as a draft), else when it was opened;
--   first_review_at  the first review submitted at or after ready_at by someone other than
--                    its author and not a bot (approved, changes requested or commented;
--                    pending and dismissed reviews do not count);
--   review_done_at   the first approval at or after the first review, else the merge,
--                    whichever came first (never before the first review).
WITH human_reviews AS (
    SELECT r.source, r.repository, r.number, r.state, r.submitted_at
    FROM pr_reviews AS r
    JOIN pull_requests AS p ON p.source = r.source AND p.repository = r.repository AND p.number = r.number
    LEFT JOIN identities AS i ON i.identity_id = r.source || ':' || lower(r.reviewer_login)
    WHERE r.submitted_at IS NOT NULL
      AND upper(r.state) IN ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED')
      AND r.reviewer_login IS NOT NULL
      AND lower(r.reviewer_login) <> lower(coalesce(p.author_login, ''))
      AND NOT coalesce(i.is_bot, false)
),
ready AS (
    SELECT source, repository, number, min(created_at) AS ready_event_at
    FROM pr_events
    WHERE event = 'ready_for_review'
    GROUP BY ALL
),
opened AS (
    SELECT
        p.source, p.repository, p.number, p.created_at, p.merged_at, p.closed_at, p.merge_commit_sha, p.head_sha,
        p.source || ':' || lower(p.author_login) AS author_identity_id,
        greatest(p.created_at, coalesce(e.ready_event_at, p.created_at)) AS ready_at
    FROM pull_requests AS p
    LEFT JOIN ready AS e ON e.source = p.source AND e.repository = p.repository AND e.number = p.number
    LEFT JOIN identities AS i ON i.identity_id = p.source || ':' || lower(p.author_login)
    WHERE p.author_login IS NOT NULL AND NOT coalesce(i.is_bot, false)
),
first_reviews AS (
    SELECT o.source, o.repository, o.number, min(h.submitted_at) AS first_review_at
    FROM opened AS o
    JOIN human_reviews AS h ON h.source = o.source AND h.repository = o.repository AND h.number = o.number
    WHERE h.submitted_at >= o.ready_at
    GROUP BY ALL
),
approvals AS (
    SELECT f.source, f.repository, f.number, min(h.submitted_at) AS approved_at
    FROM first_reviews AS f
    JOIN human_reviews AS h ON h.source = f.source AND h.repository = f.repository AND h.number = f.number
    WHERE upper(h.state) = 'APPROVED' AND h.submitted_at >= f.first_review_at
    GROUP BY ALL
)
SELECT
    o.*,
    f.first_review_at,
    CASE WHEN f.first_review_at IS NOT NULL AND least(a.approved_at, o.merged_at) IS NOT NULL
        THEN greatest(f.first_review_at, least(a.approved_at, o.merged_at)) END AS review_done_at
FROM opened AS o
LEFT JOIN first_reviews AS f ON f.source = o.source AND f.repository = o.repository AND f.number = o.number
LEFT JOIN approvals AS a ON a.source = o.source AND a.repository = o.repository AND a.number = o.number
