package charts

import (
	"encoding/json"
	"slices"
	"strconv"
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

// TestLongListsLieAcross: up to LongList categories stand side by side;
// more are laid across, one row each, top to bottom in the given order,
// with a height that grows with the rows, their withheld stubs and the
// 100 % line turned with them.
func TestLongListsLieAcross(t *testing.T) {
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.For(i18n.ID)
	type axis struct {
		Type    string
		Data    []string
		Inverse bool
	}
	type option struct {
		XAxis  []axis `json:"xAxis"`
		YAxis  []axis `json:"yAxis"`
		Series []struct {
			MarkLine  struct{ Data []map[string]any }
			MarkPoint struct {
				Data []struct {
					Coord   []any
					Ditekan bool
				}
			}
		}
	}
	for _, n := range []int{LongList, LongList + 1, 38} {
		pts := make([]Point, n)
		for i := range pts {
			pts[i] = Point{Code: strconv.Itoa(i), Label: "Provinsi " + strconv.Itoa(i), V: int64(100 - i)}
		}
		pts[n-1].Withheld = true
		cv, err := Bar(l, BarSpec{ID: "x", Head: [2]string{"wilayah", "persen"}, Format: l.Int, Rotate: true, Line: 100, LineLabel: "100 %"}, pts)
		if err != nil {
			t.Fatal(err)
		}
		var o option
		if err := json.Unmarshal([]byte(cv.Option), &o); err != nil {
			t.Fatal(err)
		}
		across := n > LongList
		cats, vals := o.XAxis[0], o.YAxis[0]
		if across {
			cats, vals = o.YAxis[0], o.XAxis[0]
		}
		if cats.Type != "category" || vals.Type != "value" || len(cats.Data) != n || cats.Data[0] != "Provinsi 0" {
			t.Errorf("%d bars: categories %+v, values %+v", n, cats, vals)
		}
		if across != cats.Inverse || across != (cv.Height == 48+24*n) {
			t.Errorf("%d bars: across %v, inverse %v, height %d", n, across, cats.Inverse, cv.Height)
		}
		line := o.Series[0].MarkLine.Data
		key := map[bool]string{true: "xAxis", false: "yAxis"}[across]
		if len(line) != 1 || line[0][key] != 100.0 {
			t.Errorf("%d bars: the 100 %% line is %v, want on %s", n, line, key)
		}
		stubs := o.Series[0].MarkPoint.Data
		at := map[bool]int{true: 1, false: 0}[across]
		if len(stubs) != 1 || !stubs[0].Ditekan || stubs[0].Coord[at] != float64(n-1) {
			t.Errorf("%d bars: withheld stub %+v", n, stubs)
		}
	}
}
