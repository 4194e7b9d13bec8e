package aggregator

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Spill files: what a run would otherwise hold in memory for each of its
// rows (README, "A national year"). A run writes its rows' verdicts, keys
// and facts to files in a private folder beside private.db, and reads them
// back a part at a time, so its memory does not follow its files' size.
// The operating system keeps recently written files in its page cache,
// which it gives back under pressure; the run's own memory stays small.
//
// The folder holds pseudonyms and quarantined rows' text, as private.db
// does: it is created 0700 inside the data folder (itself private) and
// removed when the run ends; a run that was killed leaves one, which the
// next run removes (cleanSpills).

const spillPrefix = ".run-spill-"

// newSpillDir creates a run's spill folder next to private.db (the system's
// temporary folder when private.db has no path, as in tests of an
// in-memory store).
func newSpillDir(privatePath string) (string, error) {
	dir := ""
	if privatePath != "" && !strings.HasPrefix(privatePath, ":memory:") {
		dir = filepath.Dir(privatePath)
		cleanSpills(dir)
	}
	d, err := os.MkdirTemp(dir, spillPrefix)
	if err != nil {
		return "", fmt.Errorf("create the run's spill folder: %w", err)
	}
	return d, nil
}

// cleanSpills removes the spill folders runs killed part-way left in dir.
// Only one run at a time holds the data folder (aggregate.lock).
func cleanSpills(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), spillPrefix) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// spillFile is a file written front to back and read back from any
// offset.
type spillFile struct {
	f   *os.File
	w   *bufio.Writer
	off int64 // bytes written, buffered ones included
}

// createSpill creates a spill file written through a buffer of bufSize
// bytes (parts, of which there are many, take small ones).
func createSpill(dir, name string, bufSize int) (*spillFile, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create spill file: %w", err)
	}
	return &spillFile{f: f, w: bufio.NewWriterSize(f, bufSize)}, nil
}

func (s *spillFile) Write(b []byte) (int, error) {
	n, err := s.w.Write(b)
	s.off += int64(n)
	return n, err
}

// flush writes what is buffered, so the file can be read up to off.
func (s *spillFile) flush() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write spill file: %w", err)
	}
	return nil
}

// reader reads the file's bytes [from, to) (flush first).
func (s *spillFile) reader(from, to int64) *bufio.Reader {
	return bufio.NewReaderSize(io.NewSectionReader(s.f, from, to-from), 256<<10)
}

// truncate empties the file, to be written again from its start.
func (s *spillFile) truncate() error {
	s.w.Reset(s.f)
	s.off = 0
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate spill file: %w", err)
	}
	_, err := s.f.Seek(0, io.SeekStart)
	return err
}

func (s *spillFile) close() error { return s.f.Close() }

// eachRecord calls fn with the file's bytes [from, to) in slices of whole
// records of size bytes, at most about 1 MiB each.
func (s *spillFile) eachRecord(from, to int64, size int, fn func([]byte) error) error {
	if err := s.flush(); err != nil {
		return err
	}
	buf := make([]byte, max(size, (1<<20)/size*size))
	for off := from; off < to; {
		n := int(min(int64(len(buf)), to-off))
		if _, err := s.f.ReadAt(buf[:n], off); err != nil {
			return fmt.Errorf("read spill file: %w", err)
		}
		if err := fn(buf[:n]); err != nil {
			return err
		}
		off += int64(n)
	}
	return nil
}

// parts spreads fixed-size records over files by a byte of their key,
// so each part can be read into memory on its own. Keys are keyed
// pseudonyms (uniformly random), so the parts come out about even.
type parts struct {
	files []*spillFile
	size  int // record size
	at    int // index of the byte that chooses the part
}

// newParts creates n parts (a power of two, at most 256) of records of
// size bytes, in dir, named after name.
func newParts(dir, name string, n, size, at int) (*parts, error) {
	p := &parts{size: size, at: at}
	for i := 0; i < n; i++ {
		f, err := createSpill(dir, fmt.Sprintf("%s-%03d", name, i), 32<<10)
		if err != nil {
			p.close()
			return nil, err
		}
		p.files = append(p.files, f)
	}
	return p, nil
}

// recordsPerPart is about the most records a part takes: a million keys
// are 16 MiB, a table of them 34 MiB. Tests lower it to spread a few rows
// over many parts.
var recordsPerPart int64 = 1 << 20

