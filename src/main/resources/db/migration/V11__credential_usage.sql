-- Requests per credential, hour, method and outcome (success, refused:<code>, error), counted in
-- memory and added here in batches; kept 90 days. And where a credential was last used from.
CREATE TABLE credential_usage (
    public_id TEXT   NOT NULL,
    hour      BIGINT NOT NULL,
    method    TEXT   NOT NULL,
    outcome   TEXT   NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (public_id, hour, method, outcome)
);
CREATE INDEX credential_usage_hour ON credential_usage (hour);
ALTER TABLE credentials ADD COLUMN last_used_address TEXT;
