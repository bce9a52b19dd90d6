-- fragment: org_layers
-- recursive: each position of org_positions on each date with its management layer: 1
-- for a top of the organization (no manager, or a manager who is no position on that
-- date), otherwise one more than their manager's. Someone whose manager has left counts
-- one layer below the vacancy, which keeps the departed manager's layer. Counted from
-- the top of the whole organization, whatever --unit says. A chain deeper than 64 stops
-- there; a manager cycle (which the import rejects) would leave its people out.
SELECT p.date, p.person_id, 1 AS layer
FROM org_positions AS p
WHERE p.manager_id IS NULL
   OR NOT EXISTS (SELECT 1 FROM org_positions AS m WHERE m.date = p.date AND m.person_id = p.manager_id)
UNION ALL
SELECT p.date, p.person_id, l.layer + 1
FROM org_layers AS l
JOIN org_positions AS p ON p.date = l.date AND p.manager_id = l.person_id
WHERE l.layer < 64
