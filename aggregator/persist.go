package aggregator

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/portal-data-bansos/portal/internal/datadir"
)

// chunkBytes is the size of the blobs state is stored in: large enough
// that a national history is a few thousand rows, small enough that
// SQLite's page cache handles them well.
const chunkBytes = 1 << 20

// reconcile settles runs that were interrupted between their private and
// published commits: a run whose release exists is marked committed;
// any other pending run is deleted with everything it wrote, so the state
// is again the state of the release in force.
func reconcile(ctx context.Context, priv, pub *sql.DB) (int, error) {
	rows, err := priv.QueryContext(ctx, `SELECT id FROM run WHERE state = 'pending'`)
	if err != nil {
		return 0, fmt.Errorf("reconcile: %w", err)
	}
	var pending []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		pending = append(pending, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	undone := 0
	for _, id := range pending {
		var n int
		if err := pub.QueryRowContext(ctx, `SELECT count(*) FROM release WHERE run_id = ?`, id).Scan(&n); err != nil {
			return undone, fmt.Errorf("reconcile: %w", err)
		}
		if n > 0 {
			_, err = priv.ExecContext(ctx, `UPDATE run SET state = 'committed' WHERE id = ?`, id)
		} else {
			_, err = priv.ExecContext(ctx, `DELETE FROM run WHERE id = ?`, id)
			undone++
		}
		if err != nil {
			return undone, fmt.Errorf("reconcile run %s: %w", id, err)
		}
	}
	return undone, nil
}

// checkKey records the key's fingerprint on first use and refuses a key
// that differs from the one the stored pseudonyms were made with.
func checkKey(ctx context.Context, priv *sql.DB, k datadir.Key, now time.Time) error {
	var fp string
	err := priv.QueryRowContext(ctx, `SELECT fingerprint FROM key_fingerprint WHERE id = 1`).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = priv.ExecContext(ctx, `INSERT INTO key_fingerprint (id, fingerprint, created_at) VALUES (1, ?, ?)`,
			k.Fingerprint(), now.UTC().Format(time.RFC3339))
		return err
	}
	if err != nil {
		return fmt.Errorf("read key fingerprint: %w", err)
	}
	if fp != k.Fingerprint() {
		return errors.New("the pseudonymisation key file is not the key private.db was built with; restore the right key file (or start a new data folder)")
	}
	return nil
}

