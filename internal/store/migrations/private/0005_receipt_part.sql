-- Receipts for DOUBLE partitioned by quarter (issue on the national year):
-- a receipt only ever meets rows of its own quarter, so a run reads the
-- receipts of the quarters its rows fall in, never the whole history.
-- Entries are the 16-byte receipts of receipt_chunk (NIK pseudonym,
-- quarter, programme, component). receipt_chunk stays for data folders
-- made before this table; the aggregator moves its entries here, split by
-- quarter, the first time it opens such a folder.
CREATE TABLE receipt_part (
    quarter INTEGER NOT NULL,
    run_id  TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (quarter, run_id, seq)
);
