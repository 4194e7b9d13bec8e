package aggregator

import (
	"context"
	"encoding/binary"
	"fmt"
)

// receiptKey identifies an accepted SALUR for DOUBLE: the NIK's pseudonym,
// the quarter and the programme (with the component for PKH).
type receiptKey struct {
	NIK       pid
	Quarter   Quarter
	Program   Program
	Component Component
}

const seenSize, receiptSize = 16, 16

func putSeen(b []byte, id pid, crc uint32) {
	copy(b, id[:])
	binary.LittleEndian.PutUint32(b[12:], crc)
}

func putReceipt(b []byte, k receiptKey) {
	copy(b, k.NIK[:])
	binary.LittleEndian.PutUint16(b[12:], uint16(k.Quarter))
	b[14] = byte(k.Program)
	b[15] = byte(k.Component)
}

func getReceipt(b []byte) receiptKey {
	var k receiptKey
	copy(k.NIK[:], b[:12])
	k.Quarter = Quarter(binary.LittleEndian.Uint16(b[12:]))
	k.Program = Program(b[14])
	k.Component = Component(b[15])
	return k
}

// tallyKey is one count of the rejection or quality tables.
type tallyKey struct {
	Kind    string // "rejected" or "quality"
	Quarter int32  // -1: period unreadable
	Program string
	Regency string // dotted regency code (rejections)
	Reason  string
}

// state is what the aggregator remembers across runs plus what this run
// adds. The tables tag this run's additions so a file refused part-way is
// undone and only the additions are stored.
//
// What earlier runs stored is not loaded (issue on the national year;
// README, "A national year"): memory follows the run's new rows, not the
// history. After each file, the stored ids and the stored receipts of the
// quarters it paid in are read as a stream, to find the few the file
// repeats (storedHits).
type state struct {
	seen     *entryTable // 12-byte id pseudonym → 4-byte content checksum
	receipts *entryTable // 16-byte receiptKey
	asn      *refList
	deceased *refList

	stored *privStore // nil: no earlier run to read

	// This run's additions, to be stored when the run publishes.
	facts      map[Quarter]*factList // accepted rows by quarter
	tally      map[tallyKey]int64    // this run's counts
	quarantine []quarantinedRow      // this run's quarantined rows
	lists      []*refList            // lists loaded by this run
	files      []ingestedFile        // files this run ingested or refused
}

// Generations of table entries: loaded from the store, added by an earlier
// file of this run, added by the file being read.
const (
	genStored  = 0
	genRun     = 1
	genCurrent = 2
)

type quarantinedRow struct {
	File   string
	Line   int64
	Reason Reason
	Raw    []byte
}

type ingestedFile struct {
	Name    string
	Kind    string
	SHA256  string
	Bytes   int64
	Rows    int64
	Refused bool
	Reason  string
}

func newState() *state {
	return &state{
		seen:     newEntryTable(12, 0),
		receipts: newEntryTable(16, 0),
		facts:    map[Quarter]*factList{},
		tally:    map[tallyKey]int64{},
	}
}

// storedHits returns the stored entries that the file being read added
// anew: seen transactions an earlier run saw, which the file repeats, and
// receipts an earlier run recorded, which make the file's payments
// DOUBLE. The file's rows were judged without them, so the caller rolls
// the file back, adds the hits (keepStored) and reads the file again.
// Repeats across runs are rare, so most files are read once. The scan
// streams every stored id and the stored receipts of the quarters the run
// paid in, so memory does not grow with the history or the quarter.
func (s *state) storedHits(ctx context.Context) (hits, error) {
	var h hits
	if s.stored == nil {
		return h, nil
	}
	scan := func(t *entryTable, size int, what string, out *[][16]byte) func([]byte) error {
		// Most stored entries are not the file's: a bitmap of the file's
		// keys, small enough for the cache, turns them away before they
		// reach the table (a random access each).
		f := t.filter(genCurrent)
		return func(b []byte) error {
			if len(b)%size != 0 {
				return fmt.Errorf("corrupt stored %s", what)
			}
			for i := 0; i < len(b); i += size {
				e := (*[16]byte)(b[i : i+size])
				if !f.mayHave(e) {
					continue
				}
				if j, ok := t.find(e); ok && t.gen[j] == genCurrent {
					*out = append(*out, *e)
				}
			}
			return ctx.Err()
		}
	}
	if err := s.stored.eachSeenChunk(ctx, scan(s.seen, seenSize, "transactions", &h.seen)); err != nil {
		return h, fmt.Errorf("look up stored transactions: %w", err)
	}
	// The quarters the file paid in: the only stored receipts it can repeat.
	paidIn := map[Quarter]bool{}
	s.receipts.eachOf(genCurrent, func(e *[16]byte) { paidIn[getReceipt(e[:]).Quarter] = true })
	for q := range paidIn {
		if err := s.stored.eachReceiptChunk(ctx, q, scan(s.receipts, receiptSize, "receipts", &h.receipts)); err != nil {
			return h, fmt.Errorf("look up the stored receipts of %s: %w", PeriodString(q), err)
		}
	}
	return h, nil
}

