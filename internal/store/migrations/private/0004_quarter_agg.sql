-- Each quarter's aggregates as last computed from its facts (issue on the
-- national year): a run recomputes only the quarters whose facts changed.
-- The fingerprint names what the aggregates were computed from — the
-- quarter's fact chunks (run, count, bytes), the region table and the
-- aggregation's version — so an entry is used only where recomputing would
-- give the very same cells. Private: it holds the true values of withheld
-- cells.
CREATE TABLE quarter_agg (
    quarter     INTEGER PRIMARY KEY,
    fingerprint BLOB    NOT NULL,
    data        BLOB    NOT NULL    -- gzip of the encoded quarterPart
);
