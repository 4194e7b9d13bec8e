package aggregator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/portal-data-bansos/portal/internal/csvread"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
)

// The ingestion of one distribution file.
//
// Pass one (collect): a reader goroutine splits the file into records and
// copies them into batches; workers validate and pseudonymise batches in
// parallel; a writer puts each row's verdict, in file order, and its keys
// in the run's spill files. The file's repeats are then found (watch.go).
// Pass two (judge) applies the verdicts to the state in file order, since
// a row's fate (replay, conflict, DOUBLE) depends on the rows before it.
// Batches are recycled and verdicts are read back a buffer at a time, so
// memory stays flat whatever the file's size.

const batchRows = 2048

// fileStats counts the fates of one file's rows.
type fileStats struct {
	Rows         int64
	Accepted     int64
	Replayed     int64
	Moved        int64
	Rejected     [numReasons]int64
	Quarantined  [numReasons]int64
	NominalSalur int64
}

func (s *fileStats) add(o *fileStats) {
	s.Rows += o.Rows
	s.Accepted += o.Accepted
	s.Replayed += o.Replayed
	s.Moved += o.Moved
	s.NominalSalur += o.NominalSalur
	for i := range s.Rejected {
		s.Rejected[i] += o.Rejected[i]
		s.Quarantined[i] += o.Quarantined[i]
	}
}

type span struct{ off, n int32 }

func (s span) of(b []byte) []byte { return b[s.off : s.off+s.n] }

type rawRec struct {
	line      int64
	raw       span
	f0, nf    int32
	malformed bool
}

// rowResult is a worker's verdict on one record; the sequencer decides the
// rest.
type rowResult struct {
	reason  Reason
	quarter Quarter // 0 when the period could not be read
	id, nik pid
	crc     uint32
	moved   bool
	listed  Reason // RejectASN, RejectDeceased: the row's NIK is on a list in force
	fact    fact
}

type batch struct {
	buf    []byte
	recs   []rawRec
	fields []span
	out    []rowResult
	err    error // a read error after the batch's records; ends the file
	done   chan struct{}
}

func (b *batch) reset() {
	b.buf = b.buf[:0]
	b.recs = b.recs[:0]
	b.fields = b.fields[:0]
	b.out = b.out[:0]
	b.err = nil
}

// fileError is a reason to refuse a whole file; it names the file and,
// where there is one, the line.
type fileError struct {
	File string
	Line int64
	Err  error
}

func (e *fileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *fileError) Unwrap() error { return e.Err }

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ingester ingests distribution files into a state.
type ingester struct {
	regions *region.Table
	key     datadir.Key
	workers int
	st      *state
	// progress, when set, is called after each batch with the number of
	// rows of the current file judged so far.
	progress func(rows int64)
	log      *slog.Logger // nil: no log
}

