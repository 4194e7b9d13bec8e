package aggregator

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
)

// fullHeader is the header of docs/input.md §1, every column, in table
// order.
var fullHeader = []string{
	"id_transaksi", "nik", "no_kk", "nama", "kode_wilayah", "program", "komponen", "periode",
	"nominal", "tanggal_salur", "status", "penyalur", "desil", "jenis_kelamin", "tanggal_lahir",
}

// validRow is a well-formed row; tests change some of its columns. The
// village 32.04.11.2001 (Sangkanhurip, Katapang, Kabupaten Bandung) exists
// in idn-area-data 3.1.2; 32.04.11.2003 does not.
func validRow() map[string]string {
	return map[string]string{
		"id_transaksi":  "TRX-2025.000001_a",
		"nik":           nikWoman,
		"no_kk":         "3204110101200001",
		"nama":          "Siti Aminah",
		"kode_wilayah":  "32.04.11.2001",
		"program":       "PKH",
		"komponen":      "SD",
		"periode":       "2025-Q2",
		"nominal":       "225000",
		"tanggal_salur": "2025-04-14",
		"status":        "SALUR",
		"penyalur":      "BRI",
		"desil":         "2",
		"jenis_kelamin": "",
		"tanggal_lahir": "",
	}
}

// record lays the values out in header order; a column missing from vals
// is empty.
func record(header []string, vals map[string]string) [][]byte {
	out := make([][]byte, len(header))
	for i, h := range header {
		out[i] = []byte(vals[strings.ToLower(strings.TrimSpace(h))])
	}
	return out
}

func mustHeader(t testing.TB, header []string) Columns {
	t.Helper()
	h := make([][]byte, len(header))
	for i, s := range header {
		h[i] = []byte(s)
	}
	cols, err := MapHeader(h)
	if err != nil {
		t.Fatalf("MapHeader(%q): %v", header, err)
	}
	return cols
}

// without returns header less the named columns.
func without(header []string, drop ...string) []string {
	var out []string
	for _, h := range header {
		keep := true
		for _, d := range drop {
			if h == d {
				keep = false
			}
		}
		if keep {
			out = append(out, h)
		}
	}
	return out
}

