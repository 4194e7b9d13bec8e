package aggregator

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/gob"
	"fmt"
	"io"
	"maps"
	"slices"
)

// historyRecord is the stored form of a QuarterHistory: maps become
// sorted slices so the bytes are the same for the same history.
type historyRecord struct {
	Tables *Tables
	Keys   []nodeKey
	Nodes  []nodeState
	Floors []floorRec
}

func encodeHistory(h *QuarterHistory) ([]byte, error) {
	rec := historyRecord{Tables: h.Tables, Floors: h.Floors}
	rec.Keys = make([]nodeKey, 0, len(h.Nodes))
	for k := range h.Nodes {
		rec.Keys = append(rec.Keys, k)
	}
	slices.Sort(rec.Keys)
	rec.Nodes = make([]nodeState, len(rec.Keys))
	for i, k := range rec.Keys {
		rec.Nodes[i] = h.Nodes[k]
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := gob.NewEncoder(zw).Encode(&rec); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeHistory(b []byte) (*QuarterHistory, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var rec historyRecord
	if err := gob.NewDecoder(zr).Decode(&rec); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, err
	}
	if len(rec.Keys) != len(rec.Nodes) {
		return nil, fmt.Errorf("corrupt history: %d keys, %d nodes", len(rec.Keys), len(rec.Nodes))
	}
	h := &QuarterHistory{Tables: rec.Tables, Floors: rec.Floors, Nodes: make(map[nodeKey]nodeState, len(rec.Keys))}
	if h.Tables == nil {
		h.Tables = &Tables{}
	}
	for i, k := range rec.Keys {
		h.Nodes[k] = rec.Nodes[i]
	}
	return h, nil
}

// loadHistory reads the protection history in force: per quarter, the
// row of the newest committed run.
func loadHistory(ctx context.Context, priv *sql.DB) (*History, error) {
	h := &History{Quarters: map[Quarter]*QuarterHistory{}}
	rows, err := priv.QueryContext(ctx, `SELECT h.quarter, h.data FROM history h JOIN run r ON r.id = h.run_id
		WHERE r.state = 'committed' ORDER BY h.quarter, r.seq`)
	if err != nil {
		return nil, fmt.Errorf("load protection history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q int
		var data []byte
		if err := rows.Scan(&q, &data); err != nil {
			return nil, fmt.Errorf("load protection history: %w", err)
		}
		qh, err := decodeHistory(data)
		if err != nil {
			return nil, fmt.Errorf("protection history of quarter %d: %w", q, err)
		}
		h.Quarters[Quarter(q)] = qh // later runs overwrite earlier ones
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load protection history: %w", err)
	}
	return h, nil
}

// saveHistory stores the quarters of h that differ from prev under this
// (pending) run, in one transaction.
func saveHistory(ctx context.Context, priv *sql.DB, runID string, h, prev *History) error {
	tx, err := priv.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store protection history: %w", err)
	}
	defer tx.Rollback()
	for _, q := range slices.Sorted(maps.Keys(h.Quarters)) {
		qh := h.Quarters[q]
		if prev != nil && prev.Quarters[q] == qh {
			continue // carried unchanged
		}
		data, err := encodeHistory(qh)
		if err != nil {
			return fmt.Errorf("encode protection history of %s: %w", PeriodString(q), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO history (quarter, run_id, data) VALUES (?, ?, ?)`, int(q), runID, data); err != nil {
			return fmt.Errorf("store protection history: %w", err)
		}
	}
	return tx.Commit()
}

// pruneHistory deletes history rows that a newer committed row of the
// same quarter replaces.
func pruneHistory(ctx context.Context, priv *sql.DB) error {
	_, err := priv.ExecContext(ctx, `DELETE FROM history WHERE rowid IN (
		SELECT h.rowid FROM history h JOIN run r ON r.id = h.run_id
		WHERE r.state = 'committed' AND EXISTS (
			SELECT 1 FROM history h2 JOIN run r2 ON r2.id = h2.run_id
			WHERE h2.quarter = h.quarter AND r2.state = 'committed' AND r2.seq > r.seq))`)
	return err
}
