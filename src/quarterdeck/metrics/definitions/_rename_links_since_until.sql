-- fragment: rename_links_since_until
-- Each rename of changes_since_until with what follows it on its new path: the next rename
-- out of that path (out_path, out_at, none: still there at the tip, or deleted), the lines
-- there at the tip (tip_lines), and the net lines of the path's other changes in between.
WITH renames AS (
    SELECT * FROM changes_since_until WHERE previous_path IS NOT NULL
),
outs AS (
    SELECT r.repository_id, r.path, r.landed_at, arg_min(o.path, o.landed_at) AS out_path, min(o.landed_at) AS out_at
    FROM renames AS r
    JOIN renames AS o ON o.repository_id = r.repository_id AND o.previous_path = r.path AND o.landed_at > r.landed_at
    GROUP BY ALL
),
between_changes AS (
    SELECT r.repository_id, r.path, r.landed_at, sum(l.net) AS net
    FROM renames AS r
    LEFT JOIN outs AS o ON o.repository_id = r.repository_id AND o.path = r.path AND o.landed_at = r.landed_at
    JOIN changes_since_until AS l
      ON l.repository_id = r.repository_id AND l.path = r.path AND l.previous_path IS NULL
     AND l.landed_at > r.landed_at AND l.landed_at < coalesce(o.out_at, 'infinity'::TIMESTAMPTZ)
    GROUP BY ALL
)
SELECT
    r.repository_id, r.path, r.previous_path, r.landed_at, r.net, o.out_path, o.out_at,
    t.lines AS tip_lines, coalesce(b.net, 0) AS between_net
FROM renames AS r
LEFT JOIN outs AS o ON o.repository_id = r.repository_id AND o.path = r.path AND o.landed_at = r.landed_at
LEFT JOIN between_changes AS b ON b.repository_id = r.repository_id AND b.path = r.path AND b.landed_at = r.landed_at
LEFT JOIN repository_files AS t ON t.repository_id = r.repository_id AND t.path = r.path