func TestValidate(t *testing.T) {
	v := NewValidator(region.Default())
	reordered := []string{"catatan", "penyalur", "status", "nominal", "periode", "program", "kode_wilayah", "nama", "no_kk", "nik", "id_transaksi", "komponen", "tanggal_salur", "desil", "jenis_kelamin", "tanggal_lahir", "petugas"}
	tests := []struct {
		name   string
		set    map[string]string
		header []string // fullHeader if nil
		extra  int      // fields added (> 0) or removed (< 0) at the end
		want   Reason
	}{
		{name: "valid", want: ReasonNone},
		{name: "columns reordered, extra columns", header: reordered, set: map[string]string{"catatan": "x, y", "petugas": "Budi"}},

		// field count
		{name: "one field too many", extra: 1, want: BadFieldCount},
		{name: "one field too few", extra: -1, want: BadFieldCount},
		{name: "field count before everything", extra: 1, set: map[string]string{"id_transaksi": "", "nik": "x"}, want: BadFieldCount},
		{name: "a single empty field", extra: -14, want: BadFieldCount},

		// id_transaksi
		{name: "id empty", set: map[string]string{"id_transaksi": ""}, want: BadID},
		{name: "id blank", set: map[string]string{"id_transaksi": " \t "}, want: BadID},
		{name: "id 64 chars", set: map[string]string{"id_transaksi": strings.Repeat("a", 64)}},
		{name: "id 65 chars", set: map[string]string{"id_transaksi": strings.Repeat("a", 65)}, want: BadID},
		{name: "id inner space", set: map[string]string{"id_transaksi": "TRX 1"}, want: BadID},
		{name: "id slash", set: map[string]string{"id_transaksi": "TRX/1"}, want: BadID},
		{name: "id non-ASCII", set: map[string]string{"id_transaksi": "TRXé"}, want: BadID},
		{name: "id every allowed class", set: map[string]string{"id_transaksi": "Az09._-"}},
		{name: "id trimmed", set: map[string]string{"id_transaksi": "\t TRX-1 \t"}},

		// nik
		{name: "nik empty", set: map[string]string{"nik": ""}, want: BadNIK},
		{name: "nik 15 digits", set: map[string]string{"nik": "320411550885000"}, want: BadNIK},
		{name: "nik letters", set: map[string]string{"nik": "32041155088500O2"}, want: BadNIK},
		{name: "nik all zeros", set: map[string]string{"nik": "0000000000000000"}, want: BadNIK},
		{name: "nik unknown province", set: map[string]string{"nik": "2004115508850002"}, want: BadNIK},
		{name: "nik province differs from region", set: map[string]string{"nik": "1101011508850001"}},
		{name: "nik woman day 41", set: map[string]string{"nik": "3204114101900001"}},
		{name: "nik woman day 71", set: map[string]string{"nik": "3204117101900001"}},
		{name: "nik day 72", set: map[string]string{"nik": "3204117201900001"}, want: BadNIK},
		{name: "nik day 35", set: map[string]string{"nik": "3204113501900001"}, want: BadNIK},
		{name: "nik 29 Feb 00", set: map[string]string{"nik": "3204112902000001"}},
		{name: "nik woman 29 Feb 00", set: map[string]string{"nik": "3204116902000001"}},
		{name: "nik 29 Feb 01", set: map[string]string{"nik": "3204112902010001"}, want: BadNIK},
		{name: "nik 31 April", set: map[string]string{"nik": "3204113104900001"}, want: BadNIK},
		{name: "nik serial 0000", set: map[string]string{"nik": "3204115508850000"}, want: BadNIK},
		{name: "nik trimmed", set: map[string]string{"nik": " " + nikWoman + "\t"}},
		{name: "nik inner space", set: map[string]string{"nik": "3204 15508850002"}, want: BadNIK},

		// no_kk
		{name: "kk empty", set: map[string]string{"no_kk": ""}, want: BadKK},
		{name: "kk 17 digits", set: map[string]string{"no_kk": "32041101012000011"}, want: BadKK},
		{name: "kk all zeros", set: map[string]string{"no_kk": "0000000000000000"}, want: BadKK},
		{name: "kk letter", set: map[string]string{"no_kk": "320411010120000X"}, want: BadKK},

		// nama
		{name: "name empty", set: map[string]string{"nama": ""}, want: MissingName},
		{name: "name spaces and tabs", set: map[string]string{"nama": " \t  "}, want: MissingName},
		{name: "name one letter", set: map[string]string{"nama": "S"}},
		{name: "name with comma and quote", set: map[string]string{"nama": `Siti "Ami", S.Pd.`}},

		// kode_wilayah
		{name: "region undotted", set: map[string]string{"kode_wilayah": "3204112001"}},
		{name: "region trimmed", set: map[string]string{"kode_wilayah": "\t32.04.11.2001 "}},
		{name: "region does not exist", set: map[string]string{"kode_wilayah": "32.04.11.2003"}, want: UnknownRegion},
		{name: "region undotted does not exist", set: map[string]string{"kode_wilayah": "3204112003"}, want: UnknownRegion},
		{name: "region partly dotted", set: map[string]string{"kode_wilayah": "32.04.112001"}, want: UnknownRegion},
		{name: "region partly dotted 2", set: map[string]string{"kode_wilayah": "320411.2001"}, want: UnknownRegion},
		{name: "region dashes", set: map[string]string{"kode_wilayah": "32-04-11-2001"}, want: UnknownRegion},
		{name: "region a district", set: map[string]string{"kode_wilayah": "32.04.11"}, want: UnknownRegion},
		{name: "region empty", set: map[string]string{"kode_wilayah": ""}, want: UnknownRegion},
		{name: "region inner space", set: map[string]string{"kode_wilayah": "32.04.11. 2001"}, want: UnknownRegion},

		// program
		{name: "program empty", set: map[string]string{"program": ""}, want: BadProgram},
		{name: "program unknown", set: map[string]string{"program": "BPNT"}, want: BadProgram},
		{name: "program with dash", set: map[string]string{"program": "PBI-JK", "komponen": ""}, want: BadProgram},
		{name: "program lower case", set: map[string]string{"program": "pkh"}},
		{name: "program mixed case", set: map[string]string{"program": "Pbi_Jk", "komponen": ""}},
		{name: "program trimmed", set: map[string]string{"program": " \tSEMBAKO\t ", "komponen": ""}},
		{name: "program Kelvin sign is no k", set: map[string]string{"program": "P\u212aH"}, want: BadProgram},

		// komponen
		{name: "PKH without component", set: map[string]string{"komponen": ""}, want: BadComponent},
		{name: "PKH blank component", set: map[string]string{"komponen": " \t"}, want: BadComponent},
		{name: "PKH unknown component", set: map[string]string{"komponen": "SMK"}, want: BadComponent},
		{name: "PKH component lower case", set: map[string]string{"komponen": "disabilitas_berat"}},
		{name: "PKH component LANSIA", set: map[string]string{"komponen": "LANSIA"}},
		{name: "SEMBAKO with component", set: map[string]string{"program": "SEMBAKO", "komponen": "SD"}, want: BadComponent},
		{name: "BLT with junk component", set: map[string]string{"program": "BLT", "komponen": "-"}, want: BadComponent},
		{name: "PENA blank component", set: map[string]string{"program": "PENA", "komponen": "  "}},
		{name: "PKH, no komponen column", header: without(fullHeader, "komponen"), want: BadComponent},
		{name: "ATENSI, no komponen column", header: without(fullHeader, "komponen"), set: map[string]string{"program": "ATENSI"}},

		// periode
		{name: "period month", set: map[string]string{"periode": "2025-05"}},
		{name: "period lower q", set: map[string]string{"periode": "2025-q2"}},
		{name: "period month 13", set: map[string]string{"periode": "2025-13"}, want: BadPeriod},
		{name: "period month 00", set: map[string]string{"periode": "2025-00"}, want: BadPeriod},
		{name: "period Q5", set: map[string]string{"periode": "2025-Q5"}, want: BadPeriod},
		{name: "period Q0", set: map[string]string{"periode": "2025-Q0"}, want: BadPeriod},
		{name: "period year 0000", set: map[string]string{"periode": "0000-Q1"}, want: BadPeriod},
		{name: "period year 0000 month", set: map[string]string{"periode": "0000-01"}, want: BadPeriod},
		{name: "period year 0001", set: map[string]string{"periode": "0001-Q1", "tanggal_salur": "0001-01-01"}},
		{name: "period no dash", set: map[string]string{"periode": "2025Q2"}, want: BadPeriod},
		{name: "period one-digit month", set: map[string]string{"periode": "2025-5"}, want: BadPeriod},
		{name: "period two-digit year", set: map[string]string{"periode": "25-Q2"}, want: BadPeriod},
		{name: "period tahap word", set: map[string]string{"periode": "2025-T2"}, want: BadPeriod},
		{name: "period a date", set: map[string]string{"periode": "2025-05-01"}, want: BadPeriod},
		{name: "period empty", set: map[string]string{"periode": ""}, want: BadPeriod},
		{name: "period trimmed", set: map[string]string{"periode": " 2025-Q2\t"}},

		// nominal
		{name: "nominal zero", set: map[string]string{"nominal": "0"}},
		{name: "nominal zeros", set: map[string]string{"nominal": "0000"}},
		{name: "nominal leading zero", set: map[string]string{"nominal": "0100"}},
		{name: "nominal maximum", set: map[string]string{"nominal": "100000000"}},
		{name: "nominal maximum, long", set: map[string]string{"nominal": strings.Repeat("0", 100) + "100000000"}},
		{name: "nominal over maximum", set: map[string]string{"nominal": "100000001"}, want: BadAmount},
		{name: "nominal ten digits", set: map[string]string{"nominal": "1000000000"}, want: BadAmount},
		{name: "nominal overflows int64", set: map[string]string{"nominal": "99999999999999999999999999999"}, want: BadAmount},
		{name: "nominal empty", set: map[string]string{"nominal": ""}, want: BadAmount},
		{name: "nominal negative", set: map[string]string{"nominal": "-100"}, want: BadAmount},
		{name: "nominal plus", set: map[string]string{"nominal": "+100"}, want: BadAmount},
		{name: "nominal decimal", set: map[string]string{"nominal": "100.00"}, want: BadAmount},
		{name: "nominal thousands dot", set: map[string]string{"nominal": "225.000"}, want: BadAmount},
		{name: "nominal thousands comma", set: map[string]string{"nominal": "225,000"}, want: BadAmount},
		{name: "nominal inner space", set: map[string]string{"nominal": "225 000"}, want: BadAmount},
		{name: "nominal exponent", set: map[string]string{"nominal": "2e5"}, want: BadAmount},
		{name: "nominal Rp", set: map[string]string{"nominal": "Rp225000"}, want: BadAmount},
		{name: "nominal trimmed", set: map[string]string{"nominal": "\t225000 "}},

		// tanggal_salur
		{name: "SALUR without date", set: map[string]string{"tanggal_salur": ""}, want: BadDate},
		{name: "salur (lower case) without date", set: map[string]string{"tanggal_salur": " ", "status": "salur"}, want: BadDate},
		{name: "SALUR, no tanggal_salur column", header: without(fullHeader, "tanggal_salur"), want: BadDate},
		{name: "GAGAL, no tanggal_salur column", header: without(fullHeader, "tanggal_salur"), set: map[string]string{"status": "GAGAL"}},
		{name: "GAGAL without date", set: map[string]string{"tanggal_salur": "", "status": "GAGAL"}},
		{name: "RETUR without date", set: map[string]string{"tanggal_salur": "", "status": "RETUR"}},
		{name: "GAGAL with a date", set: map[string]string{"status": "GAGAL"}},
		{name: "GAGAL with a malformed date", set: map[string]string{"status": "GAGAL", "tanggal_salur": "14/04/2025"}, want: BadDate},
		{name: "date 30 February", set: map[string]string{"tanggal_salur": "2025-02-30"}, want: BadDate},
		{name: "date one-digit month", set: map[string]string{"tanggal_salur": "2025-4-14"}, want: BadDate},
		{name: "date with time", set: map[string]string{"tanggal_salur": "2025-04-14 10:00"}, want: BadDate},
		{name: "date year 0000", set: map[string]string{"tanggal_salur": "0000-04-14"}, want: BadDate},
		{name: "date outside the period", set: map[string]string{"tanggal_salur": "2024-12-31"}},
		{name: "date 29 February leap year", set: map[string]string{"tanggal_salur": "2024-02-29"}},
		{name: "date trimmed", set: map[string]string{"tanggal_salur": " 2025-04-14\t"}},

		// status
		{name: "status empty", set: map[string]string{"status": ""}, want: BadStatus},
		{name: "status unknown", set: map[string]string{"status": "LUNAS"}, want: BadStatus},
		{name: "status lower case", set: map[string]string{"status": "salur"}},
		{name: "status mixed case", set: map[string]string{"status": "Retur"}},
		{name: "bad status, no date: not a SALUR row", set: map[string]string{"status": "PAID", "tanggal_salur": ""}, want: BadStatus},
		{name: "empty status, no date", set: map[string]string{"status": "", "tanggal_salur": ""}, want: BadStatus},
		{name: "bad status, malformed date", set: map[string]string{"status": "PAID", "tanggal_salur": "kemarin"}, want: BadDate},

		// penyalur
		{name: "channel empty", set: map[string]string{"penyalur": ""}, want: BadChannel},
		{name: "channel unknown", set: map[string]string{"penyalur": "BCA"}, want: BadChannel},
		{name: "channel lower case", set: map[string]string{"penyalur": "mandiri"}},
		{name: "channel POS", set: map[string]string{"penyalur": "Pos"}},

		// desil
		{name: "decile empty", set: map[string]string{"desil": ""}},
		{name: "decile 1", set: map[string]string{"desil": "1"}},
		{name: "decile 10", set: map[string]string{"desil": "10"}},
		{name: "decile 0", set: map[string]string{"desil": "0"}, want: BadDecile},
		{name: "decile 01", set: map[string]string{"desil": "01"}, want: BadDecile},
		{name: "decile 11", set: map[string]string{"desil": "11"}, want: BadDecile},
		{name: "decile 1.0", set: map[string]string{"desil": "1.0"}, want: BadDecile},
		{name: "decile -1", set: map[string]string{"desil": "-1"}, want: BadDecile},
		{name: "decile word", set: map[string]string{"desil": "satu"}, want: BadDecile},
		{name: "decile trimmed", set: map[string]string{"desil": " 10\t"}},
		{name: "no desil column", header: without(fullHeader, "desil")},

		// jenis_kelamin
		{name: "sex L", set: map[string]string{"jenis_kelamin": "L"}},
		{name: "sex p", set: map[string]string{"jenis_kelamin": "p"}},
		{name: "sex disagrees with NIK", set: map[string]string{"jenis_kelamin": "L"}},
		{name: "sex M", set: map[string]string{"jenis_kelamin": "M"}, want: BadSex},
		{name: "sex word", set: map[string]string{"jenis_kelamin": "Perempuan"}, want: BadSex},
		{name: "sex LP", set: map[string]string{"jenis_kelamin": "LP"}, want: BadSex},
		{name: "sex trimmed", set: map[string]string{"jenis_kelamin": " P "}},

		// tanggal_lahir
		{name: "birth given", set: map[string]string{"tanggal_lahir": "1985-08-15"}},
		{name: "birth disagrees with NIK", set: map[string]string{"tanggal_lahir": "1990-01-01"}},
		{name: "birth 29 Feb leap", set: map[string]string{"tanggal_lahir": "1984-02-29"}},
		{name: "birth 29 Feb not leap", set: map[string]string{"tanggal_lahir": "1985-02-29"}, want: BadBirthdate},
		{name: "birth DD-MM-YYYY", set: map[string]string{"tanggal_lahir": "15-08-1985"}, want: BadBirthdate},
		{name: "birth junk", set: map[string]string{"tanggal_lahir": "-"}, want: BadBirthdate},
		{name: "only required columns", header: without(fullHeader, "komponen", "tanggal_salur", "desil", "jenis_kelamin", "tanggal_lahir"), set: map[string]string{"program": "BLT", "status": "RETUR"}},

		// precedence: the first failing column in table order wins
		{name: "bad id and bad nik", set: map[string]string{"id_transaksi": "", "nik": "1"}, want: BadID},
		{name: "bad nik and unknown region", set: map[string]string{"nik": "1", "kode_wilayah": "1"}, want: BadNIK},
		{name: "bad kk and missing name", set: map[string]string{"no_kk": "1", "nama": ""}, want: BadKK},
		{name: "missing name and unknown region", set: map[string]string{"nama": "", "kode_wilayah": "1"}, want: MissingName},
		{name: "unknown region and bad program", set: map[string]string{"kode_wilayah": "1", "program": "X"}, want: UnknownRegion},
		{name: "bad program and bad period", set: map[string]string{"program": "X", "periode": "X"}, want: BadProgram},
		{name: "bad component and bad period", set: map[string]string{"komponen": "X", "periode": "X"}, want: BadComponent},
		{name: "bad period and bad amount", set: map[string]string{"periode": "X", "nominal": "X"}, want: BadPeriod},
		{name: "bad amount and missing date", set: map[string]string{"nominal": "X", "tanggal_salur": ""}, want: BadAmount},
		{name: "bad date and bad channel", set: map[string]string{"tanggal_salur": "X", "penyalur": "X"}, want: BadDate},
		{name: "bad status and bad channel", set: map[string]string{"status": "X", "penyalur": "X"}, want: BadStatus},
		{name: "bad channel and bad decile", set: map[string]string{"penyalur": "X", "desil": "X"}, want: BadChannel},
		{name: "bad decile and bad sex", set: map[string]string{"desil": "X", "jenis_kelamin": "X"}, want: BadDecile},
		{name: "bad sex and bad birth", set: map[string]string{"jenis_kelamin": "X", "tanggal_lahir": "X"}, want: BadSex},
		{name: "everything bad", set: map[string]string{"id_transaksi": "#", "nik": "#", "no_kk": "#", "nama": "", "kode_wilayah": "#", "program": "#", "periode": "#", "nominal": "#", "tanggal_salur": "#", "status": "#", "penyalur": "#", "desil": "#", "jenis_kelamin": "#", "tanggal_lahir": "#"}, want: BadID},
	}
	seen := map[Reason]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			if header == nil {
				header = fullHeader
			}
			cols := mustHeader(t, header)
			vals := validRow()
			for k, x := range tt.set {
				vals[k] = x
			}
			fields := record(header, vals)
			switch {
			case tt.extra > 0:
				for range tt.extra {
					fields = append(fields, []byte("x"))
				}
			case tt.extra < 0:
				fields = fields[:len(fields)+tt.extra]
			}
			row := Row{Line: 42}
			got, content := v.Validate(fields, &cols, &row, nil)
			if got != tt.want {
				t.Fatalf("Validate = %v, want %v", got, tt.want)
			}
			if row.Line != 42 {
				t.Errorf("Line = %d, want it kept", row.Line)
			}
			if got == ReasonNone && bytes.Count(content, []byte{contentSep}) < 15 {
				t.Errorf("content %q has too few separators", content)
			}
			seen[got] = true
		})
	}
	for r := ReasonNone; r < ConflictingDuplicateID; r++ {
		if !seen[r] {
			t.Errorf("no test case for %v", r)
		}
	}
}

