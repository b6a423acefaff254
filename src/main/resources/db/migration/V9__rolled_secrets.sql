-- Rolling a key's secret: the previous secret's hash keeps working until previous_expires_at.
ALTER TABLE credentials ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE credentials ADD COLUMN previous_expires_at BIGINT;
CREATE INDEX credentials_previous_secret_hash ON credentials (previous_secret_hash);
