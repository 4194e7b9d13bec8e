package charts

import (
	"slices"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// A withheld bar is a gap and "—", never 0; a partial sum is "≥ n"; the
// raw table (the chart's CSV) keeps plain numbers and "" where withheld.
func TestBarWithheldAndPartial(t *testing.T) {
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.For(i18n.EN)
	pts := []Point{{Label: "a", V: 5}, {Label: "b", Withheld: true}, {Label: "c", V: 40, Partial: true}}
	SortPoints(pts)
	if got := []string{pts[0].Label, pts[1].Label, pts[2].Label}; !slices.Equal(got, []string{"c", "a", "b"}) {
		t.Errorf("sorted %v, want largest first, withheld last", got)
	}
	cv, err := Bar(l, BarSpec{ID: "x", Head: [2]string{"name", "families"}, Format: l.Int}, pts)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"c", "≥ 40"}, {"a", "5"}, {"b", "—"}}
	for i, r := range want {
		if !slices.Equal(cv.Rows[i], r) {
			t.Errorf("row %d = %v, want %v", i, cv.Rows[i], r)
		}
	}
	if d := cv.Data; len(d) != 3 || d[2].Value != "" || !d[2].Withheld || d[0].Value != "40" || !d[0].Partial {
		t.Errorf("plotted data %+v", cv.Data)
	}
	opt := string(cv.Option)
	if !strings.Contains(opt, `"-"`) || !strings.Contains(opt, `"opacity":0.45`) {
		t.Errorf("option lacks the gap or the pale partial bar: %s", opt)
	}
	if cv.Note == "" {
		t.Error("no note on a chart with withheld and partial bars")
	}
}
