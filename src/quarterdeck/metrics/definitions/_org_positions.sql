-- fragment: org_positions
-- The management chain on each date: everyone employed (people_at) with their manager,
-- plus a vacancy for each manager who has left but is still named as manager by someone
-- employed on the date (an export names the new manager only from the next snapshot on).
-- A vacancy keeps the departed manager's place: under the manager they had on their
-- last day. One level only: a vacancy under another departed manager is a top.
SELECT date, person_id, manager_id, false AS vacancy
FROM people_at
UNION ALL
SELECT named.date, named.manager_id, arg_max_null(gone.manager_id, gone.valid_to), true
FROM (SELECT DISTINCT date, manager_id FROM people_at WHERE manager_id IS NOT NULL) AS named
JOIN person_periods AS gone ON gone.person_id = named.manager_id AND gone.valid_to <= named.date
WHERE NOT EXISTS (SELECT 1 FROM people_at AS m WHERE m.date = named.date AND m.person_id = named.manager_id)
GROUP BY named.date, named.manager_id
