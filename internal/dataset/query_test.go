package dataset

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/apperr"
)

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		ds      *Dataset
		query   string
		paged   bool
		code    string // expected error code, "" for success
		filters string // canonical form on success
		limit   int
	}{
		{Penyaluran, "periode=2025-q1&program=pkh,SEMBAKO&tingkat=provinsi", false, "", "periode=2025-Q1&program=PKH,SEMBAKO&tingkat=provinsi", 0},
		{Penyaluran, "program=PKH&program=PKH,pkh", false, "", "program=PKH", 0},
		{Penyaluran, "komponen=-&kode_wilayah=3204", false, "", "kode_wilayah=32.04&komponen=", 0},
		{Penyaluran, "program=&periode=&lang=en&bom=1", false, "", "", 0},
		{Penyaluran, "sort=-penerima,kode_wilayah", false, "", "sort=-penerima,kode_wilayah", 0},
		{Penyaluran, "warna=merah", false, "unknown_filter", "", 0},
		{Penyaluran, "penerima=5", false, "unknown_filter", "", 0},
		{Penyaluran, "periode=2025-13", false, "bad_period", "", 0},
		{Penyaluran, "periode=0000-Q1", false, "bad_period", "", 0},
		{Penyaluran, "program=XYZ", false, "bad_value", "", 0},
		{Penyaluran, "program=-", false, "bad_value", "", 0},
		{Penyaluran, "kode_wilayah=32.0411", false, "bad_region", "", 0},
		{Penyaluran, "kode_wilayah=99", false, "unknown_region", "", 0},
		{Penyaluran, "kode_wilayah=32.04.11.2001", false, "unknown_region", "", 0},
		{Penyaluran, "sort=warna", false, "bad_sort", "", 0},
		{Penyaluran, "", true, "", "", DefaultLimit},
		{Penyaluran, "limit=10000", true, "", "", 10000},
		{Penyaluran, "limit=10001", true, "bad_limit", "", 0},
		{Penyaluran, "limit=0", true, "bad_limit", "", 0},
		{Penyaluran, "limit=abc", true, "bad_limit", "", 0},
		{Penyaluran, "cursor=!!", true, "bad_cursor", "", 0},
		{Kualitas, "periode=-&alasan=bad_nik", false, "", "alasan=BAD_NIK&periode=", 0},
		{Ketepatan, "tingkat=kecamatan", false, "bad_value", "", 0},
		{Wilayah, "tingkat=provinsi", false, "", "tingkat=provinsi", 0},
	} {
		v, _ := url.ParseQuery(tc.query)
		q, err := ParseQuery(tc.ds, v, tc.paged)
		var qe *apperr.Error
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%s?%s: %v", tc.ds.Slug, tc.query, err)
		case tc.code != "" && (!errors.As(err, &qe) || qe.Code != tc.code):
			t.Errorf("%s?%s: error %v, want code %s", tc.ds.Slug, tc.query, err, tc.code)
		case tc.code != "" && (qe.Msg.ID == "" || qe.Msg.EN == "" || qe.Msg.ID == qe.Msg.EN):
			t.Errorf("%s?%s: message not in both languages: %+v", tc.ds.Slug, tc.query, qe.Msg)
		case tc.code == "":
			if got := q.Canonical(); got != tc.filters {
				t.Errorf("%s?%s: canonical %q, want %q", tc.ds.Slug, tc.query, got, tc.filters)
			}
			if q.Limit != tc.limit {
				t.Errorf("%s?%s: limit %d, want %d", tc.ds.Slug, tc.query, q.Limit, tc.limit)
			}
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, off := range []int{0, 1, 100, 1 << 30} {
		v := url.Values{"cursor": {EncodeCursor(off)}}
		q, err := ParseQuery(Penyaluran, v, true)
		if err != nil || q.Offset != off {
			t.Errorf("offset %d: %d %v", off, q.Offset, err)
		}
	}
}

// FuzzParseQuery feeds arbitrary query strings: the parser never panics,
// and what it accepts is only known columns with allowed values, so the
// SQL it builds names only registry columns and binds every value.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"periode=2025-Q1&program=PKH", "kode_wilayah=32.04&sort=-penerima", "limit=5&cursor=eyJvIjo1fQ", "komponen=-", "x=%00", "periode=2025-Q1,2025-Q2;DROP"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, ds := range All {
			q, err := ParseQuery(ds, v, true)
			if err != nil {
				var qe *apperr.Error
				if !errors.As(err, &qe) {
					t.Fatalf("non-apperr.Error %v", err)
				}
				continue
			}
			for col, vals := range q.Filters {
				c, ok := ds.Column(col)
				if !ok || !c.Dimension {
					t.Fatalf("accepted filter %q", col)
				}
				for _, val := range vals {
					if len(c.Values) > 0 && !slices.Contains(c.Values, val) {
						t.Fatalf("accepted value %q for %s", val, col)
					}
				}
			}
			if ds.Table != "" {
				stmt, args := q.SQL()
				if strings.Count(stmt, "?") != len(args) {
					t.Fatalf("placeholders %d, args %d", strings.Count(stmt, "?"), len(args))
				}
				for _, val := range vals(q) {
					if strings.Contains(stmt, val) && val != "" && len(val) > 3 {
						// Values travel as arguments, never in the SQL text
						// (a short value may coincide with a keyword).
						if !strings.Contains(strings.Join(ds.ColumnNames(), " "), val) {
							t.Fatalf("value %q appears in the SQL text", val)
						}
					}
				}
			}
		}
	})
}

func vals(q *Query) []string {
	var out []string
	for _, vs := range q.Filters {
		out = append(out, vs...)
	}
	return out
}
