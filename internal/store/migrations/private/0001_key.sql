-- private.db holds what must never be published. Only the aggregator opens
-- it. This first migration records which pseudonymisation key the stored
-- pseudonyms were made with (a fingerprint, never the key), so a run with a
-- different key file is refused instead of silently breaking DOUBLE and
-- replay detection.
CREATE TABLE key_fingerprint (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
