package aggregator

import (
	"cmp"
	"container/list"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"unsafe"
)

// A quarter's facts as the moves read them (witnesses from records,
// moves.go). A move takes the families of a district and its siblings,
// so the facts are filed on disk by district, and a district's families
// are read the first time a move needs them and kept while they fit
// (districtFactsHeld). A national quarter (some 75 million rows, 24
// bytes each in memory) never has to be in memory at once; see README,
// "A national year".
//
// Filing takes three sequential passes through files in the run's
// protection spill folder (spill.go), none holding more than about a
// part's facts:
//  1. the facts, in any order, are spread over parts by their family
//     (a keyed pseudonym, so the parts come out even);
//  2. part by part, each family's facts are brought together and written
//     once for each district the family has a fact in, to the file of
//     that district's group (districts in order, groups of about a
//     part's facts);
//  3. group by group, the facts are sorted by district, then new
//     families first (all of whose facts are new), then by family
//     (compareFacts), and written to the blocks file: the block of a
//     district holds every fact of every family with a fact there, in
//     the order the moves take families.
//
// A family with facts in two districts (it moved, or a move of an
// earlier witness put it there) is filed in both, so a district's block
// alone answers for its families.

// quarterFacts are a quarter's accepted rows, filed by district.
type quarterFacts struct {
	g      *geography
	dir    string
	file   *os.File
	blocks []factBlock // by district index
	// counts is the number of families of each (district, programme):
	// the length of families(d, p) without reading the district.
	counts map[[2]int32]int
	// The districts read, most recently used first.
	lru    *list.List
	loaded map[int32]*list.Element
	held   int   // facts held by the loaded districts
	limit  int   // facts to hold at most (one district more when it is larger)
	reads  int64 // districts read from the file, for the trace
	err    error // the first district that could not be read
}

// factBlock is where a district's facts lie in the blocks file.
type factBlock struct {
	off int64
	n   int32
}

// districtFacts are the families of one district.
type districtFacts struct {
	d int32
	n int // facts
	// families of each programme with a fact of it in the district, new
	// ones (all of whose facts are new) first, then by pseudonym.
	fams [8][]famRef // by programme (3 bits on disk)
	// repeats holds, in the same order, the families of each programme
	// with two or more rows of one component in the district: the only
	// ones that can give up a row and still count there (moveRecords).
	repeats [8][]famRef
}

// famRef is a family and all its facts in the quarter (in compareFacts
// order), wherever they lie.
type famRef struct {
	fam   uint64
	facts []fact
}

// kept returns r with its facts copied: r's facts lie in its district's
// block, which a move that keeps r would keep in memory after the
// district cache has let it go.
func (r famRef) kept() famRef { return famRef{r.fam, slices.Clone(r.facts)} }

// districtFactsHeld is about the most facts a quarter's loaded districts
// hold: 4 million, some 200 MiB with their lists. Two quarters are
// protected at once. Tests lower it to make the districts come and go.
var districtFactsHeld = 4 << 20

// The blocks file holds facts as this process lays them out in memory
// (it writes them and reads them back itself, never another build), so
// a district is read straight into its facts, with nothing to decode.
const sizeOfFact = int64(unsafe.Sizeof(fact{}))

func factBytes(fs []fact) []byte {
	if len(fs) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&fs[0])), int64(len(fs))*sizeOfFact)
}

// factRecord is a fact on disk with its New mark (byte 19, which the
// private store leaves 0).
const factRecord = factSize

func putFactRecord(b []byte, f *fact) {
	f.put(b)
	if f.New {
		b[19] = 1
	}
}

func getFactRecord(b []byte) fact {
	var f fact
	f.get(b)
	f.New = b[19] == 1
	return f
}

