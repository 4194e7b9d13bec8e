package synth

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/internal/region"
)

// DistributionHeader is the header of penyaluran.csv: the columns in a
// non-canonical order, two names in another case, and an extra column the
// aggregator must ignore.
const DistributionHeader = "id_transaksi,periode,program,komponen,NIK,no_kk,nama,jenis_kelamin,tanggal_lahir," +
	"Kode_Wilayah,desil,nominal,status,tanggal_salur,penyalur,keterangan"

// Column positions in DistributionHeader.
const (
	colID = iota
	colPeriode
	colProgram
	colKomponen
	colNIK
	colKK
	colNama
	colSex
	colDOB
	colKode
	colDesil
	colNominal
	colStatus
	colTanggal
	colPenyalur
	colKeterangan
	numCols
)

// Kinds of injected rows: doubles, replays, conflicts, then one malformed
// kind per quarantine reason.
const (
	kindDouble = iota
	kindReplay
	kindConflict
	kindMalformed
	numKinds = kindMalformed + len(QuarantineReasons)

	// kindBadAmount is the fallback when an injected row finds no
	// original: it needs only a template row.
	kindBadAmount = kindMalformed + 9 // QuarantineReasons[9]
)

// row is one row of the distribution file.
type row struct {
	seq      int64
	q        int8
	spec     rowSpec
	nik, kk  [16]byte
	name     []byte
	bare     bool // name holds a double quote written unquoted
	sex      byte // 'L', 'P' or 0 (empty)
	dob      day
	vill     region.ID
	undotted bool // kode_wilayah written without dots
	desil    int8
	date     day
	channel  uint8
	ket      string
	moved    bool
}

// ring keeps recent rows as originals for replays, conflicts and doubles.
type ring struct {
	rows  [256]row
	names [256][]byte
	n     int
	next  int
}

func (r *ring) put(x *row) {
	i := r.next
	r.names[i] = append(r.names[i][:0], x.name...)
	r.rows[i] = *x
	r.rows[i].name = r.names[i]
	r.next = (i + 1) % len(r.rows)
	r.n = min(r.n+1, len(r.rows))
}

func (r *ring) pick(rnd *rand.Rand) *row { return &r.rows[rnd.IntN(r.n)] }

// distState is the state of writing the distribution file.
type distState struct {
	w   *bufio.Writer
	inj *rand.Rand

	rem  [numKinds]int // injected rows still to write, by kind
	remX int

	seq       int64  // last id_transaksi number used
	idText    []byte // its id_transaksi
	baseDone  int    // base rows written
	salurDone int    // accepted SALUR base rows written

	name []byte // current family's name
	bare bool

	cur              row
	ringAll, ringPay ring

	// Quirks at base row positions, sorted.
	crlf      [][2]int // [from, to)
	blank     []int
	multiline []int

	retryFams []retryFam
}

type retryFam struct {
	i             int
	nikCtr, kkCtr uint16
}

// Remarks (keterangan) by situation.
var (
	ketSalur = [2][]string{
		{"Tahap reguler", "Penyaluran reguler", "Via agen bank", "Dana masuk rekening KKS", "Tarik tunai di agen"},
		{"Tahap reguler", "Penyaluran reguler", "Via Kantor Pos", "Salur tunai di komunitas", "Diantar ke rumah KPM"},
	}
	ketGagal = []string{"Rekening tidak aktif", "KKS belum diaktivasi", "Nama tidak sesuai rekening", "KPM tidak ditemukan", "Rekening dibekukan, perlu validasi"}
	ketRetur = []string{"Dana dikembalikan ke kas negara", "KPM pindah domisili", "Tidak dicairkan dalam 30 hari", "KPM menolak, mampu"}
	ketRetry = []string{"Penyaluran ulang", "Penyaluran susulan, rekening diperbaiki", "Salur ulang setelah aktivasi KKS"}
)

const ketMultiline = "Penyaluran susulan\nrekening diperbaiki setelah verifikasi"

// setupQuirks places the CRLF stretches, blank lines and multi-line
// remarks.
func (g *gen) setupQuirks() {
	d := &g.d
	r := d.inj
	b := g.base
	for k := 0; k < 3 && b >= 100; k++ {
		from := r.IntN(b)
		d.crlf = append(d.crlf, [2]int{from, min(b, from+20+r.IntN(300))})
	}
	slices.SortFunc(d.crlf, func(x, y [2]int) int { return x[0] - y[0] })
	if b >= 10 {
		d.blank = []int{r.IntN(b), r.IntN(b)}
		slices.Sort(d.blank)
	}
	if b >= 500 {
		n := max(1, b/250_000)
		for k := 0; k < n; k++ {
			d.multiline = append(d.multiline, r.IntN(b))
		}
		slices.Sort(d.multiline)
	}
}

