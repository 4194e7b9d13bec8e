-- A release names its input files but no longer publishes their SHA-256,
-- size or row count: with those anyone holding a candidate file could
-- confirm it was the one delivered (docs/disclosure.md, "Side channels").
-- The aggregator keeps them in private.db (ingested_file, ref_list), for
-- the data steward. SQLite cannot drop a primary-key column in place, so
-- the table is rebuilt; earlier releases lose the published checksums too.
CREATE TABLE release_file_new (
    release INTEGER NOT NULL REFERENCES release (number),
    name    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,   -- 'penyaluran', 'asn', 'meninggal', ...
    outcome TEXT    NOT NULL,   -- 'ingested', 'refused' or 'reference'
    PRIMARY KEY (release, name, kind)
) WITHOUT ROWID;
INSERT OR IGNORE INTO release_file_new (release, name, kind, outcome)
    SELECT release, name, kind, outcome FROM release_file;
DROP TABLE release_file;
ALTER TABLE release_file_new RENAME TO release_file;