// loadState opens the committed state: the reference lists in force are
// read; seen transactions and receipts stay on disk and are read a part at
// a time while files are ingested (state.stored).
//
// Rows of quarters before openFrom are refused, and their stored ids and
// receipts are not read (retention.go).
func loadState(ctx context.Context, priv *sql.DB, openFrom Quarter) (*state, error) {
	if err := partitionLegacyReceipts(ctx, priv); err != nil {
		return nil, err
	}
	st := newState()
	st.openFrom = openFrom
	// A receipt is stored only with its row's id: no stored ids, nothing
	// stored to look up.
	var stored bool
	if err := priv.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM seen_chunk) OR EXISTS (SELECT 1 FROM seen_part WHERE quarter >= ?)`,
		int(openFrom)).Scan(&stored); err != nil {
		return nil, fmt.Errorf("look for stored transactions: %w", err)
	}
	if stored {
		st.stored = &privStore{db: priv, openFrom: openFrom}
	}
	for _, kind := range []ListKind{ListASN, ListDeceased} {
		l, err := loadList(ctx, priv, kind)
		if err != nil {
			return nil, err
		}
		st.setList(l)
	}
	return st, nil
}

// privStore reads what earlier runs committed to private.db, a part at a
// time: only what rows of open quarters (from openFrom on) can meet.
type privStore struct {
	db       *sql.DB
	openFrom Quarter
}

// eachReceiptChunk calls fn with the stored receipts of quarter q, packed
// 16 bytes each.
func (p *privStore) eachReceiptChunk(ctx context.Context, q Quarter, fn func([]byte) error) error {
	return eachBlob(ctx, p.db, `SELECT data FROM receipt_part WHERE quarter = ?`, fn, int(q))
}

// eachSeenChunk calls fn with the stored seen transactions of open
// quarters, and those stored before seen_part (whose quarter is not
// known), packed 16 bytes each.
func (p *privStore) eachSeenChunk(ctx context.Context, fn func([]byte) error) error {
	if err := eachBlob(ctx, p.db, `SELECT data FROM seen_chunk`, fn); err != nil {
		return err
	}
	return eachBlob(ctx, p.db, `SELECT data FROM seen_part WHERE quarter >= ?`, fn, int(p.openFrom))
}

// partitionLegacyReceipts moves receipts stored before receipt_part
// existed (receipt_chunk, every quarter mixed) into receipt_part, split by
// quarter, once, in one transaction.
func partitionLegacyReceipts(ctx context.Context, priv *sql.DB) error {
	var n int
	if err := priv.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM receipt_chunk LIMIT 1)`).Scan(&n); err != nil {
		return fmt.Errorf("look for unpartitioned receipts: %w", err)
	}
	if n == 0 {
		return nil
	}
	tx, err := priv.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// One run's receipts at a time, read through the transaction (the
	// store has one connection for writing).
	rows, err := tx.QueryContext(ctx, `SELECT run_id, data FROM receipt_chunk ORDER BY run_id, seq`)
	if err != nil {
		return fmt.Errorf("partition receipts: %w", err)
	}
	type chunk struct {
		run  string
		data []byte
	}
	var chunks []chunk
	for rows.Next() {
		var c chunk
		if err := rows.Scan(&c.run, &c.data); err != nil {
			rows.Close()
			return fmt.Errorf("partition receipts: %w", err)
		}
		chunks = append(chunks, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("partition receipts: %w", err)
	}
	var w *partWriter
	for _, c := range chunks {
		if w == nil || w.run != c.run {
			if w != nil {
				if err := w.close(); err != nil {
					return fmt.Errorf("partition receipts: %w", err)
				}
			}
			w = newPartWriter(ctx, tx, "receipt_part", c.run)
		}
		if err := w.receipts(c.data); err != nil {
			return fmt.Errorf("partition receipts: %w", err)
		}
	}
	if err := w.close(); err != nil {
		return fmt.Errorf("partition receipts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM receipt_chunk`); err != nil {
		return fmt.Errorf("partition receipts: %w", err)
	}
	return tx.Commit()
}

func (s *state) setList(l *refList) {
	if l == nil {
		return
	}
	switch l.Kind {
	case ListASN:
		s.asn = l
	case ListDeceased:
		s.deceased = l
	}
}

// loadList returns the newest committed list of a kind, or nil.
func loadList(ctx context.Context, priv *sql.DB, kind ListKind) (*refList, error) {
	var (
		file, sum       string
		entries, ignore int
		data            []byte
	)
	err := priv.QueryRowContext(ctx, `SELECT l.file, l.sha256, l.entries, l.ignored, l.data
		FROM ref_list l JOIN run r ON r.id = l.run_id
		WHERE l.kind = ? ORDER BY r.seq DESC LIMIT 1`, string(kind)).Scan(&file, &sum, &entries, &ignore, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s list: %w", kind, err)
	}
	l, err := decodeList(kind, data)
	if err != nil {
		return nil, err
	}
	l.File, l.SHA256, l.Ignored = file, sum, ignore
	return l, nil
}

func eachBlob(ctx context.Context, db *sql.DB, query string, fn func([]byte) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var b sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&b); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// saveState writes this run's additions to private.db in one transaction,
// with the run marked pending (or committed when it publishes nothing).
func saveState(ctx context.Context, priv *sql.DB, runID string, st *state, committed bool, now time.Time) error {
	tx, err := priv.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM run`).Scan(&seq); err != nil {
		return err
	}
	stateName := "pending"
	if committed {
		stateName = "committed"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO run (id, seq, state, created_at, open_from) VALUES (?, ?, ?, ?, ?)`,
		runID, seq, stateName, now.UTC().Format(time.RFC3339Nano), int(st.openFrom)); err != nil {
		return err
	}
	sp := st.spill
	sw := newPartWriter(ctx, tx, "seen_part", runID)
	if err := sp.seenNew.eachRecord(0, sp.seenNew.off, seenSpillSize, sw.seen); err != nil {
		return fmt.Errorf("store seen transactions: %w", err)
	}
	if err := sw.close(); err != nil {
		return fmt.Errorf("store seen transactions: %w", err)
	}
	rw := newPartWriter(ctx, tx, "receipt_part", runID)
	if err := sp.receiptsNew.eachRecord(0, sp.receiptsNew.off, receiptSize, rw.receipts); err != nil {
		return fmt.Errorf("store receipts: %w", err)
	}
	if err := rw.close(); err != nil {
		return fmt.Errorf("store receipts: %w", err)
	}
	quarters := make([]int, 0, len(st.facts))
	for q := range st.facts {
		quarters = append(quarters, int(q))
	}
	sort.Ints(quarters)
	for _, q := range quarters {
		seq := 0
		err := st.facts[Quarter(q)].eachChunk(sp.facts, func(c []byte) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO fact_chunk (quarter, run_id, seq, data) VALUES (?, ?, ?, ?)`, q, runID, seq, c)
			seq++
			return err
		})
		if err != nil {
			return fmt.Errorf("store facts: %w", err)
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO tally (run_id, kind, quarter, program, regency, reason, n) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for k, n := range st.tally {
		if _, err := ins.ExecContext(ctx, runID, k.Kind, k.Quarter, k.Program, k.Regency, k.Reason, n); err != nil {
			ins.Close()
			return fmt.Errorf("store tallies: %w", err)
		}
	}
	ins.Close()
	qi, err := tx.PrepareContext(ctx, `INSERT INTO quarantine (run_id, file, line, reason, raw) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	err = sp.eachQuarantined(func(file string, line int64, reason Reason, raw []byte) error {
		_, err := qi.ExecContext(ctx, runID, file, line, reason.String(), string(raw))
		return err
	})
	qi.Close()
	if err != nil {
		return fmt.Errorf("store quarantine: %w", err)
	}
	for _, l := range st.lists {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ref_list (kind, run_id, file, sha256, entries, ignored, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			string(l.Kind), runID, l.File, l.SHA256, l.Entries, l.Ignored, l.encode()); err != nil {
			return fmt.Errorf("store %s list: %w", l.Kind, err)
		}
	}
	for _, f := range st.files {
		if f.Refused {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO ingested_file (run_id, name, sha256, bytes, rows) VALUES (?, ?, ?, ?, ?)`,
			runID, f.Name, f.SHA256, f.Bytes, f.Rows); err != nil {
			return fmt.Errorf("store file list: %w", err)
		}
	}
	return tx.Commit()
}

// partWriter stores one run's entries in a table partitioned by quarter
// (receipt_part, seen_part), in chunks of at most chunkBytes.
type partWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string
	run    string
	buf    map[Quarter][]byte
	seq    map[Quarter]int
}

func newPartWriter(ctx context.Context, tx *sql.Tx, table, run string) *partWriter {
	return &partWriter{ctx: ctx, tx: tx, run: run, buf: map[Quarter][]byte{}, seq: map[Quarter]int{},
		insert: `INSERT INTO ` + table + ` (quarter, run_id, seq, data) VALUES (?, ?, ?, ?)`}
}

// add stores entry under quarter q.
func (w *partWriter) add(q Quarter, entry []byte) error {
	w.buf[q] = append(w.buf[q], entry...)
	if len(w.buf[q]) >= chunkBytes {
		return w.flush(q)
	}
	return nil
}

// receipts takes packed receipts, 16 bytes each, under their own quarter.
func (w *partWriter) receipts(b []byte) error {
	if len(b)%receiptSize != 0 {
		return errors.New("corrupt receipts")
	}
	for i := 0; i < len(b); i += receiptSize {
		if err := w.add(getReceipt(b[i:]).Quarter, b[i:i+receiptSize]); err != nil {
			return err
		}
	}
	return nil
}

// seen takes spilled seen entries (seenSpillSize each: the entry, then
// its row's quarter).
func (w *partWriter) seen(b []byte) error {
	if len(b)%seenSpillSize != 0 {
		return errors.New("corrupt seen entries")
	}
	for i := 0; i < len(b); i += seenSpillSize {
		q := Quarter(binary.LittleEndian.Uint16(b[i+seenSize:]))
		if err := w.add(q, b[i:i+seenSize]); err != nil {
			return err
		}
	}
	return nil
}

func (w *partWriter) flush(q Quarter) error {
	_, err := w.tx.ExecContext(w.ctx, w.insert, int(q), w.run, w.seq[q], w.buf[q])
	w.seq[q]++
	w.buf[q] = w.buf[q][:0]
	return err
}

// close stores what add has not stored yet.
func (w *partWriter) close() error {
	for q, b := range w.buf {
		if len(b) > 0 {
			if err := w.flush(q); err != nil {
				return err
			}
		}
	}
	return nil
}

func markCommitted(ctx context.Context, priv *sql.DB, runID string) error {
	_, err := priv.ExecContext(ctx, `UPDATE run SET state = 'committed' WHERE id = ?`, runID)
	return err
}

func hexSum(b []byte) string { return hex.EncodeToString(b) }
