-- The press office's posts, their public revisions, attachments, sessions
-- and audit log. Everything the press office owns lives in this one file so
-- a backup or a read-only replica is one copy.

-- A post keeps its id and, once published, its slug for ever: a correction
-- changes the content and adds a revision, never the address.
CREATE TABLE post (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    UNIQUE,
    kind         TEXT    NOT NULL CHECK (kind IN ('siaran_pers', 'pengumuman', 'klarifikasi')),
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'scheduled', 'published', 'retracted')),
    lang         TEXT    NOT NULL CHECK (lang IN ('id', 'en', 'both')),
    title_id     TEXT    NOT NULL DEFAULT '',
    summary_id   TEXT    NOT NULL DEFAULT '',
    body_id      TEXT    NOT NULL DEFAULT '',
    title_en     TEXT    NOT NULL DEFAULT '',
    summary_en   TEXT    NOT NULL DEFAULT '',
    body_en      TEXT    NOT NULL DEFAULT '',
    category     TEXT    NOT NULL,
    -- Lists are stored space-separated and padded (" PKH BLT ") so a
    -- filter is one LIKE; tags and links are JSON (they may hold spaces).
    tags         TEXT    NOT NULL DEFAULT '[]',
    regions      TEXT    NOT NULL DEFAULT ' ',
    programs     TEXT    NOT NULL DEFAULT ' ',
    links        TEXT    NOT NULL DEFAULT '[]',
    example      INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
    author_id    INTEGER REFERENCES user(id),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    publish_at   TEXT,
    published_at TEXT,
    corrected_at TEXT,
    retracted_at TEXT,
    retract_note TEXT    NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX post_status ON post (status, published_at);
CREATE INDEX post_due ON post (publish_at) WHERE status = 'scheduled';

-- One row per public state of a post: its first publication, each
-- correction and the retraction. The snapshot is the content as readers saw
-- it, so the history stays public and checkable.
CREATE TABLE post_revision (
    post_id  INTEGER NOT NULL REFERENCES post(id),
    number   INTEGER NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('publish', 'correction', 'retraction')),
    at       TEXT    NOT NULL,
    user_id  INTEGER REFERENCES user(id),
    note     TEXT    NOT NULL DEFAULT '',
    changed  TEXT    NOT NULL DEFAULT '',
    snapshot TEXT    NOT NULL,
    PRIMARY KEY (post_id, number)
);

-- Attachment bytes live here too: one file holds all press state.
CREATE TABLE attachment (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES post(id),
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX attachment_post ON attachment (post_id);

-- Sessions are kept by the SHA-256 of their token: a copy of this file
-- does not let anyone log in.
CREATE TABLE session (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    csrf       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);

-- Who did what when, for admins (exportable as CSV).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    user_id   INTEGER,
    user_name TEXT    NOT NULL DEFAULT '',
    action    TEXT    NOT NULL,
    post_id   INTEGER,
    detail    TEXT    NOT NULL DEFAULT ''
);

-- Bumped by every change readers can see (publication, correction,
-- retraction), so cached pages showing posts know when to refresh.
CREATE TABLE public_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO public_version (id, version) VALUES (1, 0);
