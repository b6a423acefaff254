-- Background work any node can do: fetching inputs given by URL, and training model versions.
-- A job is added in the same transaction as the input or version it works on. A node claims a
-- queued job (PostgreSQL: FOR UPDATE SKIP LOCKED, so nodes never wait on each other's claims)
-- and holds it under a lease it renews while it works. It writes the work's result in one
-- transaction with the job's end, and only while it still holds the lease (same owner, same
-- attempt), so a node that lost its lease can never overwrite its successor's result. A running
-- job whose lease ran out (its node died or stalled) is claimed again by any node. Finished
-- jobs keep their outcome until they are pruned.
CREATE TABLE jobs (
    id          ${serial_key},
    -- download or training
    kind        TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    app_id      TEXT    NOT NULL,
    -- download: the input id; training: model_id/version_id
    target      TEXT    NOT NULL,
    -- queued, running, done or failed
    state       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- the node holding the lease, while running
    owner       TEXT,
    lease_until BIGINT,
    outcome     TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT
);
CREATE INDEX jobs_waiting ON jobs (kind, state);
CREATE INDEX jobs_finished ON jobs (finished_at);

-- Work a node was doing in memory when this version was installed becomes jobs.
INSERT INTO jobs (kind, user_id, app_id, target, state, created_at)
SELECT 'download', user_id, app_id, id, 'queued', created_at FROM inputs WHERE status_code = 30001;
INSERT INTO jobs (kind, user_id, app_id, target, state, created_at)
SELECT 'training', user_id, app_id, model_id || '/' || id, 'queued', created_at FROM model_versions
WHERE status_code IN (21101, 21103);
