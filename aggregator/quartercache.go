package aggregator

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/portal-data-bansos/portal/internal/region"
)

// A run's work should follow its new rows, not the history: a quarter
// whose facts did not change since its aggregates were last computed takes
// them from private.db (table quarter_agg) instead of reading and grouping
// every fact again. Only what aggregateQuarter computes is kept; the
// tallies, the realisation and coverage (which depend on the lists in
// force) and the sparse levels are derived afresh every run, so a release
// made this way is the one a run from scratch would make.

// aggVersion names what aggregateQuarter computes. Change it with any
// change to the aggregation, so no older entry is used.
const aggVersion = 1

// quarterPart is one quarter's aggregates.
type quarterPart struct {
	Penyaluran []Cell
	Demografi  []DemoCell
	Salur      []countCell
	Decile     []countCell
	Amounts    *[numPC]amountStat
}

func partOf(t *Tables, q Quarter) quarterPart {
	return quarterPart{Penyaluran: t.Penyaluran, Demografi: t.Demografi, Salur: t.salur, Decile: t.decile, Amounts: t.Amounts[q]}
}

func (p *quarterPart) into(t *Tables, q Quarter) {
	t.Penyaluran, t.Demografi, t.salur, t.decile = p.Penyaluran, p.Demografi, p.Salur, p.Decile
	t.Amounts = nil
	if p.Amounts != nil {
		t.Amounts = map[Quarter]*[numPC]amountStat{q: p.Amounts}
	}
}

// regionsFingerprint digests the region table the cells' region IDs index.
func regionsFingerprint(t *region.Table) [32]byte {
	h := sha256.New()
	for _, l := range []region.Level{region.Province, region.Regency, region.District} {
		n := t.Count(l)
		fmt.Fprintf(h, "%d:%d\n", l, n)
		for i := 0; i < n; i++ {
			fmt.Fprintln(h, t.ByID(l, region.ID(i)).Code)
		}
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// quarterFingerprints lists the quarters that have facts, in order, and
// names the inputs of each one's aggregates: its fact chunks (every run's
// count and bytes; chunks are written once and deleted only with their
// run), the region table and aggVersion; and each one's bytes of facts,
// which set how many passes its aggregation takes.
func quarterFingerprints(ctx context.Context, priv *sql.DB, regions [32]byte) ([]Quarter, [][]byte, []int64, error) {
	rows, err := priv.QueryContext(ctx, `SELECT quarter, run_id, count(*), sum(length(data)) FROM fact_chunk
		GROUP BY quarter, run_id ORDER BY quarter, run_id`)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list quarters: %w", err)
	}
	defer rows.Close()
	var qs []Quarter
	var fps [][]byte
	var sizes []int64 // bytes of facts per quarter
	var h hash.Hash
	done := func() {
		if h != nil {
			fps = append(fps, h.Sum(nil))
		}
	}
	for rows.Next() {
		var q int
		var run string
		var n, size int64
		if err := rows.Scan(&q, &run, &n, &size); err != nil {
			return nil, nil, nil, fmt.Errorf("list quarters: %w", err)
		}
		if len(qs) == 0 || qs[len(qs)-1] != Quarter(q) {
			done()
			qs = append(qs, Quarter(q))
			sizes = append(sizes, 0)
			h = sha256.New()
			_ = binary.Write(h, binary.LittleEndian, int64(aggVersion))
			h.Write(regions[:])
		}
		fmt.Fprintf(h, "%s %d %d\n", run, n, size)
		sizes[len(sizes)-1] += size
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("list quarters: %w", err)
	}
	done()
	return qs, fps, sizes, nil
}

// loadQuarterPart returns quarter q's stored aggregates when they were
// computed from what fp names; ok is false otherwise.
func loadQuarterPart(ctx context.Context, priv *sql.DB, q Quarter, fp []byte) (part quarterPart, ok bool, err error) {
	var data []byte
	err = priv.QueryRowContext(ctx, `SELECT data FROM quarter_agg WHERE quarter = ? AND fingerprint = ?`, int(q), fp).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return part, false, nil
	}
	if err != nil {
		return part, false, fmt.Errorf("load aggregates of %s: %w", PeriodString(q), err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return part, false, fmt.Errorf("aggregates of %s: %w", PeriodString(q), err)
	}
	if err := gob.NewDecoder(zr).Decode(&part); err != nil {
		return part, false, fmt.Errorf("aggregates of %s: %w", PeriodString(q), err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return part, false, fmt.Errorf("aggregates of %s: %w", PeriodString(q), err)
	}
	return part, true, nil
}

// storeQuarterPart keeps quarter q's aggregates for later runs.
func storeQuarterPart(ctx context.Context, priv *sql.DB, q Quarter, fp []byte, part *quarterPart) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := gob.NewEncoder(zw).Encode(part); err != nil {
		return fmt.Errorf("encode aggregates of %s: %w", PeriodString(q), err)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if _, err := priv.ExecContext(ctx, `INSERT OR REPLACE INTO quarter_agg (quarter, fingerprint, data) VALUES (?, ?, ?)`, int(q), fp, buf.Bytes()); err != nil {
		return fmt.Errorf("store aggregates of %s: %w", PeriodString(q), err)
	}
	return nil
}