// loadQuarterFacts files quarter q's facts, marking those of run runID as
// new, in the protection spill folder dir.
func loadQuarterFacts(ctx context.Context, priv *sql.DB, q Quarter, runID string, g *geography, dir string) (*quarterFacts, error) {
	var size int64
	if err := priv.QueryRowContext(ctx, `SELECT coalesce(sum(length(data)), 0) FROM fact_chunk WHERE quarter = ?`, int(q)).Scan(&size); err != nil {
		return nil, fmt.Errorf("load facts of %s: %w", PeriodString(q), err)
	}
	qf, err := fileFacts(ctx, dir, g, size/factSize, func(add func(*fact) error) error {
		return eachFactChunk(ctx, priv, q, func(run string, b []byte) error {
			for i := 0; i < len(b); i += factSize {
				var f fact
				f.get(b[i:])
				f.New = run == runID
				if err := add(&f); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load facts of %s: %w", PeriodString(q), err)
	}
	return qf, nil
}

// fileFacts files the about n facts each gives (in any order) in dir. The
// facts are a function of what each gives, not of its order. A cancelled
// ctx stops it between parts and groups.
func fileFacts(ctx context.Context, dir string, g *geography, n int64, each func(add func(*fact) error) error) (qf *quarterFacts, err error) {
	work, err := os.MkdirTemp(dir, "facts-")
	if err != nil {
		return nil, fmt.Errorf("file facts: %w", err)
	}
	filed := &quarterFacts{g: g, dir: work, blocks: make([]factBlock, g.nDist), counts: map[[2]int32]int{},
		lru: list.New(), loaded: map[int32]*list.Element{}, limit: districtFactsHeld}
	qf = filed
	defer func() {
		if err != nil {
			filed.close() // (the error return has set qf to nil)
		}
	}()

	// 1. Facts to parts by family, counting each district's own.
	byFam, err := newParts(work, "family", partsFor(n), factRecord, 0)
	if err != nil {
		return nil, err
	}
	defer byFam.close()
	own := make([]int64, g.nDist)
	var rec [factRecord]byte
	err = each(func(f *fact) error {
		d := g.districtOf(f.District)
		if d < 0 {
			return errUnknownDistrict(f.District)
		}
		own[d]++
		putFactRecord(rec[:], f)
		return byFam.add(rec[:])
	})
	if err != nil {
		return nil, err
	}

	// 2. Each family once to each of its districts' groups.
	group := make([]int, g.nDist)
	var groups []*spillFile
	defer func() {
		for _, f := range groups {
			f.close()
		}
	}()
	var inGroup int64
	for d := range own {
		if len(groups) == 0 || (inGroup > 0 && inGroup+own[d] > recordsPerPart) {
			f, err := createSpill(work, fmt.Sprintf("group-%04d", len(groups)), 64<<10)
			if err != nil {
				return nil, err
			}
			groups = append(groups, f)
			inGroup = 0
		}
		group[d] = len(groups) - 1
		inGroup += own[d]
	}
	// A group record is the district, the fact, and whether its family
	// is new.
	const groupRecord = 4 + factRecord + 1
	var grec [groupRecord]byte
	var facts []fact
	var keys [][2]int32
	var dists []int32
	for i := range byFam.files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := byFam.read(i)
		if err != nil {
			return nil, err
		}
		byFam.files[i].truncate() // read once: the disk holds the facts about twice at most
		facts = facts[:0]
		for j := 0; j < len(b); j += factRecord {
			facts = append(facts, getFactRecord(b[j:]))
		}
		b = nil
		slices.SortFunc(facts, compareFacts)
		for lo := 0; lo < len(facts); {
			hi := lo + 1
			for hi < len(facts) && facts[hi].Family == facts[lo].Family {
				hi++
			}
			keys, dists = keys[:0], dists[:0]
			for _, f := range facts[lo:hi] {
				d := int32(g.districtOf(f.District))
				if k := [2]int32{d, int32(f.Program)}; !slices.Contains(keys, k) {
					keys = append(keys, k)
					qf.counts[k]++
				}
				if !slices.Contains(dists, d) {
					dists = append(dists, d)
				}
			}
			// A family's facts from earlier runs come before its new ones
			// (compareFacts), so its first fact says whether it is new.
			grec[groupRecord-1] = 0
			if facts[lo].New {
				grec[groupRecord-1] = 1
			}
			for _, d := range dists {
				binary.LittleEndian.PutUint32(grec[:], uint32(d))
				for j := lo; j < hi; j++ {
					putFactRecord(grec[4:], &facts[j])
					if _, err := groups[group[d]].Write(grec[:]); err != nil {
						return nil, fmt.Errorf("file facts: %w", err)
					}
				}
			}
			lo = hi
		}
	}
	facts = nil

	// 3. Groups sorted by district, new families first, and family into
	// the blocks file.
	out, err := createSpill(work, "blocks", 256<<10)
	if err != nil {
		return nil, err
	}
	qf.file = out.f
	// A family's facts for one district lie together in its group's
	// file, in compareFacts order (pass 2 wrote them so, and a family is
	// in one part): only these runs need sorting, not every fact.
	type run struct {
		d      int32
		newFam bool
		fam    uint64
		lo, n  int32
	}
	var recs, block []fact
	var runs []run
	for _, gf := range groups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		recs, runs = recs[:0], runs[:0]
		err := gf.eachRecord(0, gf.off, groupRecord, func(b []byte) error {
			for j := 0; j < len(b); j += groupRecord {
				d, f := int32(binary.LittleEndian.Uint32(b[j:])), getFactRecord(b[j+4:])
				if r := len(runs) - 1; r < 0 || runs[r].d != d || runs[r].fam != f.Family {
					runs = append(runs, run{d, b[j+groupRecord-1] == 1, f.Family, int32(len(recs)), 0})
				}
				runs[len(runs)-1].n++
				recs = append(recs, f)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		gf.truncate() // its pages are not needed again
		slices.SortFunc(runs, func(a, b run) int {
			if c := cmp.Compare(a.d, b.d); c != 0 {
				return c
			}
			if a.newFam != b.newFam {
				if a.newFam {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.fam, b.fam)
		})
		block = block[:0]
		for _, r := range runs {
			bl := &qf.blocks[r.d]
			if bl.n == 0 {
				bl.off = out.off + int64(len(block))*sizeOfFact
			}
			bl.n += r.n
			block = append(block, recs[r.lo:r.lo+r.n]...)
		}
		if _, err := out.Write(factBytes(block)); err != nil {
			return nil, fmt.Errorf("file facts: %w", err)
		}
	}
	if err := out.flush(); err != nil {
		return nil, err
	}
	return qf, nil
}

// close removes the quarter's files.
func (qf *quarterFacts) close() error {
	if qf.file != nil {
		qf.file.Close()
	}
	return os.RemoveAll(qf.dir)
}

// count is the number of families of programme p in district d.
func (qf *quarterFacts) count(d int, p Program) int {
	return qf.counts[[2]int32{int32(d), int32(p)}]
}

// families lists the families of programme p in district d (new ones
// first, then by pseudonym).
func (qf *quarterFacts) families(d int, p Program) []famRef {
	if qf.count(d, p) == 0 {
		return nil
	}
	return qf.district(d).fams[p]
}

// repeaters lists the families of families(d, p) with two or more rows
// of one component of p in district d.
func (qf *quarterFacts) repeaters(d int, p Program) []famRef {
	if qf.count(d, p) == 0 {
		return nil
	}
	return qf.district(d).repeats[p]
}

// district returns district d's families, read from the file if they
// are not held, letting go of the least recently used districts past the
// limit. A district let go is read again when needed, the same as
// before: what the moves see does not depend on the limit.
func (qf *quarterFacts) district(d int) *districtFacts {
	if e, ok := qf.loaded[int32(d)]; ok {
		qf.lru.MoveToFront(e)
		return e.Value.(*districtFacts)
	}
	df, err := qf.read(d)
	if err != nil {
		// The moves cannot fail; the quarter's protection does, after
		// them (protectQuarter checks err).
		if qf.err == nil {
			qf.err = fmt.Errorf("read the filed facts of district %d: %w", d, err)
		}
		return &districtFacts{d: int32(d)}
	}
	qf.reads++
	for qf.held+df.n > qf.limit && qf.lru.Len() > 0 {
		old := qf.lru.Remove(qf.lru.Back()).(*districtFacts)
		delete(qf.loaded, old.d)
		qf.held -= old.n
	}
	qf.loaded[int32(d)] = qf.lru.PushFront(df)
	qf.held += df.n
	return df
}

// read reads district d's block and lists its families, in the block's
// order.
func (qf *quarterFacts) read(d int) (*districtFacts, error) {
	bl := qf.blocks[d]
	facts := make([]fact, bl.n)
	if _, err := qf.file.ReadAt(factBytes(facts), bl.off); err != nil {
		return nil, err
	}
	df := &districtFacts{d: int32(d), n: len(facts)}
	for p := range df.fams {
		if n := qf.counts[[2]int32{int32(d), int32(p)}]; n > 0 {
			df.fams[p] = make([]famRef, 0, n)
		}
	}
	var progs []Program
	for lo := 0; lo < len(facts); {
		hi := lo + 1
		for hi < len(facts) && facts[hi].Family == facts[lo].Family {
			hi++
		}
		ref := famRef{facts[lo].Family, facts[lo:hi:hi]}
		progs = progs[:0]
		var seen [8][numComponents]bool
		repeats := 0
		for _, f := range ref.facts {
			if qf.g.districtOf(f.District) != d {
				continue
			}
			p := f.Program
			if !slices.Contains(progs, p) {
				progs = append(progs, p)
			}
			if seen[p][f.Component] {
				repeats |= 1 << p
			}
			seen[p][f.Component] = true
		}
		for _, p := range progs {
			df.fams[p] = append(df.fams[p], ref)
			if repeats&(1<<p) != 0 {
				df.repeats[p] = append(df.repeats[p], ref)
			}
		}
		lo = hi
	}
	return df, nil
}
