-- fragment: scoped_repositories
-- The repositories a metric reports on: all of them, or those named with --repo.
SELECT repository_id, name AS repository
FROM repositories
WHERE len($repositories) = 0 OR list_contains($repositories, name)
