-- Releases are immutable and numbered: the aggregator adds one per run, in
-- one transaction, and the site serves the newest (the release in force).
CREATE TABLE release (
    number       INTEGER PRIMARY KEY,      -- 1, 2, 3, ...
    published_at TEXT    NOT NULL,         -- RFC 3339, UTC
    run_id       TEXT    NOT NULL UNIQUE,
    k            INTEGER NOT NULL,         -- disclosure threshold in force
    report       TEXT    NOT NULL          -- the run report (JSON), counts only
);

-- The run ledger. It lives here, not in private.db, because the site's
-- /status page shows it and the site never opens private.db; it holds only
-- times, outcomes, counts and file names, never a row's contents.
CREATE TABLE run (
    id          TEXT PRIMARY KEY,
    trigger     TEXT NOT NULL,             -- 'schedule', 'command', 'demo'
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    outcome     TEXT NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'published', 'nothing', 'failed', 'skipped')),
    release     INTEGER REFERENCES release (number),
    report      TEXT,                      -- run report JSON when it ended
    error       TEXT                       -- why it failed, for the steward
);
CREATE INDEX run_started ON run (started_at);