func (g *gen) writeDistribution(w *bufio.Writer) error {
	d := &g.d
	d.w = w
	d.inj = rand.New(rand.NewPCG(mix(g.opt.Seed, streamInject), 0))
	g.setupQuirks()
	w.WriteString("\ufeff" + DistributionHeader + "\n")
	var f family
	for q := 1; q <= 4; q++ {
		g.resetCounters()
		d.retryFams = d.retryFams[:0]
		for i := 0; i < g.nFam; i++ {
			if i&4095 == 0 {
				if err := g.ctx.Err(); err != nil {
					return err
				}
			}
			g.plan(i, &f)
			g.identify(&f)
			specs := g.quarterRows(&f, q, g.specs)
			g.specs = specs
			n := g.allowed(&f, q, len(specs))
			retry, named := false, false
			for k := 0; k < n; k++ {
				s := &specs[k]
				if s.retry {
					retry = true
					continue
				}
				if !named {
					g.familyName(&f)
					g.cosSrc.Seed(g.kCos, uint64(i)<<4|uint64(q)<<1)
					named = true
				}
				g.emitBase(&f, q, s)
			}
			if retry {
				d.retryFams = append(d.retryFams, retryFam{i, g.nikCtr[f.nikPrefix], g.kkCtr[g.m.dists[f.dist].num]})
			}
		}
		// Retries of failed payments come after the quarter's regular
		// rows, as a separate batch.
		for _, rf := range d.retryFams {
			g.plan(rf.i, &f)
			g.setIdentity(&f, rf.nikCtr, rf.kkCtr)
			specs := g.quarterRows(&f, q, g.specs)
			g.specs = specs
			n := g.allowed(&f, q, len(specs))
			g.familyName(&f)
			g.cosSrc.Seed(g.kCos, uint64(rf.i)<<4|uint64(q)<<1|1)
			for k := 0; k < n; k++ {
				if specs[k].retry {
					g.emitBase(&f, q, &specs[k])
					g.sum.Injected.GagalRetried++
				}
			}
		}
	}
	// Whatever the sampling left over goes at the end.
	for d.remX > 0 {
		for k := range d.rem {
			for d.rem[k] > 0 {
				if !g.emitExtra(k) {
					g.emitExtra(kindBadAmount)
				}
				d.rem[k]--
				d.remX--
			}
		}
	}
	if d.baseDone != g.base || g.sum.Expected.Rows != g.opt.Rows {
		return fmt.Errorf("synth: internal error: wrote %d rows (%d of the families), want %d (%d)",
			g.sum.Expected.Rows, d.baseDone, g.opt.Rows, g.base)
	}
	g.sum.Rows = g.sum.Expected.Rows
	return g.ctx.Err()
}

// allowed returns how many of the n rows family f has in quarter q are
// written: all, except for the last family, which stops at the budget.
func (g *gen) allowed(f *family, q, n int) int {
	if f.idx != g.nFam-1 {
		return n
	}
	before := 0
	for p := 1; p < q; p++ {
		g.prev = g.quarterRows(f, p, g.prev)
		before += len(g.prev)
	}
	return max(0, min(n, g.lastCap-before))
}

