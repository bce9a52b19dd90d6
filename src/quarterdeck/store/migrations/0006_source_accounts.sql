-- What sources say about their accounts beyond the login: the display name and e-mail address
-- (Jira users; Data Center always gives the address, Cloud when the user's privacy settings
-- allow). refresh_accounts puts them on the account identities, so that an account links to
-- the person with that e-mail address.
CREATE TABLE source_accounts (
    source       VARCHAR NOT NULL,         -- jira, ...
    account      VARCHAR NOT NULL,         -- as the other tables name it (Jira accountId, or user name)
    display_name VARCHAR,
    email        VARCHAR,                  -- lower-case; NULL when the source hides it
    seen_at      TIMESTAMPTZ NOT NULL,     -- when a sync last read it
    PRIMARY KEY (source, account)
);
