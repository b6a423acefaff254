-- Who did what to users, apps and credentials: written in the same transaction as the change.
-- owner_id is whose log the entry is in (a user sees only their own). Never a secret.
CREATE TABLE audit_log (
    id                ${serial_key},
    at                BIGINT  NOT NULL,
    owner_id          TEXT    NOT NULL,
    operation         TEXT    NOT NULL,
    success           INTEGER NOT NULL,
    -- the acting user and credential (public id), and the door: rest, grpc, portal, cli
    actor_user_id     TEXT,
    actor_credential  TEXT,
    door              TEXT    NOT NULL,
    -- what it was done to
    target_app_id     TEXT,
    target_credential TEXT,
    target_user_id    TEXT,
    -- JSON object
    details           TEXT    NOT NULL,
    req_id            TEXT,
    source_ip         TEXT
);
CREATE INDEX audit_log_owner_at ON audit_log (owner_id, at);
CREATE INDEX audit_log_at ON audit_log (at);
