-- fragment: investment_categories_shown
-- The categories the allocation shows, in order: those of the investment rules file (or
-- only 'uncategorized' when no rules are stored), 'uncategorized' last among them, then
-- 'no_recorded_work' (person-months without any recorded activity).
SELECT category, name, position FROM investment_categories
UNION ALL
SELECT 'uncategorized', 'Uncategorized', 1000000
WHERE NOT EXISTS (SELECT 1 FROM investment_categories WHERE category = 'uncategorized')
UNION ALL
SELECT 'no_recorded_work', 'No recorded work', 1000001
