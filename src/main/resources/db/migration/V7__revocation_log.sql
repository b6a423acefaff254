-- Every change that must reach the caches of every node (a key patched or deleted, an app
-- patched or deleted) appends a row here in the same transaction as the change. Nodes apply
-- the rows past the last sequence they applied: PostgreSQL's NOTIFY wakes them at once, and a
-- periodic poll repairs anything a lost notification or a dropped connection missed.
-- Writers append in commit order (PostgreSQL: under a transaction-level advisory lock), so a
-- node that has seen sequence N has seen every committed row before it. Old rows are pruned.
CREATE TABLE revocation_log (
    seq        ${serial_key},
    -- key, app or all
    kind       TEXT   NOT NULL,
    -- the credential's public id, or user_id/app_id for an app
    subject    TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX revocation_log_created ON revocation_log (created_at);