// TestValidateRow checks what Validate fills in on well-formed rows.
func TestValidateRow(t *testing.T) {
	v := NewValidator(region.Default())
	tab := region.Default()
	_, katapang, _ := tab.IDOf("32.04.11")
	date := func(s string) Date {
		d, ok := ParseDate([]byte(s))
		if !ok {
			t.Fatalf("bad test date %q", s)
		}
		return d
	}
	tests := []struct {
		name string
		set  map[string]string
		want Row
	}{
		{
			name: "woman, PKH, quarter, sex and birth from the NIK",
			want: Row{
				ID: []byte("TRX-2025.000001_a"), NIK: [16]byte([]byte(nikWoman)), KK: [16]byte([]byte("3204110101200001")),
				Village: []byte("3204112001"), District: int32(katapang), Program: PKH, Component: SD,
				Period: MakeQuarter(2025, 2), PeriodStart: date("2025-04-01"), QuarterStart: date("2025-04-01"),
				Nominal: 225000, Status: Salur, Channel: BRI, Decile: 2, Sex: Female, Birth: date("1985-08-15"),
			},
		},
		{
			name: "man, monthly period, given sex and birth, undotted region, lower-case enums",
			set: map[string]string{
				"id_transaksi": " T1 ", "nik": nikMan, "kode_wilayah": "3204112001", "program": "pbi_jk", "komponen": "",
				"periode": "2025-05", "nominal": "0000", "status": "gagal", "tanggal_salur": "", "penyalur": "bsi",
				"desil": "10", "jenis_kelamin": "p", "tanggal_lahir": "1990-01-31",
			},
			want: Row{
				ID: []byte("T1"), NIK: [16]byte([]byte(nikMan)), KK: [16]byte([]byte("3204110101200001")),
				Village: []byte("3204112001"), District: int32(katapang), Program: PBIJK,
				Period: MakeQuarter(2025, 2), PeriodStart: date("2025-05-01"), QuarterStart: date("2025-04-01"),
				Nominal: 0, Status: Gagal, Channel: BSI, Decile: 10, Sex: Female, Birth: date("1990-01-31"),
			},
		},
		{
			name: "December, maximum nominal, no decile, young NIK",
			set: map[string]string{
				"nik": "3204110101100001", "program": "PENA", "komponen": "", "periode": "2025-12", "nominal": "0100000000",
				"status": "RETUR", "penyalur": "pos", "desil": "", "jenis_kelamin": "L",
			},
			want: Row{
				ID: []byte("TRX-2025.000001_a"), NIK: [16]byte([]byte("3204110101100001")), KK: [16]byte([]byte("3204110101200001")),
				Village: []byte("3204112001"), District: int32(katapang), Program: PENA,
				Period: MakeQuarter(2025, 4), PeriodStart: date("2025-12-01"), QuarterStart: date("2025-10-01"),
				Nominal: 100000000, Status: Retur, Channel: POS, Sex: Male, Birth: date("2010-01-01"),
			},
		},
	}
	cols := mustHeader(t, fullHeader)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := validRow()
			for k, x := range tt.set {
				vals[k] = x
			}
			var row Row
			if r, _ := v.Validate(record(fullHeader, vals), &cols, &row, nil); r != ReasonNone {
				t.Fatalf("Validate = %v", r)
			}
			if !equalRow(row, tt.want) {
				t.Errorf("row =\n%+v\nwant\n%+v", row, tt.want)
			}
		})
	}
}

