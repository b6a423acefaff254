-- Models and their immutable versions. A version's params hold what training learnt (JSON);
-- the built-in models compute with fixed extractors and have none.

CREATE TABLE models (
    user_id            TEXT    NOT NULL,
    app_id             TEXT    NOT NULL,
    id                 TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    model_type_id      TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    -- Space-separated ids of the concepts a classifier predicts.
    concepts           TEXT    NOT NULL,
    -- 1 when exactly one of the concepts applies to an input (softmax), 0 when any may.
    mutually_exclusive INTEGER NOT NULL,
    created_at         BIGINT  NOT NULL,
    modified_at        BIGINT  NOT NULL,
    PRIMARY KEY (user_id, app_id, id),
    FOREIGN KEY (user_id, app_id) REFERENCES apps (user_id, id) ON DELETE CASCADE
);

CREATE TABLE model_versions (
    user_id           TEXT    NOT NULL,
    app_id            TEXT    NOT NULL,
    model_id          TEXT    NOT NULL,
    id                TEXT    NOT NULL,
    -- 21103 queued, 21101 training, 21100 trained, 211xx failed (details say why).
    status_code       INTEGER NOT NULL,
    status_details    TEXT    NOT NULL,
    concepts          TEXT    NOT NULL,
    params            TEXT,
    total_input_count INTEGER NOT NULL,
    created_at        BIGINT  NOT NULL,
    completed_at      BIGINT,
    PRIMARY KEY (user_id, app_id, model_id, id),
    FOREIGN KEY (user_id, app_id, model_id) REFERENCES models (user_id, app_id, id) ON DELETE CASCADE
);
CREATE INDEX model_versions_latest ON model_versions (user_id, app_id, model_id, created_at);

-- The built-in models, in the public app clavis/main.
INSERT INTO models (user_id, app_id, id, name, model_type_id, description, concepts, mutually_exclusive, created_at, modified_at)
VALUES ('clavis', 'main', 'color-recognition', 'Color recognition', 'color-recognizer',
        'The dominant colours of an image as CSS named colours; value is each colour''s share of the image.', '', 0,
        1767225600000, 1767225600000),
       ('clavis', 'main', 'general-image-embedding', 'General image embedding', 'visual-embedder',
        'A fixed 152-dimensional image feature vector: colour histogram, colour layout and edge orientations.', '', 0,
        1767225600000, 1767225600000),
       ('clavis', 'main', 'text-embedding', 'Text embedding', 'text-embedder',
        'A fixed 256-dimensional text feature vector: hashed words and character trigrams.', '', 0,
        1767225600000, 1767225600000);

INSERT INTO model_versions (user_id, app_id, model_id, id, status_code, status_details, concepts, params, total_input_count,
                            created_at, completed_at)
VALUES ('clavis', 'main', 'color-recognition', 'c0102000000000000000000000000001', 21100, '', '', NULL, 0, 1767225600000, 1767225600000),
       ('clavis', 'main', 'general-image-embedding', 'e0102000000000000000000000000001', 21100, '', '', NULL, 0, 1767225600000, 1767225600000),
       ('clavis', 'main', 'text-embedding', 'e0102000000000000000000000000002', 21100, '', '', NULL, 0, 1767225600000, 1767225600000);