// collect reads one distribution file (pass one): it writes each row's
// verdict and keys to the run's spill files, and changes nothing else. It
// returns a *fileError when the file is refused whole.
func (in *ingester) collect(ctx context.Context, name string, r io.Reader) error {
	sp := in.st.spill
	if err := sp.startFile(); err != nil {
		return err
	}
	cr := csvread.New(r, csvread.Options{})
	hdr, err := cr.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &fileError{File: name, Err: errors.New("empty file: no header")}
		}
		return &fileError{File: name, Line: 1, Err: err}
	}
	cols, err := MapHeader(hdr.Fields)
	if err != nil {
		return &fileError{File: name, Line: hdr.Line, Err: err}
	}

	workers := in.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	free := make(chan *batch, workers*4)
	for i := 0; i < workers*4; i++ {
		free <- &batch{done: make(chan struct{}, 1)}
	}
	work := make(chan *batch, workers*2)
	ordered := make(chan *batch, workers*4)

	// Reader.
	go func() {
		defer close(work)
		defer close(ordered)
		yieldThread(ctx)
		next := hdr.Line + int64(hdr.Lines) // where the next record starts, at the earliest
		var records int
		for {
			var b *batch
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			b.reset()
			for len(b.recs) < batchRows {
				if records%lineMarkEvery == 0 {
					sp.marks = append(sp.marks, lineMark{line: next, off: cr.Offset()})
				}
				records++
				rec, err := cr.Next()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						b.err = &fileError{File: name, Line: next, Err: err}
					} else {
						b.err = io.EOF
					}
					break
				}
				rr := rawRec{line: rec.Line, malformed: rec.Malformed, f0: int32(len(b.fields)), nf: int32(len(rec.Fields))}
				rr.raw = span{int32(len(b.buf)), int32(len(rec.Raw))}
				b.buf = append(b.buf, rec.Raw...)
				for _, f := range rec.Fields {
					b.fields = append(b.fields, span{int32(len(b.buf)), int32(len(f))})
					b.buf = append(b.buf, f...)
				}
				b.recs = append(b.recs, rr)
				next = rec.Line + int64(rec.Lines)
			}
			ordered <- b
			work <- b
			if b.err != nil {
				return
			}
		}
	}()

	// Workers.
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			yieldThread(ctx)
			w := newWorker(in.regions, in.key, in.st.asn, in.st.deceased)
			w.openFrom = in.st.openFrom
			for b := range work {
				w.process(b, &cols)
				b.done <- struct{}{}
			}
		}()
	}
	defer wg.Wait()

	// Writer, in file order.
	var ferr error
	var rows int64
	for b := range ordered {
		<-b.done
		if ferr == nil {
			ferr = sp.write(b)
			rows += int64(len(b.recs))
			if in.progress != nil {
				in.progress(rows)
			}
			if ferr == nil && b.err != nil && !errors.Is(b.err, io.EOF) {
				ferr = b.err
			}
			if ferr == nil && ctx.Err() != nil {
				ferr = ctx.Err()
			}
			if ferr != nil {
				cancel()
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	if ferr == nil && ctx.Err() != nil {
		ferr = ctx.Err()
	}
	if ferr == nil {
		ferr = sp.results.flush()
	}
	return ferr
}

// Verdicts in the results spill file: a well-formed row takes
// resultSize bytes; a quarantined row a header of resultHead bytes and
// its text.
const resultHead, resultSize = 16, 64

// write puts a batch's verdicts and keys in the spill files.
func (sp *runSpill) write(b *batch) error {
	var buf [resultSize]byte
	for i := range b.out {
		res := &b.out[i]
		buf[0] = byte(res.reason)
		buf[1] = 0
		if res.moved {
			buf[1] = 1
		}
		binary.LittleEndian.PutUint16(buf[2:], uint16(res.quarter))
		binary.LittleEndian.PutUint64(buf[4:], uint64(b.recs[i].line))
		if res.reason != ReasonNone {
			raw := b.recs[i].raw.of(b.buf)
			binary.LittleEndian.PutUint32(buf[12:], uint32(len(raw)))
			if _, err := sp.results.Write(buf[:resultHead]); err != nil {
				return err
			}
			if _, err := sp.results.Write(raw); err != nil {
				return err
			}
			continue
		}
		copy(buf[12:24], res.id[:])
		copy(buf[24:36], res.nik[:])
		binary.LittleEndian.PutUint32(buf[36:], res.crc)
		buf[40] = byte(res.listed)
		res.fact.put(buf[44:])
		if _, err := sp.results.Write(buf[:]); err != nil {
			return err
		}
		var e [16]byte
		putSeen(e[:], res.id, res.crc)
		if err := sp.ids.add(e[:]); err != nil {
			return err
		}
		if f := &res.fact; f.Status == Salur {
			putReceipt(e[:], receiptKey{NIK: res.nik, Quarter: res.quarter, Program: f.Program, Component: f.Component})
			sp.paidIn[res.quarter] = true
			if err := sp.receipts.add(e[:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// readResult reads the next verdict of the results spill file into res,
// with its line and, for a quarantined row, its text (valid until the
// next call).
func readResult(r *bufio.Reader, res *rowResult, raw *[]byte) (int64, error) {
	var buf [resultSize]byte
	if _, err := io.ReadFull(r, buf[:resultHead]); err != nil {
		return 0, err
	}
	*res = rowResult{reason: Reason(buf[0]), moved: buf[1] == 1, quarter: Quarter(binary.LittleEndian.Uint16(buf[2:]))}
	line := int64(binary.LittleEndian.Uint64(buf[4:]))
	if res.reason != ReasonNone {
		n := int(binary.LittleEndian.Uint32(buf[12:]))
		if cap(*raw) < n {
			*raw = make([]byte, n)
		}
		*raw = (*raw)[:n]
		_, err := io.ReadFull(r, *raw)
		return line, noEOF(err)
	}
	if _, err := io.ReadFull(r, buf[resultHead:]); err != nil {
		return 0, noEOF(err)
	}
	copy(res.id[:], buf[12:24])
	copy(res.nik[:], buf[24:36])
	res.crc = binary.LittleEndian.Uint32(buf[36:])
	res.listed = Reason(buf[40])
	res.fact.get(buf[44:])
	return line, nil
}

// noEOF turns the end of the file inside a record into an error.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// judge applies the verdicts pass one wrote, in file order (pass two),
// after finding what the file repeats. It returns the file's counts and
// tallies, and the lines of the quarantined rows whose text is still to
// be read from the file (conflicting duplicates: pass one did not know
// them), in order.
// An error here is the run's, not the file's.
func (in *ingester) judge(ctx context.Context, name string) (fileStats, map[tallyKey]int64, []int64, error) {
	var stats fileStats
	tally := map[tallyKey]int64{}
	st := in.st
	t0 := time.Now()
	w, c, err := st.watchFile(ctx)
	if err != nil {
		return stats, nil, nil, err
	}
	if in.log != nil {
		in.log.Info("repeats looked up", "file", name, "ids_read", c.IDsRead, "repeated_transactions", c.IDs, "repeated_receipts", c.Receipts,
			"stored_transactions", c.StoredIDs, "stored_receipts", c.StoredReceipts, "took", time.Since(t0).Round(time.Millisecond).String())
	}
	st.watch = w
	defer func() { st.watch = nil }()
	seq := sequencer{st: st, file: name, stats: &stats, tally: tally, regions: in.regions}
	r := st.spill.results.reader(0, st.spill.results.off)
	var res rowResult
	var raw []byte
	for n := 0; ; n++ {
		line, err := readResult(r, &res, &raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return stats, nil, nil, fmt.Errorf("read back %s: %w", name, err)
		}
		if err := seq.apply(&res, line, raw); err != nil {
			return stats, nil, nil, err
		}
		if n%(64<<10) == 0 && ctx.Err() != nil {
			return stats, nil, nil, ctx.Err()
		}
	}
	return stats, tally, seq.unread, nil
}

// worker validates and pseudonymises batches. One per goroutine.
type worker struct {
	v       *Validator
	ps      *pseudonymiser
	fields  [][]byte
	content []byte
	row     Row
	// The exclusion lists in force for the run (read only, shared).
	asn, deceased *refList
	// openFrom: rows of earlier quarters are CLOSED_PERIOD (retention.go).
	openFrom Quarter
}

func newWorker(regions *region.Table, key datadir.Key, asn, deceased *refList) *worker {
	return &worker{v: NewValidator(regions), ps: newPseudonymiser(key), asn: asn, deceased: deceased}
}

func (w *worker) process(b *batch, cols *Columns) {
	if cap(b.out) < len(b.recs) {
		b.out = make([]rowResult, len(b.recs), batchRows)
	}
	b.out = b.out[:len(b.recs)]
	for i := range b.recs {
		rr := &b.recs[i]
		res := &b.out[i]
		*res = rowResult{}
		w.fields = w.fields[:0]
		for _, f := range b.fields[rr.f0 : rr.f0+rr.nf] {
			w.fields = append(w.fields, f.of(b.buf))
		}
		row := &w.row
		row.Line = rr.line
		var reason Reason
		if rr.malformed {
			// Quoting that cannot be read leaves no trustworthy fields.
			*row = Row{Line: rr.line}
			reason = BadFieldCount
		} else {
			reason, w.content = w.v.Validate(w.fields, cols, row, w.content[:0])
		}
		if reason == ReasonNone && row.Period < w.openFrom {
			reason = ClosedPeriod
		}
		res.reason = reason
		res.quarter = row.Period
		if reason != ReasonNone {
			continue
		}
		res.id = w.ps.pid(domID, row.ID)
		res.nik = w.ps.pid(domNIK, row.NIK[:])
		res.crc = crc32.Checksum(w.content, crcTable)
		res.moved = !bytes.Equal(row.NIK[:4], row.Village[:4])
		// The lists are fixed for the run, so they are checked here, in
		// parallel; the sequencer applies the verdict if the row is new.
		switch {
		case w.asn != nil && has(w.asn.asn, res.nik):
			res.listed = RejectASN
		case w.deceased != nil && diedBefore(w.deceased.died, res.nik, row.PeriodStart):
			res.listed = RejectDeceased
		}
		res.fact = fact{
			Family:    w.ps.u64(domKK, row.KK[:]),
			Nominal:   uint32(row.Nominal),
			District:  digitsValue(row.Village[:6]),
			Program:   row.Program,
			Component: row.Component,
			Status:    row.Status,
			Sex:       row.Sex,
			Decile:    row.Decile,
			Age:       ageBand(row.Birth, row.QuarterStart),
			Channel:   row.Channel,
		}
	}
}

func digitsValue(b []byte) uint32 {
	var n uint32
	for _, c := range b {
		n = n*10 + uint32(c-'0')
	}
	return n
}

// sequencer applies worker verdicts to the state, in file order.
type sequencer struct {
	st      *state
	file    string
	stats   *fileStats
	tally   map[tallyKey]int64
	regions *region.Table
	unread  []int64 // lines of quarantined rows whose text is to be read, in order
}

func quarterOf(q Quarter) int32 {
	if q == 0 {
		return -1
	}
	return int32(q)
}

func (s *sequencer) quality(q Quarter, reason string) {
	s.tally[tallyKey{Kind: "quality", Quarter: quarterOf(q), Reason: reason}]++
}

// quarantine keeps a row with its text, or with its text to be read
// from the file afterwards (later).
func (s *sequencer) quarantine(q Quarter, line int64, raw []byte, later bool, reason Reason) error {
	s.stats.Quarantined[reason]++
	s.quality(q, reason.String())
	if later {
		s.unread = append(s.unread, line)
	}
	return s.st.spill.quarantineRow(s.file, line, reason, raw, later)
}

func (s *sequencer) apply(res *rowResult, line int64, raw []byte) error {
	st := s.st
	s.stats.Rows++
	if res.reason != ReasonNone {
		return s.quarantine(res.quarter, line, raw, false, res.reason)
	}
	crc, seen, err := st.see(res.id, res.crc, res.quarter)
	if err != nil {
		return err
	}
	if seen {
		if crc == res.crc {
			s.stats.Replayed++
			s.quality(res.quarter, "REPLAYED")
		} else {
			return s.quarantine(res.quarter, line, nil, true, ConflictingDuplicateID)
		}
		return nil
	}
	// The row is well formed and new: it is seen from now on, whether
	// accepted or rejected.
	f := &res.fact
	var reject Reason
	switch {
	case res.listed != ReasonNone:
		reject = res.listed
	case f.Status == Salur:
		double, err := st.receive(receiptKey{NIK: res.nik, Quarter: res.quarter, Program: f.Program, Component: f.Component})
		if err != nil {
			return err
		}
		if double {
			reject = RejectDouble
		}
	}
	if res.moved {
		s.stats.Moved++
		s.quality(res.quarter, "MOVED")
	}
	if reject != ReasonNone {
		s.stats.Rejected[reject]++
		s.tally[tallyKey{Kind: "rejected", Quarter: int32(res.quarter), Program: f.Program.String(),
			Regency: regencyCode(f.District), Reason: reject.String()}]++
		return nil
	}
	s.stats.Accepted++
	if f.Status == Salur {
		s.stats.NominalSalur += int64(f.Nominal)
	}
	return st.addFact(res.quarter, f)
}

func has(m map[pid]struct{}, k pid) bool { _, ok := m[k]; return ok }

// diedBefore reports whether the NIK is listed as deceased with a date of
// death before the first day of the row's own period (a death on that day
// is not before).
func diedBefore(m map[pid]Date, k pid, periodStart Date) bool {
	d, ok := m[k]
	return ok && d < periodStart
}

// regencyCode turns district number 320411 into "32.04".
func regencyCode(district uint32) string {
	r := district / 100
	return fmt.Sprintf("%02d.%02d", r/100, r%100)
}
