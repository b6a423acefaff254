-- A disabled user cannot sign in and none of their credentials work; NULL: enabled.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
