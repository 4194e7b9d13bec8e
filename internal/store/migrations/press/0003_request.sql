-- The information desk (/tanya): questions to the ministry's information
-- office (PPID) and their answers, under UU 14/2008 (KIP). The deadline
-- rule and what is public are in docs/information-desk.md.

-- A request. Name, email and outlet are personal data: they are blanked,
-- with the token hash, once the request has been closed for the retention
-- period (purged_at says when). The question and the answer stay.
CREATE TABLE request (
    id                INTEGER PRIMARY KEY,
    -- SHA-256 of the asker's tracking token: a copy of this file does not
    -- let anyone read a request as its asker. NULL once purged.
    token_hash        TEXT    UNIQUE,
    status            TEXT    NOT NULL CHECK (status IN ('received', 'answered', 'refused')),
    name              TEXT    NOT NULL DEFAULT '',
    email             TEXT    NOT NULL DEFAULT '',
    outlet            TEXT    NOT NULL DEFAULT '',
    question          TEXT    NOT NULL,
    region            TEXT    NOT NULL DEFAULT '',
    program           TEXT    NOT NULL DEFAULT '',
    dataset           TEXT    NOT NULL DEFAULT '',
    consent_publish   INTEGER NOT NULL DEFAULT 0 CHECK (consent_publish IN (0, 1)),
    consent_name      INTEGER NOT NULL DEFAULT 0 CHECK (consent_name IN (0, 1)),
    received_at       TEXT    NOT NULL,
    -- Deadlines are the end of a working day in Jakarta, stored in UTC.
    -- deadline is the one in force: the original one, or the extended.
    original_deadline TEXT    NOT NULL,
    deadline          TEXT    NOT NULL,
    -- 1 while the deadline counts a year without a holiday list (weekends
    -- only); recounted once the list is added.
    provisional       INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
    extension_days    INTEGER NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 7),
    extension_reason  TEXT    NOT NULL DEFAULT '',
    extended_at       TEXT,
    -- The answer (Markdown, Indonesian and English) while drafted, and as
    -- published; links are press.Link values as JSON.
    answer_id         TEXT    NOT NULL DEFAULT '',
    answer_en         TEXT    NOT NULL DEFAULT '',
    links             TEXT    NOT NULL DEFAULT '[]',
    draft_by          INTEGER REFERENCES user(id),
    draft_at          TEXT,
    refusal_ground    TEXT    NOT NULL DEFAULT '',
    refusal_reason    TEXT    NOT NULL DEFAULT '',
    closed_at         TEXT,
    closed_by         INTEGER REFERENCES user(id),
    purged_at         TEXT
);
CREATE INDEX request_queue ON request (status, deadline);
CREATE INDEX request_received ON request (received_at);
CREATE INDEX request_closed ON request (closed_at) WHERE purged_at IS NULL;

-- Audit entries about a request name it here (post_id stays for posts).
ALTER TABLE audit ADD COLUMN request_id INTEGER;
