-- With a master key configured, a key's secret is also kept sealed (AES-256-GCM, the key
-- outside the database) so that the portal can copy it later; each reveal leaves a row here.
ALTER TABLE credentials ADD COLUMN sealed_secret TEXT;

CREATE TABLE secret_reveals (
    public_id   TEXT   NOT NULL,
    user_id     TEXT   NOT NULL,
    address     TEXT   NOT NULL,
    revealed_at BIGINT NOT NULL
);
CREATE INDEX secret_reveals_by_key ON secret_reveals (public_id, revealed_at);
