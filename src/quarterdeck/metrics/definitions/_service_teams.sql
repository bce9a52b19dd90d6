-- fragment: service_teams
-- Which team owned each service when: the org model's service periods (valid_from
-- inclusive, valid_to exclusive; NULL bounds are open).
SELECT service_id, valid_from, valid_to, owner_team_id AS team_id
FROM service_periods
