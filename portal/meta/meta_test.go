package meta

import "testing"

func TestQuarterSpan(t *testing.T) {
	for _, tc := range []struct {
		periods    []string
		start, end string
		ok         bool
	}{
		{[]string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}, "2025-01-01", "2025-12-31", true},
		{[]string{"2025-Q3", "2024-Q2"}, "2024-04-01", "2025-09-30", true},
		{[]string{"2026-Q1"}, "2026-01-01", "2026-03-31", true},
		{[]string{"", "junk", "2025-Q5"}, "", "", false},
		{nil, "", "", false},
	} {
		start, end, ok := QuarterSpan(tc.periods)
		if start != tc.start || end != tc.end || ok != tc.ok {
			t.Errorf("quarterSpan(%v) = %q, %q, %v; want %q, %q, %v", tc.periods, start, end, ok, tc.start, tc.end, tc.ok)
		}
	}
}
