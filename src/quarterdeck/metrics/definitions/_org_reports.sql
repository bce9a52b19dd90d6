-- fragment: org_reports
-- Everyone employed on each date with the number of people employed on that date whose
-- manager_id is them (direct_reports; 0 for an individual contributor) and how many of
-- those reports have direct reports themselves (manager_reports). Reports are counted
-- across the whole organization, whatever --unit says.
WITH managing AS (
    SELECT DISTINCT date, manager_id AS person_id
    FROM people_at
    WHERE manager_id IS NOT NULL
),
reports AS (
    SELECT r.date, r.manager_id AS person_id, count(*) AS direct_reports, count(m.person_id) AS manager_reports
    FROM people_at AS r
    LEFT JOIN managing AS m ON m.date = r.date AND m.person_id = r.person_id
    WHERE r.manager_id IS NOT NULL
    GROUP BY r.date, r.manager_id
)
SELECT
    p.date,
    p.person_id,
    coalesce(r.direct_reports, 0) AS direct_reports,
    coalesce(r.manager_reports, 0) AS manager_reports
FROM people_at AS p
LEFT JOIN reports AS r ON r.date = p.date AND r.person_id = p.person_id
