-- The aggregator's memory across runs. Everything here is keyed by
-- pseudonyms (HMAC-SHA-256 with the key in the key file), never by a NIK,
-- KK number, name or transaction id.
--
-- A run writes its state here first (state 'pending'), then publishes its
-- release in published.db, then marks the run 'committed'. The two files
-- cannot share one transaction under WAL, so a run that was killed between
-- the two commits is found at the next start: if its release exists it is
-- marked committed, otherwise everything it wrote is deleted (ON DELETE
-- CASCADE) and the previous release stays in force.
CREATE TABLE run (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'committed')),
    created_at TEXT NOT NULL
);

-- Transactions seen (accepted or rejected): 16-byte entries, a 96-bit
-- pseudonym of id_transaksi and a 32-bit checksum of the row's normalised
-- content, to tell a replay from a conflicting duplicate.
CREATE TABLE seen_chunk (
    run_id TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Accepted SALUR receipts, for DOUBLE: 16-byte entries of a 96-bit NIK
-- pseudonym, the quarter and the programme/component.
CREATE TABLE receipt_chunk (
    run_id TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Accepted rows, reduced to what the statistics need (a 64-bit family
-- pseudonym, district, programme, component, status, amount, sex, age band,
-- decile, channel), partitioned by quarter so aggregation holds one quarter
-- in memory at a time.
CREATE TABLE fact_chunk (
    quarter INTEGER NOT NULL,
    run_id  TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (quarter, run_id, seq)
);

-- Counts that need no pseudonym: rejections by quarter, programme, regency
-- and reason; data quality by period and reason.
CREATE TABLE tally (
    run_id  TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('rejected', 'quality')),
    quarter INTEGER NOT NULL,          -- -1: the period could not be read
    program TEXT    NOT NULL DEFAULT '',
    regency TEXT    NOT NULL DEFAULT '',
    reason  TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (run_id, kind, quarter, program, regency, reason)
) WITHOUT ROWID;

-- Malformed rows kept for the data steward (portal quarantine list|export),
-- never shown by the site.
CREATE TABLE quarantine (
    id     INTEGER PRIMARY KEY,
    run_id TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    file   TEXT    NOT NULL,
    line   INTEGER NOT NULL,
    reason TEXT    NOT NULL,
    raw    TEXT    NOT NULL
);
CREATE INDEX quarantine_run ON quarantine (run_id);
CREATE INDEX quarantine_reason ON quarantine (reason);

-- Reference lists (asn, meninggal; later kuota, dtsen), one version per
-- run that loaded one; the newest committed version of a kind is in force.
-- asn/meninggal entries are NIK pseudonyms (with the date of death).
CREATE TABLE ref_list (
    kind      TEXT    NOT NULL,
    run_id    TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    file      TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    entries   INTEGER NOT NULL,
    ignored   INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    PRIMARY KEY (kind, run_id)
);

-- Files a run ingested.
CREATE TABLE ingested_file (
    run_id TEXT    NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name   TEXT    NOT NULL,
    sha256 TEXT    NOT NULL,
    bytes  INTEGER NOT NULL,
    rows   INTEGER NOT NULL,
    PRIMARY KEY (run_id, name, sha256)
);
