-- Users, apps and credentials. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT) so both databases compare and sort them alike.

CREATE TABLE users (
    id            TEXT   NOT NULL PRIMARY KEY,
    email         TEXT   NOT NULL,
    -- Argon2id in PHC format; NULL for system users, who cannot sign in.
    password_hash TEXT,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE apps (
    user_id     TEXT    NOT NULL REFERENCES users (id),
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    -- Clarifai's Visibility.gettable: 10 private, 50 public.
    visibility  INTEGER NOT NULL,
    -- google.protobuf.Struct as JSON.
    metadata    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    modified_at BIGINT  NOT NULL,
    PRIMARY KEY (user_id, id)
);

-- App keys, PATs and sessions. The secret itself is never stored: only its SHA-256.
CREATE TABLE credentials (
    public_id      TEXT   NOT NULL PRIMARY KEY,
    secret_hash    TEXT   NOT NULL,
    display_prefix TEXT   NOT NULL,
    -- APP_KEY, PAT or SESSION
    kind           TEXT   NOT NULL,
    user_id        TEXT   NOT NULL REFERENCES users (id),
    -- Set for app keys only.
    app_id         TEXT,
    description    TEXT   NOT NULL,
    -- Space-separated scope names and method names.
    scopes         TEXT   NOT NULL,
    endpoints      TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT,
    last_used_at   BIGINT,
    FOREIGN KEY (user_id, app_id) REFERENCES apps (user_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX credentials_secret_hash ON credentials (secret_hash);
CREATE INDEX credentials_user ON credentials (user_id, kind, created_at);
CREATE INDEX credentials_app ON credentials (user_id, app_id);
