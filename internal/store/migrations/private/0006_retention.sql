-- Retention (docs/input.md §3, "Retention"; issue on the national year).
--
-- Seen transactions by the quarter of their row, like receipt_part: with
-- a retention setting, the ids of closed quarters can be forgotten, and a
-- run reads only the ids of the quarters still open. Entries are the
-- 16-byte entries of seen_chunk (96-bit id pseudonym, 32-bit content
-- checksum). seen_chunk keeps the ids stored before this table: their
-- quarter is not known, so they are never forgotten.
CREATE TABLE seen_part (
    quarter INTEGER NOT NULL,
    run_id  TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (quarter, run_id, seq)
);

-- The first quarter still open when the run judged its rows (year*4 +
-- quarter - 1; 0: nothing closed). Rows of earlier quarters were refused
-- as CLOSED_PERIOD, and once the run is committed the ids and receipts of
-- those quarters are deleted. The newest committed run's value is never
-- lowered by a later run: what was forgotten cannot be judged again. A
-- run that is undone takes its value with it.
ALTER TABLE run ADD COLUMN open_from INTEGER NOT NULL DEFAULT 0;