// emitBase writes one of the families' own rows.
func (g *gen) emitBase(f *family, q int, s *rowSpec) {
	d := &g.d
	r := g.cosR
	x := &d.cur
	g.nextSeq()
	j := d.baseDone
	*x = row{
		seq: d.seq, q: int8(q), spec: *s, nik: f.nik, kk: f.kk, name: d.name, bare: d.bare,
		dob: noDay, vill: f.vill, undotted: g.m.regs[f.reg].undotted, desil: f.decile,
		date: noDay, channel: f.channel, moved: f.moved,
	}
	if f.demo && r.IntN(50) != 0 {
		x.sex = 'L'
		if f.female {
			x.sex = 'P'
		}
		x.dob = f.dob
	}
	switch {
	case s.retry:
		x.date = g.payDate(r, q, s.month) + day(7+r.IntN(24))
		x.ket = ketRetry[r.IntN(len(ketRetry))]
	case s.status == statusSalur:
		x.date = g.payDate(r, q, s.month)
		if r.IntN(8) == 0 {
			k := ketSalur[0]
			if f.channel == chPOS {
				k = ketSalur[1]
			}
			x.ket = k[r.IntN(len(k))]
		}
	case s.status == statusGagal:
		if r.IntN(10) < 3 {
			x.date = g.payDate(r, q, s.month)
		}
		x.ket = ketGagal[r.IntN(len(ketGagal))]
		g.sum.Injected.Gagal++
	default:
		x.date = g.payDate(r, q, s.month)
		x.ket = ketRetur[r.IntN(len(ketRetur))]
		g.sum.Injected.Retur++
	}
	if len(d.multiline) > 0 && d.multiline[0] == j {
		for len(d.multiline) > 0 && d.multiline[0] == j {
			d.multiline = d.multiline[1:]
		}
		x.ket = ketMultiline
		g.sum.Injected.MultilineRows++
	}
	crlf := false
	for len(d.crlf) > 0 && d.crlf[0][1] <= j {
		d.crlf = d.crlf[1:]
	}
	if len(d.crlf) > 0 && d.crlf[0][0] <= j {
		crlf = true
	}
	g.writeRow(x, crlf)
	g.expect(x)
	d.baseDone++
	for len(d.blank) > 0 && d.blank[0] == j {
		d.blank = d.blank[1:]
		if len(d.blank)%2 == 0 {
			d.w.WriteString("\r\n")
		} else {
			d.w.WriteString("\n")
		}
		g.sum.Injected.BlankLines++
	}

	// Originals for later replays, conflicts and doubles: a sample of
	// recent rows.
	if j&7 == 0 {
		d.ringAll.put(x)
	}
	if s.fate == fateAccepted && s.status == statusSalur {
		if d.salurDone&7 == 0 {
			d.ringPay.put(x)
		}
		d.salurDone++
	}
	// Selection sampling: after each of the base slots left, inject with
	// probability (injected rows left) / (slots left).
	if d.remX > 0 && d.inj.IntN(g.base-j) < d.remX {
		k, pick := 0, d.inj.IntN(d.remX)
		for pick >= d.rem[k] {
			pick -= d.rem[k]
			k++
		}
		if g.emitExtra(k) {
			d.rem[k]--
			d.remX--
		}
	}
}

// payDate is when a payment reached the family: within its month, or for a
// tahap mostly in the quarter's second and third months, some just after.
func (g *gen) payDate(r *rand.Rand, q int, month int8) day {
	if month > 0 {
		return g.monthStart[month] + day(1+r.IntN(34))
	}
	return g.monthStart[3*q-2] + day(20+r.IntN(85))
}

// expect counts a valid row (a base row or a double) in Summary.Expected.
func (g *gen) expect(x *row) {
	e := &g.sum.Expected
	e.Rows++
	switch x.spec.fate {
	case fateAccepted:
		e.Accepted++
		if x.spec.status == statusSalur {
			e.NominalSalur += x.spec.nominal
		}
	case fateASN:
		e.Rejected[RejectASN]++
	case fateDeceased:
		e.Rejected[RejectDeceased]++
	case fateDouble:
		e.Rejected[RejectDouble]++
	}
	if x.moved {
		e.Moved++
	}
	if x.bare {
		g.sum.Injected.BareQuotes++
	}
}

// writeRow writes x through the fast path.
func (g *gen) writeRow(x *row, crlf bool) {
	w := g.d.w
	b := g.appendRow(w.AvailableBuffer(), x)
	if crlf {
		b = append(b, '\r', '\n')
		g.sum.Injected.CRLFLines++
	} else {
		b = append(b, '\n')
	}
	w.Write(b)
}

// nextSeq takes the next id_transaksi number, keeping its text: the
// number counts up in ASCII.
func (g *gen) nextSeq() int64 {
	d := &g.d
	d.seq++
	if len(d.idText) == 0 {
		d.idText = g.appendIDPrefix(d.idText)
		d.idText = appendDigits(d.idText, d.seq, 9)
		return d.seq
	}
	for i := len(d.idText) - 1; ; i-- {
		if d.idText[i] < '9' {
			d.idText[i]++
			break
		}
		d.idText[i] = '0'
	}
	return d.seq
}

func (g *gen) appendID(b []byte, seq int64) []byte {
	if seq == g.d.seq && len(g.d.idText) > 0 {
		return append(b, g.d.idText...)
	}
	return appendDigits(g.appendIDPrefix(b), seq, 9)
}

