// Package synth writes synthetic input files for the aggregator: a
// distribution file (penyaluran.csv) in the format of docs/input.md §1, the
// two exclusion lists of §2 (asn.csv, meninggal.csv) and the two reference
// lists of §4 (kuota.csv, dtsen.csv). The demo loads them on the site's
// first start; tests and benchmarks use them at any size.
//
// The files are realistic in shape: families (KPM) live in real villages,
// provinces weighted by their population (data/reference/population.csv),
// concentrated in a subset of each regency's districts; they receive the
// 2025 programmes at their real rates per tahap; and a trickle of problems
// is injected at known rates — civil servants and deceased people among
// the recipients, double payments, replayed and conflicting rows, malformed
// rows of every quarantine reason — with Summary.Expected saying exactly
// what the aggregator must make of them.
//
// One row per programme (and PKH component) per family and quarter. The
// monthly programmes (SEMBAKO through the banks, PBI-JK) carry the month in
// which the quarter's amount was paid ("2025-02", Rp600,000 for SEMBAKO);
// three monthly rows would be DOUBLE under spec §3, which compares
// quarters.
//
// Output is a pure function of Options: the same seed gives the same bytes.
// Each pass over the families regenerates them from the seed, so memory
// does not grow with Options.Rows beyond a few lists of a few per cent of
// the families (the recipients on the exclusion lists, the families whose
// payment is retried in the quarter being written).
package synth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/portal-data-bansos/portal/internal/region"
)

// Options say what to generate.
type Options struct {
	// Rows is the number of data rows of penyaluran.csv, every one counted:
	// injected duplicates and malformed rows included, blank lines not.
	Rows int
	// Seed selects the data; the same seed gives the same files.
	Seed uint64
	// Year is the year of the distribution periods (default 2025).
	Year int
	// Provinces, when set, are the only provinces (two-digit codes) whose
	// villages receive families, weighted among themselves by population.
	// A province's data is then as dense as a national file many times
	// larger: what tests and demos of regency and district pages need.
	Provinces []string
	// DistributionTo, when set, receives penyaluran.csv as it is written,
	// instead of a file in the folder: `portal generate --monthly` splits
	// the stream into months as it comes, so a national year never lies
	// on disk twice. Generate does not close it.
	DistributionTo io.Writer
}

// MaxRows is the largest Options.Rows: id_transaksi has nine digits.
const MaxRows = 500_000_000

// File names written by Generate, in this order.
const (
	DistributionFile = "penyaluran.csv"
	ASNFile          = "asn.csv"
	DeceasedFile     = "meninggal.csv"
	KuotaFile        = "kuota.csv"
	DTSENFile        = "dtsen.csv"
)

// Summary describes what Generate wrote.
type Summary struct {
	// Files are the paths written, in the order of the File constants.
	Files []string
	// Rows is the number of data rows of the distribution file.
	Rows int
	// Families is the number of families (distinct no_kk) with a row.
	Families int
	// Expected is what an aggregator that follows docs/input.md §3 must
	// report for the distribution file ingested with asn.csv and
	// meninggal.csv: the fields of the run report (docs/interface.md).
	// Rejected and Quarantined hold every reason code, zeros included.
	Expected Expected
	// Injected counts each problem put in the files.
	Injected Injected
	// ASNRows, DeceasedRows, KuotaRows and DTSENRows are the data rows of
	// the other files (malformed list rows included).
	ASNRows, DeceasedRows, KuotaRows, DTSENRows int
}

// Expected is the run report the distribution file must produce.
type Expected struct {
	Rows         int            `json:"rows"`
	Accepted     int            `json:"accepted"`
	Replayed     int            `json:"replayed"`
	Moved        int            `json:"moved"`
	Rejected     map[string]int `json:"rejected"`
	Quarantined  map[string]int `json:"quarantined"`
	Recipients   int            `json:"recipients"`
	NominalSalur int64          `json:"nominal_salur"`
}