// partsFor is the number of parts for about n records (at most 256).
func partsFor(n int64) int {
	k := 1
	for k < 256 && int64(k)*recordsPerPart < n {
		k <<= 1
	}
	return k
}

func (p *parts) add(rec []byte) error {
	_, err := p.files[int(rec[p.at])&(len(p.files)-1)].Write(rec)
	return err
}

func (p *parts) len() int64 {
	var n int64
	for _, f := range p.files {
		n += f.off
	}
	return n / int64(p.size)
}

// read returns part i's records.
func (p *parts) read(i int) ([]byte, error) {
	f := p.files[i]
	if err := f.flush(); err != nil {
		return nil, err
	}
	b := make([]byte, f.off)
	if _, err := f.f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read spill file: %w", err)
	}
	return b, nil
}

// filter returns a Bloom filter of every record's key, sized for them.
func (p *parts) filter() (bloom, error) {
	f := newBloom(p.len())
	for _, file := range p.files {
		err := file.eachRecord(0, file.off, p.size, func(b []byte) error {
			for i := 0; i < len(b); i += p.size {
				f.add((*[16]byte)(b[i : i+16]))
			}
			return nil
		})
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// reset empties every part.
func (p *parts) reset() error {
	for _, f := range p.files {
		if err := f.truncate(); err != nil {
			return err
		}
	}
	return nil
}

func (p *parts) close() {
	for _, f := range p.files {
		f.close()
	}
}

// runSpill is one run's spill files.
type runSpill struct {
	dir string
	// The file being read, written by pass one and read by pass two: each
	// row's verdict, its keys by part, and the stored or earlier entries
	// that may share a key with them.
	results                   *spillFile
	ids, receipts             *parts
	storedIDs, storedReceipts *parts
	paidIn                    map[Quarter]bool // quarters the file's payments are in
	marks                     []lineMark       // where every lineMarkEvery-th record starts
	// The run's additions, stored when it publishes: new seen ids and
	// receipts (16 bytes each, in file order), facts (factList) and the
	// accepted rows' families (8 bytes each, by part, to count them).
	seenNew, receiptsNew, facts *spillFile
	families                    *parts
	// Quarantined rows (quarantineHead bytes, then the row's text), and
	// the text of those whose text was read afterwards (conflicting
	// duplicates), in the same order.
	quarantine, conflicts *spillFile
	files                 []string // names of the files quarantined rows are from
}

// quarantineHead: reason, whether the text is in conflicts, file index,
// line, text length.
const quarantineHead = 1 + 1 + 4 + 8 + 4

// quarantineRow writes a quarantined row; raw nil with later: its text
// follows in conflicts.
func (s *runSpill) quarantineRow(file string, line int64, reason Reason, raw []byte, later bool) error {
	if len(s.files) == 0 || s.files[len(s.files)-1] != file {
		s.files = append(s.files, file)
	}
	var h [quarantineHead]byte
	h[0] = byte(reason)
	if later {
		h[1] = 1
	}
	binary.LittleEndian.PutUint32(h[2:], uint32(len(s.files)-1))
	binary.LittleEndian.PutUint64(h[6:], uint64(line))
	binary.LittleEndian.PutUint32(h[14:], uint32(len(raw)))
	if _, err := s.quarantine.Write(h[:]); err != nil {
		return err
	}
	_, err := s.quarantine.Write(raw)
	return err
}

// conflictText writes the text of the next quarantined row whose text
// was to follow.
func (s *runSpill) conflictText(raw []byte) error {
	var h [4]byte
	binary.LittleEndian.PutUint32(h[:], uint32(len(raw)))
	if _, err := s.conflicts.Write(h[:]); err != nil {
		return err
	}
	_, err := s.conflicts.Write(raw)
	return err
}

// eachQuarantined calls fn with every quarantined row in order.
func (s *runSpill) eachQuarantined(fn func(file string, line int64, reason Reason, raw []byte) error) error {
	if err := s.quarantine.flush(); err != nil {
		return err
	}
	if err := s.conflicts.flush(); err != nil {
		return err
	}
	q, c := s.quarantine.reader(0, s.quarantine.off), s.conflicts.reader(0, s.conflicts.off)
	var h [quarantineHead]byte
	var raw []byte
	text := func(r *bufio.Reader, n int) error {
		if cap(raw) < n {
			raw = make([]byte, n)
		}
		raw = raw[:n]
		_, err := io.ReadFull(r, raw)
		return noEOF(err)
	}
	for {
		if _, err := io.ReadFull(q, h[:]); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("read quarantined rows: %w", noEOF(err))
		}
		if err := text(q, int(binary.LittleEndian.Uint32(h[14:]))); err != nil {
			return fmt.Errorf("read quarantined rows: %w", err)
		}
		if h[1] == 1 {
			var n [4]byte
			if _, err := io.ReadFull(c, n[:]); err != nil {
				return fmt.Errorf("read conflicting rows: %w", noEOF(err))
			}
			if err := text(c, int(binary.LittleEndian.Uint32(n[:]))); err != nil {
				return fmt.Errorf("read conflicting rows: %w", err)
			}
		}
		file := s.files[binary.LittleEndian.Uint32(h[2:])]
		if err := fn(file, int64(binary.LittleEndian.Uint64(h[6:])), Reason(h[0]), raw); err != nil {
			return err
		}
	}
}

// newRunSpill creates the spill files of a run whose largest distribution
// file holds about fileRows rows, and all of them about runRows.
func newRunSpill(privatePath string, fileRows, runRows int64) (*runSpill, error) {
	dir, err := newSpillDir(privatePath)
	if err != nil {
		return nil, err
	}
	s := &runSpill{dir: dir, paidIn: map[Quarter]bool{}}
	// Room to spare: the row estimate comes from the file's size.
	n := partsFor(fileRows * 2)
	for _, c := range []struct {
		p    **spillFile
		name string
	}{{&s.results, "rows"}, {&s.seenNew, "seen"}, {&s.receiptsNew, "receipts"}, {&s.facts, "facts"},
		{&s.quarantine, "quarantine"}, {&s.conflicts, "conflicts"}} {
		if *c.p, err = createSpill(dir, c.name, 256<<10); err != nil {
			s.close()
			return nil, err
		}
	}
	for _, c := range []struct {
		p          **parts
		name       string
		n, size, b int
	}{
		{&s.ids, "ids", n, seenSize, 11}, {&s.receipts, "receipt-keys", n, receiptSize, 11},
		{&s.storedIDs, "stored-ids", n, seenSize, 11}, {&s.storedReceipts, "stored-receipts", n, receiptSize, 11},
		{&s.families, "families", partsFor(runRows * 2), 8, 7},
	} {
		if *c.p, err = newParts(dir, c.name, c.n, c.size, c.b); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// startFile empties what belongs to the previous file.
func (s *runSpill) startFile() error {
	if err := s.results.truncate(); err != nil {
		return err
	}
	for _, p := range []*parts{s.ids, s.receipts, s.storedIDs, s.storedReceipts} {
		if err := p.reset(); err != nil {
			return err
		}
	}
	clear(s.paidIn)
	s.marks = s.marks[:0]
	return nil
}

// lineMark is where a record may start: the physical line and the byte
// offset (of the uncompressed text) that line starts at. A reader set at
// the offset finds the record at that line or, past blank lines, a later
// one.
type lineMark struct {
	line, off int64
}

// lineMarkEvery records between marks: 25M rows leave 24k marks (400
// KiB), and finding a row's text reads at most 1024 records. Tests lower
// it.
var lineMarkEvery = 1024

func (s *runSpill) close() {
	for _, f := range []*spillFile{s.results, s.seenNew, s.receiptsNew, s.facts, s.quarantine, s.conflicts} {
		if f != nil {
			f.close()
		}
	}
	for _, p := range []*parts{s.ids, s.receipts, s.storedIDs, s.storedReceipts, s.families} {
		if p != nil {
			p.close()
		}
	}
	os.RemoveAll(s.dir)
}

// distinctFamilies counts the distinct families among the run's accepted
// rows, a part at a time.
func (s *runSpill) distinctFamilies() (int64, error) {
	var d int64
	for i := range s.families.files {
		b, err := s.families.read(i)
		if err != nil {
			return 0, err
		}
		fams := make([]uint64, len(b)/8)
		for j := range fams {
			fams[j] = binary.LittleEndian.Uint64(b[j*8:])
		}
		slices.Sort(fams)
		for j := range fams {
			if j == 0 || fams[j] != fams[j-1] {
				d++
			}
		}
	}
	return d, nil
}
