// Package aggregator turns the ministry's recipient-level distribution
// files into anonymous statistics: it reads, validates, matches
// (ASN, deceased, double receipts), pseudonymises, aggregates, suppresses
// small cells and publishes a new numbered release, in one run. The rules
// are docs/input.md and docs/disclosure.md.
package aggregator

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/portal-data-bansos/portal/internal/csvread"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/store"
)

// Options configure a run.
type Options struct {
	Published *store.DB
	Private   *store.DB
	// OpenPrivate, used when Private is nil, opens private.db for one
	// run; Run closes it at the end. A long-lived process (portal serve)
	// thus holds the store of raw rows and pseudonyms open only while a
	// run needs it (docs/disclosure.md, "Side channels").
	OpenPrivate func(context.Context) (*store.DB, error)
	Regions     *region.Table
	Key         datadir.Key
	// K is the disclosure threshold (docs/disclosure.md §2).
	K int
	// PublishAfterDays: a quarter is first published once this many days
	// have passed since it ended (Asia/Jakarta), so that its months come
	// out together and a late month is not a revision to protect
	// against the month before (docs/disclosure.md, "Releases"). 0 means
	// as soon as it has ended; negative, at once, even while it runs.
	PublishAfterDays int
	// AsOf, when set, is the day quarters are judged due on, instead of
	// the run's clock: loading archived monthly exports in the order they
	// arrived publishes each quarter when it would have come out then.
	// Only an earlier day is taken (a later one would publish a quarter
	// before it is due); releases keep the run's own time.
	AsOf time.Time
	Log  *slog.Logger
	// Trigger names what started the run: "command", "schedule", "demo".
	Trigger string
	// Synthetic marks a run over generated data (the demo, or files of
	// `portal generate`): its release says so, and a data folder never
	// mixes synthetic and real data (synthetic.go).
	Synthetic bool
	// DataDir is the data folder, named in the message that refuses to
	// mix synthetic and real data ("DIR" when empty).
	DataDir string
	// Progress, when set, receives the run's progress.
	Progress Progress
	// Workers is the run's share of the cores: its validating goroutines,
	// and the quarters it aggregates and protects at once (0: GOMAXPROCS).
	// A run inside the serving process takes fewer, so readers do not
	// notice it.
	Workers int
	// YieldToReaders runs the run's threads at the lowest priority, so a
	// scheduled run inside the serving process takes the cores readers
	// leave (Linux; see priority.go).
	YieldToReaders bool
	// RetainQuarters, when above 0, keeps the seen ids and receipts of the
	// quarter of the run's day and this many quarters before it (at least
	// MinRetainQuarters); rows of earlier quarters are refused as
	// CLOSED_PERIOD (retention.go, docs/input.md §3 "Retention").
	RetainQuarters int
	// GCPercent, when above 0, is the garbage collector's target (GOGC)
	// while the run goes, the previous one restored after: the serving
	// process lets its heap grow for readers' speed, and a run inside it
	// keeps to Go's default so that its memory stays what it is in
	// `portal aggregate`.
	GCPercent int
	Now       func() time.Time
}

// Progress receives a run's progress: the total bytes to read, then
// updates with the bytes read and rows judged so far.
type Progress interface {
	Start(totalBytes int64)
	Update(readBytes, rows int64)
	Done()
}

// Input is one file for a run.
type Input struct {
	Path string
	// Kind is ListASN or ListDeceased for a reference list, "" for a
	// distribution file.
	Kind ListKind
}

// FileOutcome says what became of one input file.
type FileOutcome struct {
	Path    string
	Kind    string // "penyaluran", "asn", "meninggal"
	Refused bool
	Reason  string // why it was refused, for the steward
	Rows    int64
}

// Result is what a run did.
type Result struct {
	RunID   string
	Release int // 0 when nothing was published
	Report  release.Report
	Files   []FileOutcome
	// Aggregated and Reused count the quarters whose aggregates the run
	// computed from their facts, and those it took as stored because
	// their facts had not changed (quartercache.go).
	Aggregated, Reused int
}