// hits are stored entries a file repeats.
type hits struct{ seen, receipts [][16]byte }

func (h hits) len() int { return len(h.seen) + len(h.receipts) }

// keepStored adds stored entries to the tables, so the rows that repeat
// them are judged as repeats.
func (s *state) keepStored(h hits) {
	for _, p := range []struct {
		t  *entryTable
		es [][16]byte
	}{{s.seen, h.seen}, {s.receipts, h.receipts}} {
		p.t.reserve(len(p.es))
		for _, e := range p.es {
			p.t.put(e, genStored)
		}
	}
}

// factList holds a quarter's new facts in fixed-size chunks, so a large
// file never needs a doubled copy of its facts.
type factList struct {
	chunks [][]byte
	n      int
}

const factsPerChunk = 1 << 16

func (l *factList) add(f *fact) {
	if len(l.chunks) == 0 || len(l.chunks[len(l.chunks)-1]) == factsPerChunk*factSize {
		l.chunks = append(l.chunks, make([]byte, 0, factsPerChunk*factSize))
	}
	c := &l.chunks[len(l.chunks)-1]
	n := len(*c)
	*c = (*c)[:n+factSize]
	f.put((*c)[n:])
	l.n++
}

func (l *factList) truncate(n int) {
	for l.n > n {
		c := &l.chunks[len(l.chunks)-1]
		drop := min(l.n-n, len(*c)/factSize)
		*c = (*c)[:len(*c)-drop*factSize]
		l.n -= drop
		if len(*c) == 0 {
			l.chunks = l.chunks[:len(l.chunks)-1]
		}
	}
}

// mark is the state's extent at the start of a file, to roll back to.
type mark struct {
	quarantine int
	facts      map[Quarter]int
}

func (s *state) mark() mark {
	m := mark{quarantine: len(s.quarantine), facts: make(map[Quarter]int, len(s.facts))}
	for q, l := range s.facts {
		m.facts[q] = l.n
	}
	return m
}

// rollback undoes everything the current file added.
func (s *state) rollback(m mark) {
	s.seen.dropGeneration(genCurrent)
	s.receipts.dropGeneration(genCurrent)
	for q, l := range s.facts {
		l.truncate(m.facts[q])
	}
	clear(s.quarantine[m.quarantine:])
	s.quarantine = s.quarantine[:m.quarantine]
}

// commitFile makes the current file's additions part of the run's.
func (s *state) commitFile() {
	for _, t := range []*entryTable{s.seen, s.receipts} {
		for i, g := range t.gen {
			if g == genCurrent {
				t.gen[i] = genRun
			}
		}
	}
}

// see records a transaction as seen with its content checksum, unless it
// was seen before: then it returns the checksum it was seen with.
func (s *state) see(id pid, crc uint32) (uint32, bool) {
	var e [16]byte
	putSeen(e[:], id, crc)
	old, seen := s.seen.getOrPut(&e, genCurrent)
	if !seen {
		return 0, false
	}
	return binary.LittleEndian.Uint32(old[12:]), true
}

// receive records an accepted SALUR receipt, unless there already was one
// for the key: then it reports true (the new one is a DOUBLE).
func (s *state) receive(k receiptKey) bool {
	var e [16]byte
	putReceipt(e[:], k)
	_, had := s.receipts.getOrPut(&e, genCurrent)
	return had
}

func (s *state) addFact(q Quarter, f *fact) {
	l := s.facts[q]
	if l == nil {
		l = &factList{}
		s.facts[q] = l
	}
	l.add(f)
}