// appendIDPrefix appends "TRX-2025-" for seed 1 and "TRX-2025-S7-" for
// other seeds, so files generated with different seeds never share an
// id_transaksi (they would be conflicting duplicates of each other) and
// can be ingested one after another as a growing history.
func (g *gen) appendIDPrefix(b []byte) []byte {
	b = append(b, "TRX-"...)
	b = appendDigits(b, int64(g.year), 4)
	b = append(b, '-')
	if g.opt.Seed != 1 {
		b = append(b, 'S')
		b = appendInt(b, int64(g.opt.Seed))
		b = append(b, '-')
	}
	return b
}

func (g *gen) appendPeriode(b []byte, q int8, month int8) []byte {
	b = appendDigits(b, int64(g.year), 4)
	b = append(b, '-')
	if month > 0 {
		return appendDigits(b, int64(month), 2)
	}
	return append(b, 'Q', byte('0'+q))
}

func appendKode[T string | []byte](b []byte, kode T, undotted bool) []byte {
	if !undotted {
		return append(b, kode...)
	}
	for i := 0; i < len(kode); i++ {
		if kode[i] != '.' {
			b = append(b, kode[i])
		}
	}
	return b
}

// appendRow appends x's fields, in header order, without the line end.
func (g *gen) appendRow(b []byte, x *row) []byte {
	b = g.appendID(b, x.seq)
	b = append(b, ',')
	b = g.appendPeriode(b, x.q, x.spec.month)
	b = append(b, ',')
	b = append(b, progNames[x.spec.prog]...)
	b = append(b, ',')
	b = append(b, compNames[x.spec.comp]...)
	b = append(b, ',')
	b = append(b, x.nik[:]...)
	b = append(b, ',')
	b = append(b, x.kk[:]...)
	b = append(b, ',')
	if x.bare {
		b = append(b, x.name...)
	} else {
		b = appendField(b, x.name)
	}
	b = append(b, ',')
	if x.sex != 0 {
		b = append(b, x.sex)
	}
	b = append(b, ',')
	b = g.appendDate(b, x.dob)
	b = append(b, ',')
	b = appendKode(b, g.m.kode(x.vill), x.undotted)
	b = append(b, ',')
	if x.desil > 0 {
		b = appendInt(b, int64(x.desil))
	}
	b = append(b, ',')
	b = appendInt(b, x.spec.nominal)
	b = append(b, ',')
	b = append(b, statusNames[x.spec.status]...)
	b = append(b, ',')
	b = g.appendDate(b, x.date)
	b = append(b, ',')
	b = append(b, channelNames[x.channel]...)
	b = append(b, ',')
	return appendField(b, x.ket)
}

// fields renders x as strings, for the injected rows that alter them.
func (g *gen) fields(x *row) []string {
	f := make([]string, numCols)
	f[colID] = string(g.appendID(nil, x.seq))
	f[colPeriode] = string(g.appendPeriode(nil, x.q, x.spec.month))
	f[colProgram] = progNames[x.spec.prog]
	f[colKomponen] = compNames[x.spec.comp]
	f[colNIK] = string(x.nik[:])
	f[colKK] = string(x.kk[:])
	f[colNama] = string(x.name)
	if x.sex != 0 {
		f[colSex] = string(x.sex)
	}
	f[colDOB] = dateString(x.dob)
	f[colKode] = string(appendKode(nil, g.m.kode(x.vill), x.undotted))
	if x.desil > 0 {
		f[colDesil] = strconv.Itoa(int(x.desil))
	}
	f[colNominal] = strconv.FormatInt(x.spec.nominal, 10)
	f[colStatus] = statusNames[x.spec.status]
	f[colTanggal] = dateString(x.date)
	f[colPenyalur] = channelNames[x.channel]
	f[colKeterangan] = x.ket
	return f
}

// writeFields writes a row given as strings; rawName leaves nama unquoted.
func (g *gen) writeFields(f []string, rawName, crlf bool) {
	w := g.d.w
	b := w.AvailableBuffer()
	for i, s := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if i == colNama && rawName {
			b = append(b, s...)
		} else {
			b = appendField(b, s)
		}
	}
	if crlf {
		b = append(b, '\r', '\n')
		g.sum.Injected.CRLFLines++
	} else {
		b = append(b, '\n')
	}
	w.Write(b)
	g.sum.Expected.Rows++
}

