package charts

import (
	"math"
	"strconv"
	"testing"

	"github.com/portal-data-bansos/portal/internal/bansos"
)

// contrast is the WCAG contrast ratio of colour hex against white.
func contrast(t *testing.T, hex string) float64 {
	t.Helper()
	lin := func(i int) float64 {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(0) + 0.7152*lin(1) + 0.0722*lin(2)
	return 1.05 / (l + 0.05)
}

// TestPaletteKeepsThreeToOne: every programme, reason and area colour
// keeps 3:1 against white, and no two share a colour.
func TestPaletteKeepsThreeToOne(t *testing.T) {
	seen := map[string]string{}
	check := func(what, c string) {
		if c == "" {
			t.Errorf("%s has no colour", what)
			return
		}
		if r := contrast(t, c); r < 3 {
			t.Errorf("%s %s: contrast %.2f against white, want at least 3", what, c, r)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("%s and %s share %s", what, other, c)
		}
		seen[c] = what
	}
	for _, p := range bansos.ProgramCodes {
		check(p, ProgramColor(p))
	}
	for _, r := range []string{"ASN", "DECEASED", "DOUBLE"} {
		check(r, ReasonColor(r))
	}
	for a := range areaColors {
		check(a, AreaColor(a))
	}
}

// TestClasses: five classes or fewer of a round step, covering the
// range, each with its colour.
func TestClasses(t *testing.T) {
	for _, tt := range []struct {
		lo, hi float64
		step   float32
	}{
		{64.8, 67.7, 1}, {0, 1000, 200}, {3.2, 97.5, 20}, {5, 5, 0.2},
	} {
		ps := Classes(tt.lo, tt.hi)
		if len(ps) == 0 || len(ps) > 5 {
			t.Errorf("%v–%v: %d classes", tt.lo, tt.hi, len(ps))
			continue
		}
		if ps[0].Gte > float32(tt.lo) || (ps[len(ps)-1].Lte < float32(tt.hi)) {
			t.Errorf("%v–%v: classes %+v do not cover the range", tt.lo, tt.hi, ps)
		}
		if d := ps[0].Lt - ps[0].Gte; len(ps) > 1 && math.Abs(float64(d-tt.step)) > 1e-4 {
			t.Errorf("%v–%v: step %v, want %v", tt.lo, tt.hi, d, tt.step)
		}
		for _, p := range ps {
			if p.Color == "" {
				t.Errorf("%v–%v: a class without colour", tt.lo, tt.hi)
			}
		}
	}
}
