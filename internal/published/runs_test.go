package published

import (
	"context"
	"reflect"
	"testing"
)

func TestRunLedger(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	rels, err := r.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := r.RecentRuns(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	// Two runs, each publishing a release, newest first.
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	var want RowFates
	for i, run := range runs {
		rel := rels[i]
		if run.Outcome != "published" || run.Release != rel.Number || run.ID != rel.RunID || run.Trigger != "command" || run.Error != "" {
			t.Errorf("run %d: %+v; want the run %s that published release %d", i, run, rel.RunID, rel.Number)
		}
		if run.EndedAt == nil || run.StartedAt.IsZero() || run.EndedAt.Before(run.StartedAt) {
			t.Errorf("run %s: started %v, ended %v", run.ID, run.StartedAt, run.EndedAt)
		}
		if run.Report == nil || run.Report.RunID != run.ID || run.Report.Release == "" || run.Report.Accepted == 0 {
			t.Fatalf("run %s: report %+v", run.ID, run.Report)
		}
		if !reflect.DeepEqual(run.Report.Files, []string{"penyaluran.csv"}) {
			t.Errorf("run %s read %v, want penyaluran.csv", run.ID, run.Report.Files)
		}
		want.Accepted += run.Report.Accepted
		want.Replayed += run.Report.Replayed
		want.Moved += run.Report.Moved
		for _, n := range run.Report.Rejected {
			want.Rejected += n
		}
		for _, n := range run.Report.Quarantined {
			want.Quarantined += n
		}
	}
	if !runs[0].StartedAt.After(runs[1].StartedAt) {
		t.Errorf("runs not newest first: %v, %v", runs[0].StartedAt, runs[1].StartedAt)
	}
	if last, err := r.RecentRuns(ctx, 1); err != nil || len(last) != 1 || last[0].ID != runs[0].ID {
		t.Errorf("RecentRuns(1) = %v, %v; want the newest run alone", last, err)
	}

	byOutcome, err := r.RunsByOutcome(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if w := map[string]int64{"published": 2}; !reflect.DeepEqual(byOutcome, w) {
		t.Errorf("RunsByOutcome = %v, want %v", byOutcome, w)
	}
	at, ok, err := r.LastPublished(ctx)
	if err != nil || !ok || !at.Equal(*runs[0].EndedAt) {
		t.Errorf("LastPublished = %v, %v, %v; want %v", at, ok, err, *runs[0].EndedAt)
	}
	// The sums SQLite takes of the reports are the sums of the reports.
	fates, err := r.PublishedRowFates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fates != want || fates.Accepted < 100_000 || fates.Moved == 0 {
		t.Errorf("PublishedRowFates = %+v, the reports sum to %+v", fates, want)
	}
}
