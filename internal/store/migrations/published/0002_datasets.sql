-- The statistics of every release. Releases are cumulative and immutable:
-- each holds its complete tables, so any past release can be served as it
-- was. `lvl` orders the geography (0 nasional, 1 provinsi, 2 kabupaten,
-- 3 kecamatan); `tingkat` is its published name. Withheld cells have NULL
-- measures and ditekan = 1 (spec/disclosure.md).
ALTER TABLE release ADD COLUMN disclosure TEXT NOT NULL DEFAULT '{}';
ALTER TABLE release ADD COLUMN periods TEXT NOT NULL DEFAULT '[]';
-- Rows per dataset in the release, for the catalogue: {"penyaluran": n, ...}.
ALTER TABLE release ADD COLUMN counts TEXT NOT NULL DEFAULT '{}';

CREATE TABLE penyaluran (
    release         INTEGER NOT NULL REFERENCES release (number),
    periode         TEXT    NOT NULL,
    program         TEXT    NOT NULL,
    komponen        TEXT    NOT NULL,
    lvl             INTEGER NOT NULL,
    tingkat         TEXT    NOT NULL,
    kode_wilayah    TEXT    NOT NULL,
    nama_wilayah    TEXT    NOT NULL,
    penerima        INTEGER,
    transaksi       INTEGER,
    nominal_salur   INTEGER,
    transaksi_gagal INTEGER,
    nominal_gagal   INTEGER,
    transaksi_retur INTEGER,
    nominal_retur   INTEGER,
    ditekan         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release, periode, program, komponen, lvl, kode_wilayah)
) WITHOUT ROWID;
-- Most questions name a level ("every province", "districts of 32.04"):
-- this index answers them without scanning every component and level.
CREATE INDEX penyaluran_lvl ON penyaluran (release, lvl, periode, program, komponen, kode_wilayah);

-- penyaluran-demografi is stored one row per region and programme, its 23
-- categories packed in `sel` as a JSON array in demografi_kategori order:
-- null where the category is empty, else [penerima, nominal_salur,
-- ditekan] with null measures when withheld. A release has ~20 times
-- fewer rows to write this way; the view below gives the published shape.
CREATE TABLE demografi_kategori (
    k        INTEGER PRIMARY KEY,   -- position in `sel`
    dimensi  TEXT    NOT NULL,
    kategori TEXT    NOT NULL,
    urut     INTEGER NOT NULL       -- order within the dimension
);
INSERT INTO demografi_kategori (k, dimensi, kategori, urut) VALUES
    (0, 'jenis_kelamin', 'L', 0),
    (1, 'jenis_kelamin', 'P', 1),
    (2, 'kelompok_umur', '0-17', 0),
    (3, 'kelompok_umur', '18-29', 1),
    (4, 'kelompok_umur', '30-44', 2),
    (5, 'kelompok_umur', '45-59', 3),
    (6, 'kelompok_umur', '60+', 4),
    (7, 'desil', '1', 0),
    (8, 'desil', '2', 1),
    (9, 'desil', '3', 2),
    (10, 'desil', '4', 3),
    (11, 'desil', '5', 4),
    (12, 'desil', '6', 5),
    (13, 'desil', '7', 6),
    (14, 'desil', '8', 7),
    (15, 'desil', '9', 8),
    (16, 'desil', '10', 9),
    (17, 'desil', 'tidak_diketahui', 10),
    (18, 'penyalur', 'BRI', 0),
    (19, 'penyalur', 'BNI', 1),
    (20, 'penyalur', 'MANDIRI', 2),
    (21, 'penyalur', 'BSI', 3),
    (22, 'penyalur', 'POS', 4);

CREATE TABLE penyaluran_demografi_sel (
    release      INTEGER NOT NULL REFERENCES release (number),
    periode      TEXT    NOT NULL,
    program      TEXT    NOT NULL,
    lvl          INTEGER NOT NULL,
    tingkat      TEXT    NOT NULL,
    kode_wilayah TEXT    NOT NULL,
    nama_wilayah TEXT    NOT NULL,
    sel          TEXT    NOT NULL,
    PRIMARY KEY (release, periode, program, lvl, kode_wilayah)
) WITHOUT ROWID;
CREATE INDEX penyaluran_demografi_lvl ON penyaluran_demografi_sel (release, lvl, periode, program, kode_wilayah);

CREATE VIEW penyaluran_demografi AS
SELECT s.release, s.periode, s.program, s.lvl, s.tingkat, s.kode_wilayah, s.nama_wilayah,
       k.dimensi, k.kategori, k.urut,
       j.value ->> 0 AS penerima, j.value ->> 1 AS nominal_salur, j.value ->> 2 AS ditekan
FROM penyaluran_demografi_sel s
JOIN json_each(s.sel) j
JOIN demografi_kategori k ON k.k = j.key
WHERE j.type = 'array';

CREATE TABLE ketepatan_sasaran (
    release      INTEGER NOT NULL REFERENCES release (number),
    periode      TEXT    NOT NULL,
    program      TEXT    NOT NULL,
    lvl          INTEGER NOT NULL,
    tingkat      TEXT    NOT NULL,
    kode_wilayah TEXT    NOT NULL,
    nama_wilayah TEXT    NOT NULL,
    alasan       TEXT    NOT NULL,
    jumlah       INTEGER,
    ditekan      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release, periode, program, lvl, kode_wilayah, alasan)
) WITHOUT ROWID;
CREATE INDEX ketepatan_sasaran_lvl ON ketepatan_sasaran (release, lvl, periode, program, kode_wilayah);

CREATE TABLE kualitas_data (
    release INTEGER NOT NULL REFERENCES release (number),
    periode TEXT    NOT NULL,   -- '' where a row's period could not be read
    alasan  TEXT    NOT NULL,
    jumlah  INTEGER NOT NULL,
    PRIMARY KEY (release, periode, alasan)
) WITHOUT ROWID;

-- The input files behind each release, with checksums, so a release says
-- exactly what it was computed from.
CREATE TABLE release_file (
    release INTEGER NOT NULL REFERENCES release (number),
    name    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,   -- 'penyaluran', 'asn', 'meninggal', ...
    sha256  TEXT    NOT NULL,
    bytes   INTEGER NOT NULL,
    rows    INTEGER NOT NULL,
    outcome TEXT    NOT NULL,   -- 'ingested' or 'refused'
    PRIMARY KEY (release, name, sha256)
);
