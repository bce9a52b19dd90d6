-- Critical bugs (docs/delivery-metrics.md, "Critical bugs"): which of the trackers' issues are
-- critical bugs and which were found in production is decided when a metric runs, from the
-- settings [bugs]; the store keeps what those rules read.
-- priority_id: the tracker's id of the priority (Jira: "1" .. "5" on a default site), so a
--   priority is matched by id as well as by its (localised, renamable) name.
-- found_in: the values of the field that says where an issue was found (a Jira source's
--   found_in_field, by default the Environment field: free text, an option or options),
--   as text; empty when the field is empty, NULL when the issue was stored before this.
ALTER TABLE issues ADD COLUMN priority_id VARCHAR;
ALTER TABLE issues ADD COLUMN found_in VARCHAR[];
