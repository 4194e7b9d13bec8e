package aggregator

import (
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

// seenSpillSize: in the run's spill file a seen entry is followed by the
// quarter of its row (2 bytes), so that it is stored in seen_part under
// that quarter, to be forgotten with it (retention.go).
const seenSpillSize = seenSize + 2

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
// adds.
//
// Neither what earlier runs stored nor what this run adds is held in
// memory (issue on the national year; README, "A national year"): a
// file's rows are first judged by the workers and written to the run's
// spill files with their keys (pass one); the keys are then sorted into
// parts small enough for memory, which find the few the file repeats —
// within itself, from an earlier file of this run or from an earlier run
// (watch.go); the rows are then applied in file order (pass two) with
// only those repeated keys in memory. The run's new ids, receipts and
// facts, and its quarantined rows, go to spill files, and are stored
// from there when the run publishes.
type state struct {
	asn      *refList
	deceased *refList

	stored *privStore // what earlier runs committed
	spill  *runSpill
	// openFrom is the first quarter whose rows are judged; rows of
	// earlier quarters are refused as CLOSED_PERIOD (retention.go).
	openFrom Quarter

	// The file being applied: the keys it repeats, and the stored or
	// earlier entries with those keys (watch.go).
	watch *fileWatch

	// This run's additions, to be stored when the run publishes.
	facts map[Quarter]*factList // accepted rows by quarter
	tally map[tallyKey]int64    // this run's counts
	lists []*refList            // lists loaded by this run
	files []ingestedFile        // files this run ingested or refused
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
		facts: map[Quarter]*factList{},
		tally: map[tallyKey]int64{},
	}
}

// close removes the run's spill files.
func (s *state) close() {
	if s.spill != nil {
		s.spill.close()
		s.spill = nil
	}
}

// factList is a quarter's new facts in fixed-size chunks: the full ones in
// the run's fact spill file, the last one in memory.
type factList struct {
	spilled []int64 // offsets of full chunks in the fact spill file
	cur     []byte
	n       int
}

const factsPerChunk = 1 << 16

func (l *factList) add(f *fact, spill *spillFile) error {
	if l.cur == nil {
		l.cur = make([]byte, 0, factsPerChunk*factSize)
	}
	n := len(l.cur)
	l.cur = l.cur[:n+factSize]
	f.put(l.cur[n:])
	l.n++
	if len(l.cur) == cap(l.cur) {
		l.spilled = append(l.spilled, spill.off)
		if _, err := spill.Write(l.cur); err != nil {
			return fmt.Errorf("write facts to the spill file: %w", err)
		}
		l.cur = l.cur[:0]
	}
	return nil
}

// eachChunk calls fn with the list's chunks in order (full ones read back
// from spill).
func (l *factList) eachChunk(spill *spillFile, fn func([]byte) error) error {
	if len(l.spilled) > 0 {
		if err := spill.flush(); err != nil {
			return err
		}
		buf := make([]byte, factsPerChunk*factSize)
		for _, off := range l.spilled {
			if _, err := spill.f.ReadAt(buf, off); err != nil {
				return fmt.Errorf("read facts from the spill file: %w", err)
			}
			if err := fn(buf); err != nil {
				return err
			}
		}
	}
	if len(l.cur) > 0 {
		return fn(l.cur)
	}
	return nil
}

// see records a transaction of quarter q as seen with its content
// checksum, unless it was seen before: then it returns the checksum it was
// seen with. Only an id the file repeats can have been seen (watch.go);
// the others go straight to the run's new ids.
func (s *state) see(id pid, crc uint32, q Quarter) (uint32, bool, error) {
	var e [seenSpillSize]byte
	putSeen(e[:], id, crc)
	key := (*[seenSize]byte)(e[:seenSize])
	if w := s.watch; w.ids.has(key) {
		old, seen := w.seen.getOrPut(key, genCurrent)
		if seen {
			return binary.LittleEndian.Uint32(old[12:]), true, nil
		}
	}
	binary.LittleEndian.PutUint16(e[seenSize:], uint16(q))
	_, err := s.spill.seenNew.Write(e[:])
	return 0, false, err
}

// seenEntries passes fn the 16-byte entries of spilled seen entries
// (seenSpillSize each), without their quarters.
func seenEntries(fn func([]byte) error) func([]byte) error {
	var buf []byte
	return func(b []byte) error {
		if len(b)%seenSpillSize != 0 {
			return fmt.Errorf("corrupt seen entries: %d bytes", len(b))
		}
		buf = buf[:0]
		for i := 0; i < len(b); i += seenSpillSize {
			buf = append(buf, b[i:i+seenSize]...)
		}
		return fn(buf)
	}
}

// receive records an accepted SALUR receipt, unless there already was one
// for the key: then it reports true (the new one is a DOUBLE).
func (s *state) receive(k receiptKey) (bool, error) {
	var e [16]byte
	putReceipt(e[:], k)
	if w := s.watch; w.receipts.has(&e) {
		if _, had := w.received.getOrPut(&e, genCurrent); had {
			return true, nil
		}
	}
	_, err := s.spill.receiptsNew.Write(e[:])
	return false, err
}

func (s *state) addFact(q Quarter, f *fact) error {
	l := s.facts[q]
	if l == nil {
		l = &factList{}
		s.facts[q] = l
	}
	var fam [8]byte
	binary.LittleEndian.PutUint64(fam[:], f.Family)
	if err := s.spill.families.add(fam[:]); err != nil {
		return err
	}
	return l.add(f, s.spill.facts)
}
