-- Workflows: a graph of model nodes run on each input. Nodes are kept as JSON, a list of
-- {"id", "model_id", "version_id", "inputs": [node ids]}; their models belong to the same app.

CREATE TABLE workflows (
    user_id     TEXT   NOT NULL,
    app_id      TEXT   NOT NULL,
    id          TEXT   NOT NULL,
    description TEXT   NOT NULL,
    nodes       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id, id),
    FOREIGN KEY (user_id, app_id) REFERENCES apps (user_id, id) ON DELETE CASCADE
);
