-- kualitas-data counts are protected like every other count (a handful of
-- quarantined rows of one period describes a handful of people): a small
-- count is withheld, jumlah NULL and ditekan = 1. SQLite cannot relax a
-- NOT NULL in place, so the table is rebuilt; earlier releases keep their
-- rows with ditekan = 0.
CREATE TABLE kualitas_data_new (
    release INTEGER NOT NULL REFERENCES release (number),
    periode TEXT    NOT NULL,   -- '' where a row's period could not be read
    alasan  TEXT    NOT NULL,
    jumlah  INTEGER,
    ditekan INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release, periode, alasan)
) WITHOUT ROWID;
INSERT INTO kualitas_data_new (release, periode, alasan, jumlah, ditekan)
    SELECT release, periode, alasan, jumlah, 0 FROM kualitas_data;
DROP TABLE kualitas_data;
ALTER TABLE kualitas_data_new RENAME TO kualitas_data;