// emitExtra writes one injected row of kind k and reports whether it
// could (doubles, replays and conflicts need an earlier row).
func (g *gen) emitExtra(k int) bool {
	d := &g.d
	r := d.inj
	switch {
	case k == kindDouble:
		if d.ringPay.n == 0 {
			return false
		}
		x := *d.ringPay.pick(r)
		x.seq = g.nextSeq()
		x.spec.fate = fateDouble
		x.date += day(1 + r.IntN(20))
		x.ket = ""
		if r.IntN(5) < 2 {
			// Paid twice through two channels: the classic double.
			x.channel = uint8((int(x.channel) + 1 + r.IntN(int(numChannels)-1)) % int(numChannels))
		}
		g.writeRow(&x, false)
		g.expect(&x)
		g.sum.Injected.Doubles++
		return true
	case k == kindReplay:
		if d.ringAll.n == 0 {
			return false
		}
		x := d.ringAll.pick(r)
		f := g.fields(x)
		replayVariations(r, f, x, g.m.kode(x.vill))
		g.writeFields(f, x.bare, true)
		g.sum.Expected.Replayed++
		g.sum.Injected.Replays++
		return true
	case k == kindConflict:
		if d.ringAll.n == 0 {
			return false
		}
		x := d.ringAll.pick(r)
		f := g.fields(x)
		conflictVariation(r, f, x)
		g.writeFields(f, x.bare, false)
		g.sum.Expected.Quarantined[ConflictingDuplicateID]++
		g.sum.Injected.Conflicts++
		return true
	default:
		if d.ringAll.n == 0 {
			return false
		}
		reason := k - kindMalformed
		x := d.ringAll.pick(r)
		f := g.fields(x)
		f[colID] = string(g.appendID(nil, g.nextSeq()))
		f, raw := g.breakField(r, reason, f, x)
		g.writeFields(f, raw, false)
		name := QuarantineReasons[reason]
		g.sum.Expected.Quarantined[name]++
		g.sum.Injected.Malformed[name]++
		return true
	}
}

// replayVariations changes the formatting of a row, never its content
// after normalisation (spec §3): case of enumerations and periode,
// surrounding spaces, leading zeros of nominal, dots of kode_wilayah, the
// extra column.
func replayVariations(r *rand.Rand, f []string, x *row, kode []byte) {
	if r.IntN(2) == 0 {
		f[colProgram] = strings.ToLower(f[colProgram])
		f[colKomponen] = strings.ToLower(f[colKomponen])
	}
	if r.IntN(2) == 0 {
		f[colStatus] = strings.ToLower(f[colStatus])
		f[colPenyalur] = " " + strings.ToLower(f[colPenyalur])
	}
	if r.IntN(2) == 0 {
		f[colPeriode] = strings.ToLower(f[colPeriode])
	}
	f[colNominal] = " " + strings.Repeat("0", 1+r.IntN(2)) + f[colNominal]
	f[colKode] = string(appendKode(nil, kode, !x.undotted))
	if r.IntN(3) == 0 {
		f[colID] += " "
	}
	f[colKeterangan] = "Kirim ulang batch"
}

// conflictVariation changes one content field of a row, keeping it well
// formed: the amount, the status, the name's case or the date.
func conflictVariation(r *rand.Rand, f []string, x *row) {
	switch r.IntN(4) {
	case 1:
		switch x.spec.status {
		case statusSalur:
			f[colStatus] = statusNames[statusRetur]
		case statusGagal:
			f[colStatus] = statusNames[statusRetur]
		default:
			f[colStatus] = statusNames[statusSalur]
			if f[colTanggal] == "" {
				f[colTanggal] = dateString(civil(2000, 1, 1))
			}
		}
		return
	case 2:
		upper := strings.ToUpper(f[colNama])
		if upper != f[colNama] {
			f[colNama] = upper
			return
		}
		// Title case: "SITI AMINAH" → "Siti Aminah".
		b := []byte(f[colNama])
		for i := 1; i < len(b); i++ {
			if c := b[i]; b[i-1] != ' ' && 'A' <= c && c <= 'Z' {
				b[i] = c + ('a' - 'A')
			}
		}
		if string(b) != f[colNama] {
			f[colNama] = string(b)
			return
		}
	case 3:
		if x.date != noDay {
			f[colTanggal] = dateString(x.date + 1)
			return
		}
	}
	f[colNominal] = strconv.FormatInt(x.spec.nominal+50_000, 10)
}

