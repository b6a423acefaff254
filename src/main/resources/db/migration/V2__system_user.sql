-- The system user 'clavis' and its public app 'main', home of the built-in models.
-- It has no password and no credentials: nobody signs in as it.
INSERT INTO users (id, email, password_hash, created_at)
VALUES ('clavis', 'system@clavis.invalid', NULL, 1767225600000);

INSERT INTO apps (user_id, id, name, description, visibility, metadata, created_at, modified_at)
VALUES ('clavis', 'main', 'main', 'Built-in models, readable by every personal access token.', 50, '{}',
        1767225600000, 1767225600000);
