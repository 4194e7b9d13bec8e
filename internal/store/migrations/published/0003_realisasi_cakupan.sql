-- Realisation against target and coverage of the DTSEN deciles
-- (spec/interface.md: realisasi, cakupan-desil). Levels nasional to
-- kabupaten. Targets and DTSEN counts come from the lists in force when the
-- release was built (recorded in release_file with outcome 'reference');
-- percentages are stored rounded to one decimal, NULL where the target (or
-- the decile's DTSEN families) is missing or zero. Withheld rows have every
-- measure NULL and ditekan = 1, like the other protected tables.
CREATE TABLE realisasi (
    release        INTEGER NOT NULL REFERENCES release (number),
    periode        TEXT    NOT NULL,
    program        TEXT    NOT NULL,
    lvl            INTEGER NOT NULL,
    tingkat        TEXT    NOT NULL,
    kode_wilayah   TEXT    NOT NULL,
    nama_wilayah   TEXT    NOT NULL,
    kuota_kpm      INTEGER,
    penerima_salur INTEGER,
    persen_kpm     REAL,
    pagu           INTEGER,
    nominal_salur  INTEGER,
    persen_pagu    REAL,
    ditekan        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release, periode, program, lvl, kode_wilayah)
) WITHOUT ROWID;

CREATE TABLE cakupan_desil (
    release        INTEGER NOT NULL REFERENCES release (number),
    periode        TEXT    NOT NULL,
    program        TEXT    NOT NULL,   -- a programme, or SEMUA (any programme)
    lvl            INTEGER NOT NULL,
    tingkat        TEXT    NOT NULL,
    kode_wilayah   TEXT    NOT NULL,
    nama_wilayah   TEXT    NOT NULL,
    desil          INTEGER NOT NULL,   -- 1..10
    keluarga_dtsen INTEGER,
    penerima       INTEGER,
    persen_cakupan REAL,
    ditekan        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release, periode, program, lvl, kode_wilayah, desil)
) WITHOUT ROWID;
CREATE INDEX cakupan_desil_lvl ON cakupan_desil (release, lvl, periode, program, kode_wilayah);