// breakField makes the row malformed in exactly the field of the given
// reason (an index into QuarantineReasons); every check before it still
// passes, so the reason is unambiguous. It returns the fields and whether
// nama must be written unquoted.
func (g *gen) breakField(r *rand.Rand, reason int, f []string, x *row) ([]string, bool) {
	raw := x.bare
	one := func(s ...string) string { return s[r.IntN(len(s))] }
	switch QuarantineReasons[reason] {
	case "BAD_FIELD_COUNT":
		switch r.IntN(3) {
		case 0:
			f = f[:numCols-1] // the remark column lost
		case 1:
			if !needsQuotes(f[colNama]) {
				f[colNama] += ", S.Pd" // a comma nobody quoted
				raw = true
				break
			}
			fallthrough
		default:
			f = append(f, "") // a trailing comma
		}
	case "BAD_ID":
		id := f[colID]
		f[colID] = one("TRX 2025 "+id[9:], strings.ReplaceAll(id, "-", "/"), "",
			id+strings.Repeat("0", 65-len(id)), id[:len(id)-1]+"#", strings.Replace(id, "-", "–", 1))
	case "BAD_NIK":
		n := []byte(f[colNIK])
		switch r.IntN(8) {
		case 0:
			n = n[:15]
		case 1:
			n[6+r.IntN(10)] = 'O'
		case 2:
			copy(n[6:8], one("00", "32", "72"))
		case 3:
			copy(n[8:10], one("00", "13"))
		case 4:
			copy(n[12:], "0000")
		case 5:
			copy(n[:2], one("20", "10", "99"))
		case 6:
			n = []byte("0000000000000000")
		default:
			copy(n[6:12], one("290201", "690201", "310499"))
		}
		f[colNIK] = string(n)
	case "BAD_KK":
		kk := f[colKK]
		f[colKK] = one(kk[:15], kk+"7", kk[:10]+"O"+kk[11:], "", "-")
	case "MISSING_NAME":
		f[colNama] = one("", "   ")
		raw = false
	case "UNKNOWN_REGION":
		k := string(g.m.kode(x.vill)) // dotted
		bogus := k[:9] + "9999"
		if g.tab.Valid(bogus) {
			bogus = "20.01.01.2001"
		}
		f[colKode] = one(bogus, "20.01.01.2001", k[:5]+k[6:], k[:8], strings.ReplaceAll(k, ".", "")[:9])
	case "BAD_PROGRAM":
		f[colProgram] = one("BPNT", "PKH2", "KIP", "BANSOS", "")
	case "BAD_COMPONENT":
		if x.spec.prog == progPKH {
			f[colKomponen] = one("", "SMK", "BALITA", "LANSIA_75")
		} else {
			f[colKomponen] = one("SD", "LANSIA", "IBU_HAMIL")
		}
	case "BAD_PERIOD":
		y := strconv.Itoa(g.year)
		f[colPeriode] = one(y+"-Q5", y+"-13", "0000-Q1", "Q1-"+y, y+"/03", y+"-00", y+"-Q0", "")
	case "BAD_AMOUNT":
		n := x.spec.nominal
		s := strconv.FormatInt(n, 10)
		f[colNominal] = one("-"+s, thousands(n, '.'), thousands(n, ','), s+".00",
			strconv.FormatFloat(float64(n), 'e', -1, 64), "Rp"+s, "100000001", "", "+"+s)
	case "BAD_DATE":
		y := strconv.Itoa(g.year)
		f[colTanggal] = one(y+"-02-30", "15/03/"+y, y+"-3-15", y+"-04-31", y+"0315")
	case "BAD_STATUS":
		f[colStatus] = one("BERHASIL", "PROSES", "SUKSES", "", "DISALURKAN")
	case "BAD_CHANNEL":
		f[colPenyalur] = one("BCA", "BTN", "POS INDONESIA", "BRI SYARIAH", "")
	case "BAD_DECILE":
		f[colDesil] = one("0", "11", "01", "4.0", "desil 2", "-1")
	case "BAD_SEX":
		f[colSex] = one("W", "LK", "PR", "Perempuan", "X", "1")
	case "BAD_BIRTHDATE":
		f[colDOB] = one("1980-02-30", "12/05/1980", "1980-13-01", "19800512", "1975-06-31")
	}
	return f, raw
}

// thousands formats n with a thousands separator ("600.000").
func thousands(n int64, sep byte) string {
	s := strconv.FormatInt(n, 10)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, sep)
		}
		b = append(b, s[i])
	}
	return string(b)
}
