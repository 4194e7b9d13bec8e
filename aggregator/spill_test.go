package aggregator

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repeatModel judges rows the plain way, with everything in memory: the
// reference the two-pass judging (state.go, watch.go) must agree with.
type repeatModel struct {
	seen     map[string]string // id → the row's text it was first seen with
	receipts map[string]bool   // NIK|period's quarter|programme|component
}

type modelCounts struct {
	accepted, replayed, double int64
	conflicts                  []string // "file:line:text"
}

func (m *repeatModel) judge(file string, rows []modelRow, c *modelCounts) {
	for i, r := range rows {
		if old, ok := m.seen[r.id]; ok {
			if old == r.content() {
				c.replayed++
			} else {
				c.conflicts = append(c.conflicts, fmt.Sprintf("%s:%d:%s", file, i+2, r.text()))
			}
			continue
		}
		m.seen[r.id] = r.content()
		if r.status == "SALUR" {
			k := r.nik + "|" + r.quarter + "|" + r.program + "|" + r.component
			if m.receipts[k] {
				c.double++
				continue
			}
			m.receipts[k] = true
		}
		c.accepted++
	}
}

type modelRow struct {
	id, nik, program, component, period, quarter, nominal, date, status string
}

func (r modelRow) text() string {
	kk := "3204110101" + r.nik[12:] + "01"
	return strings.TrimSuffix(row(r.id, r.nik, kk, r.program, r.component, r.period, r.nominal, r.date, r.status), "\n")
}

// content is what makes two rows with one id the same row.
func (r modelRow) content() string { return r.text()[len(r.id):] }

// TestRepeatsAgainstMemory: replays, conflicting duplicates and double
// receipts — within a file, across the files of a run and across runs —
// come out exactly as judging with everything in memory would have them,
// with the keys spread over many parts (as a national file's are) and the
// conflicting rows' text read back from their file, from a line mark or,
// compressed, from its start.
func TestRepeatsAgainstMemory(t *testing.T) {
	defer func(n int64, m int) { recordsPerPart, lineMarkEvery = n, m }(recordsPerPart, lineMarkEvery)
	recordsPerPart, lineMarkEvery = 16, 7
	e := newTestEnv(t)
	r := rand.New(rand.NewPCG(11, 12))
	m := &repeatModel{seen: map[string]string{}, receipts: map[string]bool{}}
	var ids []modelRow // every row a new id was first seen with
	nid := 0
	newRow := func() modelRow {
		nid++
		x := modelRow{id: fmt.Sprintf("R%05d", nid), nik: fmt.Sprintf("320411450785%04d", 1+r.IntN(40)),
			nominal: "200000", status: "SALUR"}
		if r.IntN(7) == 0 {
			x.status = "GAGAL"
		}
		half := r.IntN(2) // first or second quarter of 2025
		if r.IntN(2) == 0 {
			mo := 1 + 3*half + r.IntN(3)
			x.program, x.period, x.date = "SEMBAKO", fmt.Sprintf("2025-%02d", mo), fmt.Sprintf("2025-%02d-10", mo)
		} else {
			x.program, x.component = "PKH", []string{"SD", "SMP"}[r.IntN(2)]
			x.period, x.date, x.nominal = fmt.Sprintf("2025-Q%d", 1+half), fmt.Sprintf("2025-%02d-10", 2+3*half), "225000"
		}
		x.quarter = fmt.Sprint(1 + half)
		return x
	}
	for run := range 3 {
		var inputs []Input
		var want modelCounts
		for f := range 2 {
			name := fmt.Sprintf("run%d-file%d.csv", run, f)
			rows := make([]modelRow, 400)
			for i := range rows {
				switch p := r.IntN(10); {
				case p < 5 || len(ids) == 0:
					rows[i] = newRow()
					ids = append(ids, rows[i])
				case p < 8:
					rows[i] = ids[r.IntN(len(ids))] // a replay
				default:
					rows[i] = ids[r.IntN(len(ids))]
					rows[i].nominal = fmt.Sprint(100000 + r.IntN(900)*1000) // a conflict, most likely
				}
			}
			var b strings.Builder
			b.WriteString(header)
			for _, x := range rows {
				b.WriteString(x.text() + "\n")
			}
			content := b.String()
			if run == 1 && f == 1 {
				// A compressed file: its conflicting rows are read again
				// from its start, not from a line mark.
				name += ".gz"
				var z bytes.Buffer
				zw := gzip.NewWriter(&z)
				zw.Write([]byte(content))
				zw.Close()
				content = z.String()
			}
			inputs = append(inputs, Input{Path: e.write(name, content)})
			m.judge(name, rows, &want)
		}
		// A spill folder a killed run left behind is removed.
		stale := filepath.Join(e.dir, spillPrefix+"killed")
		if err := os.MkdirAll(stale, 0o700); err != nil {
			t.Fatal(err)
		}
		res := e.mustRun(inputs...)
		got := res.Report
		if got.Accepted != want.accepted || got.Replayed != want.replayed || got.Rejected["DOUBLE"] != want.double ||
			got.Quarantined["CONFLICTING_DUPLICATE_ID"] != int64(len(want.conflicts)) {
			t.Fatalf("run %d: accepted %d, replayed %d, DOUBLE %d, conflicts %d; want %d, %d, %d, %d", run,
				got.Accepted, got.Replayed, got.Rejected["DOUBLE"], got.Quarantined["CONFLICTING_DUPLICATE_ID"],
				want.accepted, want.replayed, want.double, len(want.conflicts))
		}
		if want.double == 0 || len(want.conflicts) == 0 || want.replayed == 0 {
			t.Fatalf("run %d tests too little: %+v", run, want)
		}
		rows, err := e.priv.R.Query(`SELECT q.file, q.line, q.raw FROM quarantine q JOIN run ON run.id = q.run_id
			WHERE q.reason = 'CONFLICTING_DUPLICATE_ID' AND run.seq = (SELECT max(seq) FROM run)`)
		if err != nil {
			t.Fatal(err)
		}
		var conflicts []string
		for rows.Next() {
			var file, raw string
			var line int
			if err := rows.Scan(&file, &line, &raw); err != nil {
				t.Fatal(err)
			}
			conflicts = append(conflicts, fmt.Sprintf("%s:%d:%s", file, line, raw))
		}
		rows.Close()
		slices.Sort(conflicts)
		slices.Sort(want.conflicts)
		if !slices.Equal(conflicts, want.conflicts) {
			t.Fatalf("run %d: quarantined conflicts differ:\n got %q\nwant %q", run, conflicts[:min(3, len(conflicts))], want.conflicts[:min(3, len(want.conflicts))])
		}
		left, _ := filepath.Glob(filepath.Join(e.dir, spillPrefix+"*"))
		if len(left) > 0 {
			t.Fatalf("run %d left spill folders: %v", run, left)
		}
	}
}

// TestSpillFolderGoesWithAFailedRun: a run that fails after it has
// written its spill files (here, a file refused whole, then nothing to
// publish) leaves none behind.
func TestSpillFolderGoesWithAFailedRun(t *testing.T) {
	e := newTestEnv(t)
	content := header + row("T2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") + strings.Repeat("x", 2<<20) + "\n"
	if _, err := e.run(Input{Path: e.write("huge.csv", content)}); err == nil {
		t.Fatal("a file with a record too large was not refused")
	}
	if left, _ := filepath.Glob(filepath.Join(e.dir, spillPrefix+"*")); len(left) > 0 {
		t.Fatalf("spill folders left: %v", left)
	}
}
