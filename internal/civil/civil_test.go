package civil

import (
	"testing"
	"time"
)

// TestAgainstTime compares every day of years 1 to 9999 with the standard
// library, in both directions.
func TestAgainstTime(t *testing.T) {
	for y := 1; y <= 9999; y += 1 + y/2000 {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= DaysIn(y, m); d++ {
				tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				if tm.Month() != time.Month(m) {
					t.Fatalf("DaysIn(%d, %d) = %d is too many", y, m, DaysIn(y, m))
				}
				want := int(tm.Unix() / 86400) // midnight UTC: an exact multiple
				n := Days(y, m, d)
				if n != want {
					t.Fatalf("Days(%d-%d-%d) = %d, want %d", y, m, d, n, want)
				}
				if gy, gm, gd := Date(n); gy != y || gm != m || gd != d {
					t.Fatalf("Date(%d) = %d-%d-%d, want %d-%d-%d", n, gy, gm, gd, y, m, d)
				}
			}
			if next := time.Date(y, time.Month(m), DaysIn(y, m)+1, 0, 0, 0, 0, time.UTC); next.Day() != 1 {
				t.Fatalf("DaysIn(%d, %d) = %d is too few", y, m, DaysIn(y, m))
			}
		}
	}
}

func TestBeforeYearOne(t *testing.T) {
	if y, m, d := Date(Days(1, 1, 1) - 1); y != 0 || m != 12 || d != 31 {
		t.Errorf("the day before 0001-01-01 is %04d-%02d-%02d", y, m, d)
	}
}
