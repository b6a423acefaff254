-- Networks (CIDRs, space-separated) a key or PAT may be used from; empty: anywhere.
ALTER TABLE credentials ADD COLUMN allowed_cidrs TEXT NOT NULL DEFAULT '';
