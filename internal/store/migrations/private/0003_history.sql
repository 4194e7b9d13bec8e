-- The protection history (docs/disclosure.md, "Releases"): per quarter,
-- the true tables of the quarter's last release, each count's verdict and
-- bounds, and the witnesses still to carry forward, so that the next
-- release can be protected against differencing with the ones before.
-- It holds the true values of withheld cells: private. A run writes the
-- quarters it protected anew; the newest committed row of a quarter is in
-- force, older ones are deleted once a newer one is committed.
CREATE TABLE history (
    quarter INTEGER NOT NULL,
    run_id  TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    data    BLOB    NOT NULL,   -- gzip of the encoded QuarterHistory
    PRIMARY KEY (quarter, run_id)
);