// Injected counts the problems and quirks put in the files on purpose.
type Injected struct {
	ASNFamilies      int // families whose representative is on asn.csv
	DeceasedFamilies int // families whose representative is on meninggal.csv
	MovedFamilies    int // NIK issued in another regency (or before the Papua split)
	Doubles          int // second SALUR of the same NIK, programme, component and quarter
	Replays          int // exact repeats of earlier rows, formatting varied
	Conflicts        int // an earlier row's id with different content
	// Malformed counts the malformed rows by quarantine reason.
	Malformed     map[string]int
	Gagal         int // GAGAL rows
	Retur         int // RETUR rows
	GagalRetried  int // GAGAL rows followed by a SALUR retry in the same quarter
	BlankLines    int
	CRLFLines     int // data rows ended by \r\n
	MultilineRows int // rows with a line break inside a quoted field
	BareQuotes    int // rows whose nama holds an unquoted double quote
	// ListMalformed counts malformed rows in asn.csv and meninggal.csv.
	ListMalformed int
	// DeceasedTwice is the number of NIKs on meninggal.csv twice with two
	// dates (the earliest counts).
	DeceasedTwice int
}

// QuarantineReasons are the quarantine reason codes of spec §3 that a
// malformed row can have, in check order.
var QuarantineReasons = [...]string{"BAD_FIELD_COUNT", "BAD_ID", "BAD_NIK", "BAD_KK", "MISSING_NAME",
	"UNKNOWN_REGION", "BAD_PROGRAM", "BAD_COMPONENT", "BAD_PERIOD", "BAD_AMOUNT", "BAD_DATE", "BAD_STATUS",
	"BAD_CHANNEL", "BAD_DECILE", "BAD_SEX", "BAD_BIRTHDATE"}

// ConflictingDuplicateID is the quarantine reason of a row that reuses a
// seen id with different content.
const ConflictingDuplicateID = "CONFLICTING_DUPLICATE_ID"

// Rejection reasons (spec §3).
const (
	RejectASN      = "ASN"
	RejectDeceased = "DECEASED"
	RejectDouble   = "DOUBLE"
)

// Rates of the injected rows, as shares of Options.Rows. With Rows ≥
// 1,000 every kind, and every quarantine reason, occurs at least once.
const (
	DoubleRate    = 0.001
	ReplayRate    = 0.0005
	ConflictRate  = 0.0002
	MalformedRate = 0.003
)

// malformedWeight spreads MalformedRate over the reasons (QuarantineReasons
// order): structurally bad NIKs and unknown region codes are the common
// faults of real exports.
var malformedWeight = [len(QuarantineReasons)]int{6, 3, 18, 10, 8, 12, 4, 6, 5, 8, 8, 3, 3, 3, 2, 4}

// Random streams: each purpose has its own generator, so adding draws to
// one does not shift the others.
const (
	streamModel uint64 = iota + 1
	streamPlan
	streamOutcome
	streamName
	streamCosmetic
	streamInject
	streamLists
	streamKuota
)

