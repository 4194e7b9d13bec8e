package aggregator

import (
	"slices"

	"github.com/portal-data-bansos/portal/internal/bansos"

	"github.com/portal-data-bansos/portal/internal/region"
)

// Geo is the geographic level of a published cell (internal/bansos). Its
// values equal region.Level for the three regional levels, with 0 for the
// nation.
type Geo = bansos.Level

// The published levels (`tingkat`).
const (
	Nasional  = bansos.Nasional
	Provinsi  = bansos.Provinsi
	Kabupaten = bansos.Kabupaten
	Kecamatan = bansos.Kecamatan
)

// Withheld says whether and why a row's measures are withheld.
type Withheld uint8

// Why a cell is withheld (docs/disclosure.md).
const (
	Published Withheld = iota
	Primary            // its protected count is 1..k-1
	Secondary          // withheld so that a primary cell cannot be recomputed
)

// Demography dimensions and their categories, flattened: the category index
// of a cell is its position in Categories.
type Dimension uint8

// The dimensions of penyaluran-demografi.
const (
	DimSex Dimension = iota
	DimAge
	DimDecile
	DimChannel
	numDims
)

var dimNames = [numDims]string{"jenis_kelamin", "kelompok_umur", "desil", "penyalur"}

// String is the published `dimensi`.
func (d Dimension) String() string { return dimNames[d] }

// Category is one category of one dimension.
type Category struct {
	Dim  Dimension
	Name string // the published `kategori`
	Urut int    // order within the dimension
}

// Categories lists every category of every dimension; a demography cell's
// Cat indexes it. Sex 0–1, age 2–6, decile 7–17 (1…10, tidak_diketahui),
// channel 18–22.
var Categories = func() []Category {
	var cs []Category
	add := func(d Dimension, names ...string) {
		for i, n := range names {
			cs = append(cs, Category{Dim: d, Name: n, Urut: i})
		}
	}
	add(DimSex, "L", "P")
	var ages []string
	for _, b := range ageBands {
		ages = append(ages, b.name)
	}
	add(DimAge, ages...)
	add(DimDecile, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "tidak_diketahui")
	add(DimChannel, "BRI", "BNI", "MANDIRI", "BSI", "POS")
	return cs
}()

const (
	numCats       = 23
	catSexBase    = 0
	catAgeBase    = 2
	catDecileBase = 7
	catDecileNone = 17
	catChanBase   = 18
)

// CellKey locates a cell: quarter, programme, component, level and region.
type CellKey struct {
	Quarter   Quarter
	Program   Program
	Component Component // ComponentNone for the programme total
	Geo       Geo
	Region    region.ID // region.None for the nation
}

// Measures is a set of measure groups withheld on a row whose protected
// count is published: a small count of failed or returned transactions,
// of transactions or disbursed rupiah added since the last release, or of
// families paid nothing, is withheld with the columns that would reveal
// it (docs/disclosure.md).
type Measures uint8

// The measure groups that can be withheld on their own.
const (
	HideTransaksi Measures = 1 << iota // transaksi
	HideSalur                          // nominal_salur (and the SALUR transactions it implies)
	HideGagal                          // transaksi_gagal, nominal_gagal
	HideRetur                          // transaksi_retur, nominal_retur
	HidePaid                           // realisasi: penerima_salur, persen_kpm
)

// Cell is a row of `penyaluran`.
type Cell struct {
	CellKey
	Penerima  int64
	Transaksi int64
	TrxGagal  int64
	TrxRetur  int64
	NomSalur  int64
	NomGagal  int64
	NomRetur  int64
	Withheld  Withheld // the whole row
	Hidden    Measures // groups withheld on a published row
}

// DemoCell is a row of `penyaluran-demografi` (Component is always none).
type DemoCell struct {
	CellKey
	Cat      uint8 // index into Categories
	Penerima int64
	NomSalur int64
	Withheld Withheld
}

// RejectCell is a row of `ketepatan-sasaran` (Component is always none;
// levels nasional to kabupaten only).
type RejectCell struct {
	CellKey
	Reason   Reason
	Jumlah   int64
	Withheld Withheld
}

// QualityCell is a row of `kualitas-data`: a count per period and reason.
type QualityCell struct {
	Quarter  Quarter
	Known    bool // false: the period could not be read (published as "")
	Reason   string
	Jumlah   int64
	Withheld Withheld
}

// RealCell is a row of `realisasi`: families reached and rupiah disbursed
// against the target of a programme, quarter and region (levels nasional
// to kabupaten). Component is always none.
type RealCell struct {
	CellKey
	Target        Target
	HasTarget     bool
	PenerimaSalur int64 // distinct families with an accepted SALUR row
	NomSalur      int64 // equals the penyaluran cell's nominal_salur
	// Penerima is the penyaluran cell's count (families with any accepted
	// row).
	Penerima int64
	Withheld Withheld // the penyaluran row is withheld
	Hidden   Measures // HidePaid, HideSalur on a published row
}

// CoverCell is a row of `cakupan-desil`: recipient families of a DTSEN
// decile against the decile's families, per quarter, programme (or
// ProgramNone for SEMUA, any programme) and region (nasional to
// kabupaten). Component is always none.
type CoverCell struct {
	CellKey
	Decile   int   // 1–10
	Keluarga int64 // DTSEN families of the decile (0: not in the list)
	Penerima int64 // recipient families of the decile
	Withheld Withheld
}

// countCell is a distinct-family count the aggregation computes for the
// realisation and coverage tables: SALUR families per programme, and
// families of any programme per decile (Cat).
type countCell struct {
	CellKey
	Cat   uint8
	Count int64
}

// Tables are the statistics of one release.
type Tables struct {
	Penyaluran []Cell
	Demografi  []DemoCell
	Ketepatan  []RejectCell
	Kualitas   []QualityCell
	// Realisasi and Cakupan are empty when no target list, or no DTSEN
	// list, is in force.
	Realisasi []RealCell
	Cakupan   []CoverCell

	// Amounts describe each quarter's transaction amounts per programme
	// and component slot (see amountStat).
	Amounts map[Quarter]*[numPC]amountStat

	// Omitted counts the rows left out because their level is sparse.
	Omitted Omitted

	salur  []countCell // families with a SALUR row: input of Realisasi
	decile []countCell // families per decile, programme or SEMUA: input of Cakupan

	aggregated, reused int // quarters aggregated from facts, taken as stored
}

// Quarters lists the quarters of the distribution tables, in order.
func (t *Tables) Quarters() []Quarter {
	seen := map[Quarter]bool{}
	var qs []Quarter
	for i := range t.Penyaluran {
		if q := t.Penyaluran[i].Quarter; !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	slices.Sort(qs)
	return qs
}
