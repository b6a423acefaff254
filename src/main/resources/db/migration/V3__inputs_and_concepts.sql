-- An app's data: concepts, inputs (their media kept here, so that every node sharing the
-- database can read them), and the concepts annotated on each input. Deleting an app deletes
-- all of it, and deleting an input frees its bytes.

CREATE TABLE concepts (
    user_id    TEXT   NOT NULL,
    app_id     TEXT   NOT NULL,
    id         TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id, id),
    FOREIGN KEY (user_id, app_id) REFERENCES apps (user_id, id) ON DELETE CASCADE
);

CREATE TABLE inputs (
    user_id        TEXT     NOT NULL,
    app_id         TEXT     NOT NULL,
    id             TEXT     NOT NULL,
    -- IMAGE or TEXT
    kind           TEXT     NOT NULL,
    -- Where the media was downloaded from, when it was given by URL.
    url            TEXT,
    -- The image bytes, or the text in UTF-8; NULL until a URL download completes.
    content        ${bytes},
    media_type     TEXT,
    width          INTEGER,
    height         INTEGER,
    -- google.protobuf.Struct as JSON.
    metadata       TEXT     NOT NULL,
    -- 30000 ready, 30001 pending download, 30002 failed (details say why).
    status_code    INTEGER  NOT NULL,
    status_details TEXT     NOT NULL,
    created_at     BIGINT   NOT NULL,
    modified_at    BIGINT   NOT NULL,
    PRIMARY KEY (user_id, app_id, id),
    FOREIGN KEY (user_id, app_id) REFERENCES apps (user_id, id) ON DELETE CASCADE
);
CREATE INDEX inputs_listing ON inputs (user_id, app_id, created_at);

-- Concepts on inputs: value 1 says the input shows the concept, 0 that it does not.
CREATE TABLE input_concepts (
    user_id    TEXT             NOT NULL,
    app_id     TEXT             NOT NULL,
    input_id   TEXT             NOT NULL,
    concept_id TEXT             NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (user_id, app_id, input_id, concept_id),
    FOREIGN KEY (user_id, app_id, input_id) REFERENCES inputs (user_id, app_id, id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, app_id, concept_id) REFERENCES concepts (user_id, app_id, id) ON DELETE CASCADE
);
CREATE INDEX input_concepts_by_concept ON input_concepts (user_id, app_id, concept_id);
