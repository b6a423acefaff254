-- A key's or PAT's own requests per second; NULL: the server's --rate-limit.
ALTER TABLE credentials ADD COLUMN rate_limit INTEGER;