// mix derives a stream's seed from the user's seed (SplitMix64 finaliser).
func mix(seed, stream uint64) uint64 {
	z := seed + stream*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// rowsPerFamily is about how many rows a family produces in a year; it only
// sizes the placement model (how many districts receive families).
const rowsPerFamily = 9.5

// Generate writes the five files into dir (created if needed) and returns
// what it wrote. The files appear under their final names only when all are
// complete (written as NAME.tmp, then renamed, the distribution file last);
// existing files of the same names are replaced.
func Generate(ctx context.Context, dir string, opt Options) (Summary, error) {
	if opt.Rows <= 0 || opt.Rows > MaxRows {
		return Summary{}, fmt.Errorf("synth: Rows %d outside 1–%d", opt.Rows, MaxRows)
	}
	if opt.Year == 0 {
		opt.Year = 2025
	}
	if opt.Year < 2000 || opt.Year > 2098 {
		return Summary{}, fmt.Errorf("synth: year %d outside 2000–2098", opt.Year)
	}
	tab := region.Default()
	pops, err := region.Population(tab)
	if err != nil {
		return Summary{}, err
	}
	if pops, err = onlyProvinces(tab, pops, opt.Provinces); err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("synth: %w", err)
	}
	g := newGen(ctx, tab, pops, opt)
	if err := g.count(); err != nil {
		return Summary{}, err
	}
	files := []struct {
		name  string
		write func(w *bufio.Writer) error
	}{
		{DistributionFile, g.writeDistribution},
		{ASNFile, g.writeASN},
		{DeceasedFile, g.writeDeceased},
		{KuotaFile, g.writeKuota},
		{DTSENFile, g.writeDTSEN},
	}
	var tmps []string
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	if opt.DistributionTo != nil {
		w := bufio.NewWriterSize(opt.DistributionTo, 1<<20)
		err := g.writeDistribution(w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return Summary{}, fmt.Errorf("synth: write %s: %w", DistributionFile, err)
		}
		files = files[1:]
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		tmp := path + ".tmp"
		tmps = append(tmps, tmp)
		if err := writeFile(tmp, f.write); err != nil {
			return Summary{}, fmt.Errorf("synth: write %s: %w", path, err)
		}
	}
	// The lists first, the distribution file (first written) last: a
	// scheduled run that finds the distribution file in an inbox finds its
	// lists too.
	first := 0 // files[0] is the distribution file, unless streamed
	if opt.DistributionTo == nil {
		first = 1
	}
	for k := range files {
		i := (first + k) % len(files)
		if err := os.Rename(tmps[i], filepath.Join(dir, files[i].name)); err != nil {
			return Summary{}, fmt.Errorf("synth: %w", err)
		}
	}
	for _, f := range files {
		g.sum.Files = append(g.sum.Files, filepath.Join(dir, f.name))
	}
	tmps = nil
	return g.sum, nil
}

// onlyProvinces keeps the population of the listed provinces and sets the
// others to zero; no list keeps every province.
func onlyProvinces(tab *region.Table, pops []region.ProvincePopulation, codes []string) ([]region.ProvincePopulation, error) {
	if len(codes) == 0 {
		return pops, nil
	}
	keep := map[string]bool{}
	for _, c := range codes {
		r, ok := tab.Lookup(c)
		if !ok || r.Level != region.Province {
			return nil, fmt.Errorf("synth: %q is not a province code", c)
		}
		keep[r.Code] = true
	}
	out := make([]region.ProvincePopulation, len(pops))
	for i, p := range pops {
		out[i] = p
		if !keep[p.Code] {
			out[i].Population = 0
		}
	}
	return out, nil
}