// ErrRefused is wrapped by Run's error when at least one file was refused
// whole (the run still published what it could).
var ErrRefused = errors.New("a file was refused")

// Run ingests the lists, then the distribution files in order, and
// publishes a new release when at least one distribution file was
// ingested. It returns ErrRefused (wrapped) when a file was refused; the
// other files' rows are still published. A run of real files into a folder
// that holds the demo, or of synthetic data into one that holds real data,
// is refused whole with a *MixError and a nil Result, before it changes
// anything but the run ledger (synthetic.go).
func Run(ctx context.Context, opt Options, inputs []Input) (*Result, error) {
	if opt.GCPercent > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(opt.GCPercent))
	}
	if !opt.YieldToReaders {
		return runOnce(ctx, opt, inputs)
	}
	// The run goes on a goroutine of its own, so the thread it lowers ends
	// with it.
	ctx = withLowPriority(ctx)
	var res *Result
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		yieldThread(ctx)
		res, err = runOnce(ctx, opt, inputs)
	}()
	<-done
	return res, err
}

func runOnce(ctx context.Context, opt Options, inputs []Input) (*Result, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Regions == nil {
		opt.Regions = region.Default()
	}
	if n := opt.RetainQuarters; n < 0 || (n > 0 && n < MinRetainQuarters) {
		return nil, fmt.Errorf("aggregator: retention of %d quarters: want 0 (keep everything) or at least %d", n, MinRetainQuarters)
	}
	// Before anything changes (not even private.db is opened): a data
	// folder holds either synthetic or real data, never both.
	if err := checkMix(ctx, opt); err != nil {
		return nil, err
	}
	if opt.Private == nil {
		if opt.OpenPrivate == nil {
			return nil, errors.New("aggregator: no private store")
		}
		db, err := opt.OpenPrivate(ctx)
		if err != nil {
			return nil, fmt.Errorf("open the private store: %w", err)
		}
		defer db.Close()
		opt.Private = db
	}
	priv, pub := opt.Private.W, opt.Published.W
	started := opt.Now()
	runID := newRunID(started)
	log := opt.Log.With("run", runID)
	res := &Result{RunID: runID}

	if err := checkKey(ctx, priv, opt.Key, started); err != nil {
		return nil, err
	}
	if undone, err := reconcile(ctx, priv, pub); err != nil {
		return nil, err
	} else if undone > 0 {
		log.Warn("undid interrupted runs", "runs", undone)
	}
	if err := ledgerStart(ctx, pub, runID, opt.Trigger, opt.Synthetic, started); err != nil {
		return nil, err
	}
	rel, err := func() (rel int, err error) {
		defer func() {
			if p := recover(); p != nil {
				log.Error("aggregation panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return run(ctx, opt, log, runID, inputs, res)
	}()
	if err != nil {
		ledgerEnd(context.WithoutCancel(ctx), pub, runID, "failed", 0, &res.Report, opt.K, err, opt.Now())
		return res, err
	}
	outcome := "published"
	if rel == 0 {
		outcome = "nothing"
	}
	res.Release = rel
	if err := ledgerEnd(ctx, pub, runID, outcome, rel, &res.Report, opt.K, nil, opt.Now()); err != nil {
		return res, err
	}
	for _, f := range res.Files {
		if f.Refused {
			return res, fmt.Errorf("%w: %s", ErrRefused, f.Reason)
		}
	}
	return res, nil
}

func run(ctx context.Context, opt Options, log *slog.Logger, runID string, inputs []Input, res *Result) (int, error) {
	priv, pub := opt.Private.W, opt.Published.W
	t0 := time.Now()
	due := opt.Now()
	if !opt.AsOf.IsZero() && opt.AsOf.Before(due) {
		due = opt.AsOf
	}
	recorded, err := recordedOpenFrom(ctx, priv)
	if err != nil {
		return 0, err
	}
	from := openFrom(due, opt.RetainQuarters, recorded)
	st, err := loadState(ctx, priv, from)
	if err != nil {
		return 0, err
	}
	if from > 0 {
		log.Info("state opened", "open_from", PeriodString(from), "took", time.Since(t0).Round(time.Millisecond).String())
	} else {
		log.Info("state opened", "took", time.Since(t0).Round(time.Millisecond).String())
	}

	var total int64
	for _, in := range inputs {
		if fi, err := os.Stat(in.Path); err == nil {
			total += fi.Size()
		}
	}
	if opt.Progress != nil {
		opt.Progress.Start(total)
		defer opt.Progress.Done()
	}
	var done atomic.Int64 // bytes of finished files
	rep := &res.Report
	rep.RunID = runID
	rep.Rejected = map[string]int64{}
	rep.Quarantined = map[string]int64{}
	for _, r := range RejectionReasons() {
		rep.Rejected[r.String()] = 0
	}
	for _, r := range QuarantineReasons() {
		rep.Quarantined[r.String()] = 0
	}

	// Lists first: they apply to every file of this run.
	ps := newPseudonymiser(opt.Key)
	for _, in := range inputs {
		if in.Kind == "" {
			continue
		}
		name := filepath.Base(in.Path)
		l, sum, size, err := readListFile(ctx, in, opt.Regions, ps)
		done.Add(size)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			log.Warn("list refused; the previous list stays in force", "file", name, "err", err)
			res.Files = append(res.Files, FileOutcome{Path: in.Path, Kind: string(in.Kind), Refused: true, Reason: err.Error()})
			st.files = append(st.files, ingestedFile{Name: name, Kind: string(in.Kind), SHA256: sum, Bytes: size, Refused: true})
			continue
		}
		l.SHA256 = sum
		st.lists = append(st.lists, l)
		st.setList(l)
		log.Info("list loaded", "kind", l.Kind, "file", name, "rows", l.Rows, "entries", l.Entries, "ignored", l.Ignored)
		res.Files = append(res.Files, FileOutcome{Path: in.Path, Kind: string(in.Kind), Rows: int64(l.Rows)})
		st.files = append(st.files, ingestedFile{Name: name, Kind: string(in.Kind), SHA256: sum, Bytes: size, Rows: int64(l.Rows)})
	}

	// The spill files, sized for the rows to come: about one row per 120
	// bytes of CSV (rows are 130–160 bytes), eight times that for gzip.
	var expect, largest int64
	for _, in := range inputs {
		if fi, err := os.Stat(in.Path); err == nil && in.Kind == "" {
			n := fi.Size() / 120
			if strings.HasSuffix(strings.ToLower(in.Path), ".gz") {
				n *= 8
			}
			expect += n
			largest = max(largest, n)
		}
	}
	if st.spill, err = newRunSpill(opt.Private.Path, largest, expect); err != nil {
		return 0, err
	}
	// Not `defer st.close()`: that would keep the state, with both
	// exclusion lists, reachable until the run ends; it is let go
	// before aggregation (below).
	defer func() {
		if st != nil {
			st.close()
		}
	}()

	var all fileStats
	ingested := 0
	for _, in := range inputs {
		if in.Kind != "" {
			continue
		}
		name := filepath.Base(in.Path)
		ing := &ingester{regions: opt.Regions, key: opt.Key, workers: opt.Workers, st: st, log: log}
		var cnt countingReader
		if opt.Progress != nil {
			base := done.Load()
			ing.progress = func(rows int64) { opt.Progress.Update(base+cnt.n.Load(), all.Rows+rows) }
		}
		t1 := time.Now()
		stats, tally, sum, size, err := ingestFile(ctx, ing, in.Path, &cnt)
		done.Add(size)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			var fe *fileError
			if !errors.As(err, &fe) {
				return 0, err
			}
			log.Warn("file refused", "file", name, "err", err)
			res.Files = append(res.Files, FileOutcome{Path: in.Path, Kind: "penyaluran", Refused: true, Reason: err.Error()})
			st.files = append(st.files, ingestedFile{Name: name, Kind: "penyaluran", SHA256: sum, Bytes: size, Refused: true, Reason: err.Error()})
			continue
		}
		ingested++
		all.add(&stats)
		for k, n := range tally {
			st.tally[k] += n
		}
		log.Info("file ingested", "file", name, "rows", stats.Rows, "accepted", stats.Accepted,
			"replayed", stats.Replayed, "took", time.Since(t1).Round(time.Millisecond).String())
		res.Files = append(res.Files, FileOutcome{Path: in.Path, Kind: "penyaluran", Rows: stats.Rows})
		st.files = append(st.files, ingestedFile{Name: name, Kind: "penyaluran", SHA256: sum, Bytes: size, Rows: stats.Rows})
		rep.Files = append(rep.Files, name)
	}
	rep.Rows, rep.Accepted, rep.Replayed, rep.Moved, rep.NominalSalur = all.Rows, all.Accepted, all.Replayed, all.Moved, all.NominalSalur
	for _, r := range RejectionReasons() {
		rep.Rejected[r.String()] = all.Rejected[r]
	}
	for _, r := range QuarantineReasons() {
		rep.Quarantined[r.String()] = all.Quarantined[r]
	}
	if rep.Recipients, err = st.spill.distinctFamilies(); err != nil {
		return 0, err
	}

	// A new target or DTSEN list changes published numbers (realisation
	// and coverage): it makes a new release on its own, once there are
	// facts to measure against.
	republish := false
	for _, l := range st.lists {
		if l.Kind.strict() {
			republish = true
		}
	}
	if republish && ingested == 0 {
		var facts int
		if err := priv.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM fact_chunk LIMIT 1)`).Scan(&facts); err != nil {
			return 0, fmt.Errorf("look for facts: %w", err)
		}
		republish = facts > 0
	}
	if ingested == 0 && !republish {
		if len(st.lists) > 0 {
			// Exclusion lists change no published number, and targets have
			// nothing to measure yet: keep them for later runs.
			if err := saveState(ctx, priv, runID, st, true, opt.Now()); err != nil {
				return 0, fmt.Errorf("store lists: %w", err)
			}
			forget(ctx, priv, log)
		}
		return 0, nil
	}

	t2 := time.Now()
	if err := saveState(ctx, priv, runID, st, false, opt.Now()); err != nil {
		return 0, fmt.Errorf("store state: %w", err)
	}
	log.Info("state stored", "took", time.Since(t2).Round(time.Millisecond).String())
	files := st.files
	// The state is no longer needed: give its memory back and remove its
	// spill files before aggregation, so the run's peak is the larger of
	// the two phases, not their sum.
	st.close()
	st = nil
	runtime.GC()
	debug.FreeOSMemory()

	// Aggregation in passes and protection spill a quarter's facts to a
	// folder of their own (build.go, quarterfacts.go), removed when done.
	factDir, err := newSpillDir(opt.Private.Path)
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(factDir)
	t3 := time.Now()
	geo := newGeography(opt.Regions)
	tables, refs, err := buildTables(ctx, priv, geo, opt.K, opt.Workers, factDir)
	if err != nil {
		return 0, err
	}
	res.Aggregated, res.Reused = tables.aggregated, tables.reused
	log.Info("aggregated", "quarters_aggregated", tables.aggregated, "quarters_reused", tables.reused,
		"penyaluran", len(tables.Penyaluran), "demografi", len(tables.Demografi),
		"ketepatan", len(tables.Ketepatan), "realisasi", len(tables.Realisasi), "cakupan", len(tables.Cakupan),
		"took", time.Since(t3).Round(time.Millisecond).String())
	t4 := time.Now()
	hist, err := loadHistory(ctx, priv)
	if err != nil {
		return 0, err
	}
	load := func(q Quarter) (*quarterFacts, error) { return loadQuarterFacts(ctx, priv, q, runID, geo, factDir) }
	pending := holdOpenQuarters(tables, hist, due, opt.PublishAfterDays)
	disc, newHist, err := Protect(ctx, tables, hist, opt.Regions, opt.K, load, log, opt.Workers)
	if err != nil {
		return 0, err
	}
	disc.Pending = pending
	if err := saveHistory(ctx, priv, runID, newHist, hist); err != nil {
		return 0, err
	}
	hist, newHist = nil, nil
	var prim, sec, part int
	for _, d := range disc.Datasets {
		prim += d.Primary
		sec += d.Secondary
		part += d.Partial
	}
	log.Info("disclosure control", "k", opt.K, "primary", prim, "secondary", sec, "partial", part,
		"quarters", disc.Quarters, "carried", disc.Carried, "held_back", len(disc.HeldBack), "witnesses", disc.Witnesses,
		"took", time.Since(t4).Round(time.Millisecond).String())

	t5 := time.Now()
	number, err := publish(ctx, pub, opt.Regions, &publication{
		RunID: runID, K: opt.K, Tables: tables, Report: *rep, Disclosure: disc, Files: files, References: refs.files(), Now: opt.Now(),
		Synthetic: opt.Synthetic,
	})
	if err != nil {
		return 0, err
	}
	rep.Release = fmt.Sprint(number)
	log.Info("release published", "release", number, "took", time.Since(t5).Round(time.Millisecond).String())
	if err := markCommitted(ctx, priv, runID); err != nil {
		// The release is out; the next run's reconcile marks it.
		log.Warn("mark run committed", "err", err)
	} else {
		if err := pruneHistory(ctx, priv); err != nil {
			log.Warn("prune protection history", "err", err)
		}
		forget(ctx, priv, log)
	}
	return number, nil
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// maxGzipRatio bounds how much a .csv.gz may expand: CSV compresses about
// 5–10×; a file that expands far more is a gzip bomb, refused.
const maxGzipRatio = 200

// openInput opens a file for reading through a SHA-256 hasher and a byte
// counter, decompressing .gz files with an expansion limit. It returns the
// opened file's information (nil when it could not be opened).
func openInput(path string, cnt *countingReader) (io.Reader, hash.Hash, func() error, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, nil, nil, err
	}
	h := sha256.New()
	cnt.r = io.TeeReader(f, h)
	var r io.Reader = bufio.NewReaderSize(cnt, 256<<10)
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			f.Close()
			return nil, h, nil, fi, fmt.Errorf("not a gzip file: %w", err)
		}
		r = &limitedExpansion{r: gz, in: cnt, limit: maxGzipRatio, slack: 64 << 20}
	}
	return r, h, f.Close, fi, nil
}

// sizeOf is the size of the file fi describes, 0 when there is none.
func sizeOf(fi fs.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}

// limitedExpansion fails once the decompressed bytes exceed limit times the
// compressed bytes read (plus some slack for small files).
type limitedExpansion struct {
	r     io.Reader
	in    *countingReader
	out   int64
	limit int64
	slack int64
}

var errGzipBomb = errors.New("the gzip file expands more than 200 times: refused as a likely gzip bomb")

func (l *limitedExpansion) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.out += int64(n)
	if l.out > l.in.n.Load()*l.limit+l.slack {
		return n, errGzipBomb
	}
	return n, err
}

func ingestFile(ctx context.Context, ing *ingester, path string, cnt *countingReader) (fileStats, map[tallyKey]int64, string, int64, error) {
	name := filepath.Base(path)
	cnt.n.Store(0)
	r, h, closeFn, read, err := openInput(path, cnt)
	size := sizeOf(read)
	if err != nil {
		return fileStats{}, nil, "", size, &fileError{File: name, Err: err}
	}
	err = ing.collect(ctx, name, r)
	if err == nil {
		// Read what the CSV reader left (e.g. a gzip trailer) so the
		// checksum covers the whole file.
		if _, err = io.Copy(io.Discard, cnt); err != nil {
			err = &fileError{File: name, Err: err}
		}
	}
	closeFn()
	if err != nil {
		return fileStats{}, nil, "", size, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	stats, tally, unread, err := ing.judge(ctx, name)
	if err != nil {
		return fileStats{}, nil, "", size, err
	}
	if len(unread) > 0 {
		if err := readQuarantined(ctx, ing.st, path, read, sum, unread); err != nil {
			return fileStats{}, nil, "", size, err
		}
	}
	return stats, tally, sum, size, nil
}

// readQuarantined reads the text of the quarantined rows pass one could
// not know (conflicting duplicates) from the file, by line (in order),
// into the run's spill. In a plain file it reads from the line mark
// before each row, at most lineMarkEvery records; a compressed file is
// read from its start. The file must be the one pass one read: its size
// and time of change, or for a compressed file its checksum, must not
// have changed.
func readQuarantined(ctx context.Context, st *state, path string, read fs.FileInfo, sum string, lines []int64) error {
	name := filepath.Base(path)
	fail := func(err error) error { return fmt.Errorf("read %s again for its conflicting rows: %w", name, err) }
	marks := st.spill.marks
	if strings.HasSuffix(strings.ToLower(path), ".gz") || len(marks) == 0 {
		var cnt countingReader
		r, h, closeFn, _, err := openInput(path, &cnt)
		if err != nil {
			return fail(err)
		}
		defer closeFn()
		if _, err := fillQuarantined(ctx, st, csvread.New(r, csvread.Options{}), 0, lines, -1); err != nil {
			return fail(err)
		}
		if _, err := io.Copy(io.Discard, &cnt); err != nil {
			return fail(err)
		}
		if hex.EncodeToString(h.Sum(nil)) != sum {
			return fmt.Errorf("%s changed while it was being read; deliver it again", name)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != read.Size() || !fi.ModTime().Equal(read.ModTime()) {
		return fmt.Errorf("%s changed while it was being read; deliver it again", name)
	}
	for len(lines) > 0 {
		// The mark before the next row; the rows up to the next mark are
		// read from it.
		m, _ := slices.BinarySearchFunc(marks, lines[0], func(m lineMark, l int64) int { return cmp.Compare(m.line, l) })
		if m == len(marks) || marks[m].line > lines[0] {
			m--
		}
		end := int64(-1)
		if m+1 < len(marks) {
			end = marks[m+1].line
		}
		cr := csvread.New(io.NewSectionReader(f, marks[m].off, read.Size()-marks[m].off), csvread.Options{})
		n, err := fillQuarantined(ctx, st, cr, marks[m].line-1, lines, end)
		if err != nil {
			return fail(err)
		}
		lines = lines[n:]
	}
	return nil
}

// fillQuarantined reads records from cr, whose lines are numbered from
// base+1, and writes the text of the rows at lines (in order) to the
// run's spill, until it has them all or reaches line end (-1: the end of
// the file). It returns how many it wrote; a row it should have found
// but did not is an error.
func fillQuarantined(ctx context.Context, st *state, cr *csvread.Reader, base int64, lines []int64, end int64) (int, error) {
	done := 0
	for n := 0; done < len(lines) && (end < 0 || lines[done] < end); n++ {
		rec, err := cr.Next()
		if err != nil {
			return done, err
		}
		line := base + rec.Line
		if line > lines[done] || (end >= 0 && line >= end) {
			break
		}
		if line == lines[done] {
			if err := st.spill.conflictText(rec.Raw); err != nil {
				return done, err
			}
			done++
		}
		if n%(64<<10) == 0 && ctx.Err() != nil {
			return done, ctx.Err()
		}
	}
	if done == 0 || (end < 0 && done < len(lines)) {
		return done, fmt.Errorf("the row at line %d is not where pass one saw it", lines[done])
	}
	return done, nil
}

func readListFile(ctx context.Context, in Input, regions *region.Table, ps *pseudonymiser) (*refList, string, int64, error) {
	name := filepath.Base(in.Path)
	var cnt countingReader
	r, h, closeFn, fi, err := openInput(in.Path, &cnt)
	size := sizeOf(fi)
	if err != nil {
		return nil, "", size, fmt.Errorf("%s: %w", name, err)
	}
	defer closeFn()
	l, err := readList(ctx, in.Kind, name, r, regions, ps)
	if err != nil {
		return nil, "", size, err
	}
	l.File = name
	io.Copy(io.Discard, &cnt)
	return l, hex.EncodeToString(h.Sum(nil)), size, nil
}

// newRunID names a run by its start time and a random suffix.
func newRunID(t time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
