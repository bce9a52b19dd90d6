"""Jira's REST API: Jira Cloud (``*.atlassian.net``, API v3) and Jira Data Center / Server
(API v2), with the Agile API (boards and sprints) both share."""