func writeFile(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	aw := newAsyncWriter(f, 1<<20, 4)
	w := bufio.NewWriterSize(aw, 1<<20)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := aw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// gen holds the state of one Generate call.
type gen struct {
	ctx  context.Context
	opt  Options
	year int
	tab  *region.Table
	m    *model
	sum  Summary

	kPlan, kOut, kName, kCos uint64
	planSrc, outSrc          *rand.PCG
	nameSrc, cosSrc          *rand.PCG
	planR, outR, nameR, cosR *rand.Rand

	monthStart [14]day // first day of month 1–12 of the year, [13] = next 1 January

	// dateText holds "YYYY-MM-DD" for every day from dateFrom on, for the
	// birth and payment dates of the hot path.
	dateFrom day
	dateText []byte

	// Serial counters of NIKs and KKs per 6-digit district code: each
	// family takes the next serial, so numbers never collide (below 9,999
	// people per district in one file).
	nikCtr, kkCtr []uint16

	specs, retries, prev []rowSpec

	// Sizes decided by the counting pass.
	base    int // base rows (regular and retry rows of the families)
	nFam    int // families
	lastCap int // rows of the last family (it may be cut short)

	agg aggregates
	// Recipients on the lists, found by the counting pass.
	asnPeople  []person
	deadPeople []person

	d distState // state of writing the distribution file
}

// person is a representative who is on one of the lists.
type person struct {
	nik    [16]byte
	name   string
	female bool
	dob    day
	reg    int32
	death  day
}

// aggregates are what the counting pass learns for kuota.csv and dtsen.csv.
type aggregates struct {
	salurFam [numProgs][4][]int32 // families with an accepted SALUR row, by regency
	salurRp  [numProgs][4][]int64 // rupiah of accepted SALUR rows, by regency
	decile   [][11]int32          // families by regency and decile (0: unknown)
}

func newGen(ctx context.Context, tab *region.Table, pops []region.ProvincePopulation, opt Options) *gen {
	g := &gen{ctx: ctx, opt: opt, year: opt.Year, tab: tab}
	seed := opt.Seed
	g.kPlan, g.kOut = mix(seed, streamPlan), mix(seed, streamOutcome)
	g.kName, g.kCos = mix(seed, streamName), mix(seed, streamCosmetic)
	g.planSrc, g.outSrc = rand.NewPCG(0, 0), rand.NewPCG(0, 0)
	g.nameSrc, g.cosSrc = rand.NewPCG(0, 0), rand.NewPCG(0, 0)
	g.planR, g.outR = rand.New(g.planSrc), rand.New(g.outSrc)
	g.nameR, g.cosR = rand.New(g.nameSrc), rand.New(g.cosSrc)
	for m := 1; m <= 12; m++ {
		g.monthStart[m] = civil(g.year, m, 1)
	}
	g.monthStart[13] = civil(g.year+1, 1, 1)
	g.dateFrom = civil(g.year-90, 1, 1)
	for d := g.dateFrom; d < civil(g.year+2, 1, 1); d++ {
		g.dateText = appendDate(g.dateText, d)
	}
	g.nikCtr = make([]uint16, 1_000_000)
	g.kkCtr = make([]uint16, 1_000_000)

	g.planExtras()
	g.m = newModel(tab, pops, seed, float64(g.base)/rowsPerFamily)
	nr := len(g.m.regs)
	for p := range g.agg.salurFam {
		for q := range g.agg.salurFam[p] {
			g.agg.salurFam[p][q] = make([]int32, nr)
			g.agg.salurRp[p][q] = make([]int64, nr)
		}
	}
	g.agg.decile = make([][11]int32, nr)
	g.sum.Expected.Rejected = map[string]int{RejectASN: 0, RejectDeceased: 0, RejectDouble: 0}
	g.sum.Expected.Quarantined = map[string]int{ConflictingDuplicateID: 0}
	g.sum.Injected.Malformed = map[string]int{}
	for _, r := range QuarantineReasons {
		g.sum.Expected.Quarantined[r] = 0
		g.sum.Injected.Malformed[r] = 0
	}
	return g
}

// resetCounters starts a pass over the families.
func (g *gen) resetCounters() {
	clear(g.nikCtr)
	clear(g.kkCtr)
}

// identify gives family f its NIK and KK number, taking the next serials.
func (g *gen) identify(f *family) {
	g.nikCtr[f.nikPrefix]++
	g.kkCtr[g.m.dists[f.dist].num]++
	g.setIdentity(f, g.nikCtr[f.nikPrefix], g.kkCtr[g.m.dists[f.dist].num])
}

func (g *gen) setIdentity(f *family, nikSerial, kkSerial uint16) {
	f.nik = makeNIK(f.nikPrefix, f.dob, f.female, nikSerial)
	b := appendDigits(f.kk[:0], int64(g.m.dists[f.dist].num), 6)
	y, m, d := f.kkIssue.ymd()
	b = appendDigits(b, int64(d), 2)
	b = appendDigits(b, int64(m), 2)
	b = appendDigits(b, int64(y%100), 2)
	appendDigits(b, int64(serial(kkSerial)), 4)
}

// serial maps a counter to 0001–9999.
func serial(n uint16) int { return (int(n)-1)%9999 + 1 }

// makeNIK builds a NIK: issuing district, birth date (day + 40 for
// women), serial.
func makeNIK(prefix int32, dob day, female bool, ctr uint16) [16]byte {
	var nik [16]byte
	b := appendDigits(nik[:0], int64(prefix), 6)
	y, m, d := dob.ymd()
	if female {
		d += 40
	}
	b = appendDigits(b, int64(d), 2)
	b = appendDigits(b, int64(m), 2)
	b = appendDigits(b, int64(y%100), 2)
	appendDigits(b, int64(serial(ctr)), 4)
	return nik
}

// familyRows returns the number of rows family f produces in the year.
func (g *gen) familyRows(f *family) int {
	n := 0
	for q := 1; q <= 4; q++ {
		g.specs = g.quarterRows(f, q, g.specs)
		n += len(g.specs)
	}
	return n
}

// count is the counting pass: it finds how many families fill the row
// budget (the last one may be cut short) and gathers the aggregates for
// kuota.csv and dtsen.csv and the recipients on the lists.
func (g *gen) count() error {
	g.resetCounters()
	var f family
	total := 0
	for i := 0; ; i++ {
		if i&4095 == 0 {
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		g.plan(i, &f)
		g.identify(&f)
		n := g.familyRows(&f)
		limit := min(n, g.base-total)
		if limit > 0 {
			g.account(&f, limit)
			g.sum.Families++
		}
		total += limit
		if total == g.base {
			g.nFam, g.lastCap = i+1, limit
			return nil
		}
	}
}

// account adds the first limit rows of family f to the aggregates.
func (g *gen) account(f *family, limit int) {
	idx := 0
	recipient := false
	for q := 1; q <= 4; q++ {
		var salur [numProgs]bool
		g.specs = g.quarterRows(f, q, g.specs)
		for _, s := range g.specs {
			if idx >= limit {
				break
			}
			idx++
			if s.fate != fateAccepted {
				continue
			}
			recipient = true
			if s.status == statusSalur {
				g.agg.salurRp[s.prog][q-1][f.reg] += s.nominal
				if !salur[s.prog] {
					salur[s.prog] = true
					g.agg.salurFam[s.prog][q-1][f.reg]++
				}
			}
		}
	}
	if recipient {
		g.sum.Expected.Recipients++
	}
	g.agg.decile[f.reg][f.decile]++
	inj := &g.sum.Injected
	if f.moved {
		inj.MovedFamilies++
	}
	if f.asn || f.death != noDay {
		p := person{nik: f.nik, female: f.female, dob: f.dob, reg: f.reg, death: f.death}
		p.name = string(g.familyName(f))
		if f.asn {
			inj.ASNFamilies++
			g.asnPeople = append(g.asnPeople, p)
		} else {
			inj.DeceasedFamilies++
			g.deadPeople = append(g.deadPeople, p)
		}
	}
}

// familyName returns the representative's name (in a reused buffer).
func (g *gen) familyName(f *family) []byte {
	g.nameSrc.Seed(g.kName, uint64(f.idx))
	style := styleFor(g.nameR, g.m.provs[f.prov].num)
	var bare bool
	g.d.name, bare = appendName(g.d.name[:0], g.nameR, style, f.female, f.upper)
	g.d.bare = bare && !needsQuotesExceptQuote(g.d.name)
	return g.d.name
}

// needsQuotesExceptQuote reports whether s holds a character other than a
// double quote that forces quoting.
func needsQuotesExceptQuote(s []byte) bool {
	for _, c := range s {
		if c == ',' || c == '\r' || c == '\n' {
			return true
		}
	}
	return false
}

// planExtras fixes how many rows of each injected kind the file gets, and
// so the number of base rows.
func (g *gen) planExtras() {
	rows := g.opt.Rows
	d := &g.d
	atLeastOne := rows >= 1000
	n := func(rate float64) int {
		k := int(rate*float64(rows) + 0.5)
		if atLeastOne {
			k = max(k, 1)
		}
		return k
	}
	d.rem[kindDouble] = n(DoubleRate)
	d.rem[kindReplay] = n(ReplayRate)
	d.rem[kindConflict] = n(ConflictRate)
	total := 0
	for _, w := range malformedWeight {
		total += w
	}
	for i, w := range malformedWeight {
		d.rem[kindMalformed+i] = n(MalformedRate * float64(w) / float64(total))
	}
	for _, k := range d.rem {
		d.remX += k
	}
	// Tiny files: keep at least half the rows for families.
	for d.remX > rows/2 {
		for k := range d.rem {
			if d.rem[k] > 0 && d.remX > rows/2 {
				d.rem[k]--
				d.remX--
			}
		}
	}
	g.base = rows - d.remX
}