func equalRow(a, b Row) bool {
	if !bytes.Equal(a.ID, b.ID) || !bytes.Equal(a.Village, b.Village) {
		return false
	}
	a.ID, a.Village, b.ID, b.Village = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

// TestValidateQuarantinedPeriod: the quality report is published per
// period, so a quarantined row still says its period when it has one.
func TestValidateQuarantinedPeriod(t *testing.T) {
	v := NewValidator(region.Default())
	cols := mustHeader(t, fullHeader)
	tests := []struct {
		name  string
		set   map[string]string
		extra bool
		want  Reason
		q     Quarter
	}{
		{"bad NIK, good period", map[string]string{"nik": "1", "periode": "2025-05"}, false, BadNIK, MakeQuarter(2025, 2)},
		{"bad id, good period", map[string]string{"id_transaksi": "", "periode": "2024-q4"}, false, BadID, MakeQuarter(2024, 4)},
		{"bad sex, good period", map[string]string{"jenis_kelamin": "X", "periode": "2025-01"}, false, BadSex, MakeQuarter(2025, 1)},
		{"bad period", map[string]string{"periode": "2025-13"}, false, BadPeriod, 0},
		{"bad NIK, bad period", map[string]string{"nik": "1", "periode": "0000-Q1"}, false, BadNIK, 0},
		{"field count", nil, true, BadFieldCount, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := validRow()
			for k, x := range tt.set {
				vals[k] = x
			}
			fields := record(fullHeader, vals)
			if tt.extra {
				fields = append(fields, nil)
			}
			row := Row{Period: 99, Nominal: 5} // leftovers of an earlier row
			r, _ := v.Validate(fields, &cols, &row, nil)
			if r != tt.want || row.Period != tt.q {
				t.Errorf("Validate = %v, period %d; want %v, period %d", r, row.Period, tt.want, tt.q)
			}
		})
	}
}

