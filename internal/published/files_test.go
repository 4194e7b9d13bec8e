package published

import (
	"context"
	"reflect"
	"testing"
)

func TestReleaseFiles(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	// The first delivery brings the exclusion, target and DTSEN lists with
	// the first three quarters; the second only the fourth quarter, the
	// target and DTSEN lists in force being referenced again.
	want := map[int][]ReleaseFile{
		1: {
			{"asn.csv", "asn", "ingested"},
			{"dtsen.csv", "dtsen", "ingested"},
			{"kuota.csv", "kuota", "ingested"},
			{"meninggal.csv", "meninggal", "ingested"},
			{"penyaluran.csv", "penyaluran", "ingested"},
		},
		2: {
			{"dtsen.csv", "dtsen", "reference"},
			{"kuota.csv", "kuota", "reference"},
			{"penyaluran.csv", "penyaluran", "ingested"},
		},
		3: nil,
	}
	for rel, w := range want {
		got, err := r.ReleaseFiles(ctx, rel)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("files of release %d:\n%v\nwant\n%v", rel, got, w)
		}
	}

	got, err := r.IngestedFiles(ctx, "penyaluran")
	if err != nil {
		t.Fatal(err)
	}
	if w := map[int][]string{1: {"penyaluran.csv"}, 2: {"penyaluran.csv"}}; !reflect.DeepEqual(got, w) {
		t.Errorf("ingested penyaluran files: %v, want %v", got, w)
	}
	// References are not ingested again.
	got, err = r.IngestedFiles(ctx, "kuota")
	if err != nil {
		t.Fatal(err)
	}
	if w := map[int][]string{1: {"kuota.csv"}}; !reflect.DeepEqual(got, w) {
		t.Errorf("ingested kuota files: %v, want %v", got, w)
	}
}
