package pages

import (
	"bytes"
	"context"
	"encoding/csv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// TestChartsCarryTheirExports builds every chart of the site from the
// release fixture and checks what its downloads need: a name that says
// what it is, its release, and data in which every plotted value has its
// category's code, its series and unit, and a withheld value is empty,
// never 0; the CSV reads back row for row.
func TestChartsCarryTheirExports(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	ctx := context.Background()
	l := s.Cat.For(i18n.ID)
	rel, err := s.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	per := rel.Periods[len(rel.Periods)-1]
	h, err := s.headlineOf(ctx, rel, per)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.homeCharts(ctx, l, rel, h, mapSelection{Program: "SEMBAKO", Measure: "penerima"}, "http://example.com")
	if err != nil {
		t.Fatal(err)
	}
	// A map with withheld provinces, if the fixture has one.
	for _, prog := range []string{"PENA", "ATENSI", "BLT"} {
		m, _, err := s.provinceMap(ctx, l, rel, mapSelection{Program: prog, Measure: "penerima"})
		if err != nil {
			t.Fatal(err)
		}
		if m != nil && slices.ContainsFunc(m.Data, func(d charts.Datum) bool { return d.Withheld }) {
			all = append(all, *m)
			break
		}
	}
	kc, pc := regionChartsOf(t, s, rel, "32.73", regionFilter{Periode: per, Program: "SEMBAKO"})
	all = append(all, kc, pc)
	if kc.Name != "penerima-per-kecamatan-sembako-kota-bandung-"+strings.ToLower(per) {
		t.Errorf("region chart name %q", kc.Name)
	}

	slug := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	code := regexp.MustCompile(`^([0-9]{2}(\.[0-9]{2}){0,2}|[0-9]{4}-Q[1-4]|[A-Z_]+|[a-z]+)$`)
	withheldSeen := false
	for _, cv := range all {
		t.Run(cv.ID, func(t *testing.T) {
			if !slug.MatchString(cv.Name) || cv.Release != rel.Number || cv.Subtitle == "" {
				t.Errorf("name %q, release %d, subtitle %q", cv.Name, cv.Release, cv.Subtitle)
			}
			if cv.Filename(".png") != cv.Name+"-rilis-"+strconv.Itoa(rel.Number)+".png" {
				t.Errorf("filename %q", cv.Filename(".png"))
			}
			if len(cv.Data) == 0 && len(cv.Rows) > 0 {
				t.Fatal("no data")
			}
			for _, d := range cv.Data {
				if !code.MatchString(d.Code) || d.Label == "" || d.Series == "" || d.Unit == "" {
					t.Errorf("datum %+v", d)
				}
				if d.Withheld != (d.Value == "") || strings.ContainsAny(d.Value, ", ") {
					t.Errorf("datum %+v: a withheld value is empty, any other plain", d)
				}
				withheldSeen = withheldSeen || d.Withheld
			}
			var b bytes.Buffer
			if err := cv.WriteCSV(&b); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&b).ReadAll()
			if err != nil || len(recs) != len(cv.Data)+1 {
				t.Fatalf("CSV: %d records for %d values (%v)", len(recs), len(cv.Data), err)
			}
			for i, d := range cv.Data {
				if recs[i+1][0] != d.Code || recs[i+1][3] != d.Value || (recs[i+1][5] == "1") != d.Withheld {
					t.Errorf("row %q for %+v", recs[i+1], d)
				}
			}
		})
	}
	if !withheldSeen {
		t.Error("no chart of the fixture has a withheld value: the test sees too little")
	}
}