// TestValidateContent checks which differences make two rows' content
// differ (spec §3, "replayed").
func TestValidateContent(t *testing.T) {
	v := NewValidator(region.Default())
	withExtra := append(append([]string{}, fullHeader...), "catatan")
	reordered := []string{"tanggal_lahir", "jenis_kelamin", "desil", "penyalur", "status", "tanggal_salur", "nominal", "periode", "komponen", "program", "kode_wilayah", "nama", "no_kk", "nik", "id_transaksi"}
	onlyRequired := without(fullHeader, "komponen", "tanggal_salur", "desil", "jenis_kelamin", "tanggal_lahir")
	blt := map[string]string{"program": "BLT", "komponen": "", "tanggal_salur": "", "status": "GAGAL", "desil": "", "jenis_kelamin": "", "tanggal_lahir": ""}
	type side struct {
		header []string
		set    map[string]string
	}
	tests := []struct {
		name  string
		a, b  side
		equal bool
	}{
		{"same row", side{}, side{}, true},
		{"nominal 0100 and 100", side{set: map[string]string{"nominal": "0100"}}, side{set: map[string]string{"nominal": "100"}}, true},
		{"nominal 0 and 000", side{set: map[string]string{"nominal": "0"}}, side{set: map[string]string{"nominal": "000"}}, true},
		{"nominal 100 and 1000", side{set: map[string]string{"nominal": "100"}}, side{set: map[string]string{"nominal": "1000"}}, false},
		{"program pkh and PKH", side{set: map[string]string{"program": "pkh"}}, side{set: map[string]string{"program": "PKH"}}, true},
		{"enums in any case", side{set: map[string]string{"komponen": "sd", "status": "Salur", "penyalur": "bri", "jenis_kelamin": "p"}}, side{set: map[string]string{"jenis_kelamin": "P"}}, true},
		{"periode 2025-q2 and 2025-Q2", side{set: map[string]string{"periode": "2025-q2"}}, side{}, true},
		{"periode 2025-Q2 and 2025-04", side{set: map[string]string{"periode": "2025-04"}}, side{}, false},
		{"name case differs", side{set: map[string]string{"nama": "SITI AMINAH"}}, side{}, false},
		{"name spacing inside differs", side{set: map[string]string{"nama": "Siti  Aminah"}}, side{}, false},
		{"name trimmed", side{set: map[string]string{"nama": "\t Siti Aminah  "}}, side{}, true},
		{"everything padded", side{set: padAll(validRow())}, side{}, true},
		{"extra column differs", side{header: withExtra, set: map[string]string{"catatan": "satu"}}, side{header: withExtra, set: map[string]string{"catatan": "dua"}}, true},
		{"extra column or none", side{header: withExtra, set: map[string]string{"catatan": "satu"}}, side{}, true},
		{"columns reordered", side{header: reordered}, side{}, true},
		{"region dotted or not", side{set: map[string]string{"kode_wilayah": "3204112001"}}, side{}, true},
		{"region differs", side{set: map[string]string{"kode_wilayah": "32.04.11.2002"}}, side{}, false},
		{"absent optional columns or empty ones", side{header: onlyRequired, set: blt}, side{set: blt}, true},
		{"sex empty or derived value given", side{set: map[string]string{"jenis_kelamin": "P"}}, side{}, false},
		{"birth empty or derived value given", side{set: map[string]string{"tanggal_lahir": "1985-08-15"}}, side{}, false},
		{"decile differs", side{set: map[string]string{"desil": "3"}}, side{}, false},
		{"decile empty", side{set: map[string]string{"desil": ""}}, side{}, false},
		{"date differs", side{set: map[string]string{"tanggal_salur": "2025-04-15"}}, side{}, false},
		{"component differs", side{set: map[string]string{"komponen": "SMP"}}, side{}, false},
		{"id case differs", side{set: map[string]string{"id_transaksi": "trx-2025.000001_A"}}, side{}, false},
		{"kk differs", side{set: map[string]string{"no_kk": "3204110101200002"}}, side{}, false},
		{"nik differs", side{set: map[string]string{"nik": nikMan}}, side{}, false},
		// A name with the separator in it must not pass for a shift of
		// columns.
		{"separator in name", side{set: map[string]string{"nama": "A\x1fB"}}, side{set: map[string]string{"nama": "A"}}, false},
		{"name and desil shift", side{set: map[string]string{"nama": "Siti\x1f2", "desil": ""}}, side{set: map[string]string{"nama": "Siti", "desil": "2"}}, false},
	}
	content := func(s side) []byte {
		t.Helper()
		header := s.header
		if header == nil {
			header = fullHeader
		}
		cols := mustHeader(t, header)
		vals := validRow()
		for k, x := range s.set {
			vals[k] = x
		}
		var row Row
		r, c := v.Validate(record(header, vals), &cols, &row, []byte("prefix"))
		if r != ReasonNone {
			t.Fatalf("Validate = %v", r)
		}
		if !bytes.HasPrefix(c, []byte("prefix")) {
			t.Fatalf("content %q does not extend its buffer", c)
		}
		return c[len("prefix"):]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := content(tt.a), content(tt.b)
			if bytes.Equal(a, b) != tt.equal {
				t.Errorf("content equal = %v, want %v\n a: %q\n b: %q", !tt.equal, tt.equal, a, b)
			}
		})
	}
	// The encoding is stored (as what "seen" rows were): pin it.
	want := "TRX-2025.000001_a\x1f3204115508850002\x1f3204110101200001\x1f\x0bSiti Aminah\x1f3204112001\x1fPKH\x1fSD\x1f2025-Q2\x1f225000\x1f2025-04-14\x1fSALUR\x1fBRI\x1f2\x1f\x1f\x1f"
	if got := content(side{set: map[string]string{"program": "pkh", "periode": "2025-q2"}}); string(got) != want {
		t.Errorf("content = %q, want %q", got, want)
	}
}

