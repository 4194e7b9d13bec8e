package release

import (
	"reflect"
	"testing"
)

func TestPublicReportRounds(t *testing.T) {
	r := Report{RunID: "r", Files: []string{"a.csv"}, Rows: 20049, Accepted: 19951, Replayed: 4, Moved: 150,
		Rejected: map[string]int64{"ASN": 7, "DECEASED": 55}, Quarantined: map[string]int64{"NIK_INVALID": 149},
		Recipients: 2086, NominalSalur: 2_499_999_999}
	got := r.Public(10)
	want := Report{RunID: "r", Files: []string{"a.csv"}, Rows: 20000, Accepted: 20000, Replayed: 0, Moved: 200,
		Rejected: map[string]int64{"ASN": 0, "DECEASED": 100}, Quarantined: map[string]int64{"NIK_INVALID": 100},
		Recipients: 2100, NominalSalur: 2_000_000_000, RoundedTo: 100, RupiahRoundedTo: RupiahRoundingBase}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Public(10) =\n%+v\nwant\n%+v", got, want)
	}
	if r.Rejected["ASN"] != 7 {
		t.Error("Public changed the exact report")
	}
	if got := (Report{Rows: 14}).Public(3); got.Rows != 0 || got.RoundedTo != 30 {
		t.Errorf("k = 3: rows %d rounded to %d", got.Rows, got.RoundedTo)
	}
}