// padAll surrounds every value with spaces and tabs.
func padAll(vals map[string]string) map[string]string {
	for k, x := range vals {
		vals[k] = " \t" + x + "\t "
	}
	return vals
}

func TestValidateDoesNotAllocate(t *testing.T) {
	v := NewValidator(region.Default())
	cols := mustHeader(t, fullHeader)
	rows := [][][]byte{record(fullHeader, validRow())}
	other := validRow()
	other["kode_wilayah"] = "3204112001"
	other["program"] = "sembako"
	other["komponen"] = ""
	other["jenis_kelamin"] = "L"
	other["tanggal_lahir"] = "1985-08-15"
	rows = append(rows, record(fullHeader, other))
	bad := validRow()
	bad["nik"] = "x"
	rows = append(rows, record(fullHeader, bad))
	content := make([]byte, 0, 512)
	var row Row
	for _, fields := range rows {
		n := testing.AllocsPerRun(1000, func() {
			_, content = v.Validate(fields, &cols, &row, content[:0])
		})
		if n != 0 {
			t.Errorf("Validate allocates %v times per row", n)
		}
	}
}

func TestMapHeader(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   map[string]int // column → index; others must be -1
		err    string
	}{
		{
			name:   "table order",
			header: fullHeader,
			want: map[string]int{"id_transaksi": 0, "nik": 1, "no_kk": 2, "nama": 3, "kode_wilayah": 4, "program": 5, "komponen": 6, "periode": 7,
				"nominal": 8, "tanggal_salur": 9, "status": 10, "penyalur": 11, "desil": 12, "jenis_kelamin": 13, "tanggal_lahir": 14},
		},
		{
			name:   "any order, case and padding, extras ignored",
			header: []string{"Catatan", " PENYALUR", "Status\t", "NOMINAL", "periode", "Program", "Kode_Wilayah", "NAMA", "No_KK", "NIK", " ID_Transaksi ", "", "id"},
			want:   map[string]int{"penyalur": 1, "status": 2, "nominal": 3, "periode": 4, "program": 5, "kode_wilayah": 6, "nama": 7, "no_kk": 8, "nik": 9, "id_transaksi": 10},
		},
		{
			name:   "byte order mark on the first name",
			header: append([]string{"\ufeffid_transaksi"}, fullHeader[1:]...),
			want: map[string]int{"id_transaksi": 0, "nik": 1, "no_kk": 2, "nama": 3, "kode_wilayah": 4, "program": 5, "komponen": 6, "periode": 7,
				"nominal": 8, "tanggal_salur": 9, "status": 10, "penyalur": 11, "desil": 12, "jenis_kelamin": 13, "tanggal_lahir": 14},
		},
		{
			name:   "one missing",
			header: without(fullHeader, "nominal"),
			err:    `missing required column "nominal"`,
		},
		{
			name:   "several missing, in table order",
			header: without(fullHeader, "penyalur", "nik", "komponen", "status"),
			err:    `missing required columns "nik", "status", "penyalur"`,
		},
		{
			name:   "empty header",
			header: []string{},
			err:    `missing required columns "id_transaksi", "nik", "no_kk", "nama", "kode_wilayah", "program", "periode", "nominal", "status", "penyalur"`,
		},
		{
			name:   "a name with an inner space is another column",
			header: append(without(fullHeader, "no_kk"), "no kk"),
			err:    `missing required column "no_kk"`,
		},
		{
			name:   "Kelvin sign is no k",
			header: append(without(fullHeader, "no_kk"), "no_\u212ak"),
			err:    `missing required column "no_kk"`,
		},
		{
			name:   "duplicate",
			header: append(append([]string{}, fullHeader...), " NIK"),
			err:    `duplicate column "nik"`,
		},
		{
			name:   "duplicate optional",
			header: append(append([]string{}, fullHeader...), "desil", "DESIL", "nama"),
			err:    `duplicate columns "desil", "nama"`,
		},
		{
			name:   "missing and duplicate",
			header: append(without(fullHeader, "nominal"), "status"),
			err:    `missing required column "nominal"; duplicate column "status"`,
		},
		{
			name:   "duplicate extras are fine",
			header: append(append([]string{}, fullHeader...), "catatan", "catatan"),
			want: map[string]int{"id_transaksi": 0, "nik": 1, "no_kk": 2, "nama": 3, "kode_wilayah": 4, "program": 5, "komponen": 6, "periode": 7,
				"nominal": 8, "tanggal_salur": 9, "status": 10, "penyalur": 11, "desil": 12, "jenis_kelamin": 13, "tanggal_lahir": 14},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := make([][]byte, len(tt.header))
			for i, s := range tt.header {
				h[i] = []byte(s)
			}
			cols, err := MapHeader(h)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("MapHeader error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("MapHeader: %v", err)
			}
			if cols.N != len(tt.header) {
				t.Errorf("N = %d, want %d", cols.N, len(tt.header))
			}
			slots := cols.slots()
			for k, c := range inputColumns {
				want, ok := tt.want[c.name]
				if !ok {
					want = -1
				}
				if *slots[k] != want {
					t.Errorf("column %s at %d, want %d", c.name, *slots[k], want)
				}
			}
		})
	}
}

// FuzzValidate feeds records split at commas, under a few headers.
// Validate must never panic; a row it accepts must fill a consistent Row,
// and its content must be stable: the same on a second run, and the same
// again when every value is padded and the enumerations change case.
func FuzzValidate(f *testing.F) {
	headers := [][]string{
		fullHeader,
		{"tanggal_lahir", "jenis_kelamin", "desil", "penyalur", "status", "tanggal_salur", "nominal", "periode", "komponen", "program", "kode_wilayah", "nama", "no_kk", "nik", "id_transaksi", "catatan"},
		without(fullHeader, "komponen", "tanggal_salur", "desil", "jenis_kelamin", "tanggal_lahir"),
	}
	join := func(h []string, vals map[string]string) string {
		var parts []string
		for _, c := range h {
			parts = append(parts, vals[c])
		}
		return strings.Join(parts, ",")
	}
	f.Add(join(fullHeader, validRow()), uint8(0))
	blt := validRow()
	blt["program"], blt["komponen"], blt["status"], blt["catatan"] = "blt", "", "retur", "x"
	for i, h := range headers {
		f.Add(join(h, blt), uint8(i))
	}
	other := validRow()
	other["nominal"], other["kode_wilayah"], other["periode"], other["desil"], other["jenis_kelamin"], other["tanggal_lahir"] = "000100", "3204112001", "2025-q3", "10", "l", "2000-02-29"
	f.Add(join(fullHeader, other), uint8(0))
	f.Add(",,,,,,,,,,,,,,", uint8(0))
	f.Add("", uint8(2))

	tab := region.Default()
	v := NewValidator(tab)
	var cols [3]Columns
	for i, h := range headers {
		cols[i] = mustHeader(f, h)
	}
	f.Fuzz(func(t *testing.T, line string, which uint8) {
		c := &cols[int(which)%len(cols)]
		var fields [][]byte
		for _, s := range strings.Split(line, ",") {
			fields = append(fields, []byte(s))
		}
		var row Row
		r, content := v.Validate(fields, c, &row, nil)
		if r != ReasonNone {
			if !r.IsQuarantine() || r == ConflictingDuplicateID || r == ClosedPeriod {
				t.Fatalf("Validate = %v", r)
			}
			return
		}
		content = bytes.Clone(content)

		// A consistent row.
		if !ValidNIK(row.NIK[:], tab) || !ValidKK(row.KK[:]) || len(row.ID) == 0 || len(row.ID) > 64 {
			t.Fatalf("accepted row with bad identity: %+v", row)
		}
		if d, ok := tab.VillageDistrict(row.Village); !ok || len(row.Village) != 10 || int32(d) != row.District {
			t.Fatalf("accepted row with village %q, district %d", row.Village, row.District)
		}
		if row.Program == ProgramNone || (row.Program == PKH) != (row.Component != ComponentNone) ||
			row.Status == StatusNone || row.Channel == ChannelNone || row.Sex == SexNone || row.Decile > 10 ||
			row.Nominal < 0 || row.Nominal > 100_000_000 || row.Period == 0 ||
			row.QuarterStart > row.PeriodStart || row.PeriodStart-row.QuarterStart > 62 {
			t.Fatalf("accepted inconsistent row %+v", row)
		}
		if y, m, d := row.QuarterStart.YMD(); y != row.Period.Year() || m != 3*row.Period.Q()-2 || d != 1 {
			t.Fatalf("quarter start %s of quarter %d-Q%d", row.QuarterStart, row.Period.Year(), row.Period.Q())
		}

		// Stable content: again, and padded with enumerations re-cased.
		var row2 Row
		if r2, c2 := v.Validate(fields, c, &row2, nil); r2 != ReasonNone || !bytes.Equal(c2, content) {
			t.Fatalf("second run: %v, %q; first %q", r2, c2, content)
		}
		padded := make([][]byte, len(fields))
		for i, fl := range fields {
			x := []byte(" \t" + string(fl) + "\t ")
			if i != c.Nama && i != c.IDTransaksi {
				x = bytes.Map(swapCase, x)
			}
			padded[i] = x
		}
		if r3, c3 := v.Validate(padded, c, &row2, nil); r3 != ReasonNone || !bytes.Equal(c3, content) {
			t.Fatalf("padded and re-cased: %v, %q; first %q", r3, c3, content)
		}
	})
}

func swapCase(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r >= 'A' && r <= 'Z':
		return r - 'A' + 'a'
	}
	return r
}

// BenchmarkValidate measures one well-formed row, the common case, and a
// mix of forms.
func BenchmarkValidate(b *testing.B) {
	v := NewValidator(region.Default())
	cols := mustHeader(b, fullHeader)
	a := validRow()
	c := validRow()
	c["kode_wilayah"], c["program"], c["komponen"], c["status"], c["tanggal_salur"] = "3204112001", "sembako", "", "gagal", ""
	c["jenis_kelamin"], c["tanggal_lahir"], c["nominal"] = "P", "1985-08-15", "000200000"
	for _, bb := range []struct {
		name string
		rows [][][]byte
	}{
		{"valid", [][][]byte{record(fullHeader, a)}},
		{"mixed", [][][]byte{record(fullHeader, a), record(fullHeader, c)}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			content := make([]byte, 0, 512)
			var row Row
			i := 0
			for b.Loop() {
				var r Reason
				r, content = v.Validate(bb.rows[i], &cols, &row, content[:0])
				if r != ReasonNone {
					b.Fatal(r)
				}
				if i++; i == len(bb.rows) {
					i = 0
				}
			}
		})
	}
}
