// Package dataset describes the portal's datasets: their columns (the data
// dictionary, in both languages), their licence and where their rows live.
// It is the one description that downloads, pages, the API, the OpenAPI
// document, Frictionless Data Packages and the DCAT catalogue are all
// generated from.
package dataset

import (
	"strings"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
)

// Column types, as Frictionless Table Schema names them.
const (
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
)

// Column is one column of a dataset.
type Column struct {
	Name  string
	Type  string
	Unit  i18n.Text // "keluarga", "rupiah", ... (empty for codes and names)
	Title i18n.Text
	Desc  i18n.Text
	// Values lists the allowed values of an enumerated column.
	Values []string
	// Dimension columns can be used as download and API filters.
	Dimension bool
	// Withholdable measures are empty (null) when the row is withheld.
	Withholdable bool
	// Optional measures may be empty on a published row too: a target,
	// budget ceiling or DTSEN count the lists do not give, and the
	// percentages computed from them.
	Optional bool
}

func optional(c Column) Column {
	c.Optional = true
	return c
}

// Dataset is one published dataset.
type Dataset struct {
	Slug    string
	Title   i18n.Text
	Desc    i18n.Text
	Topics  []string // programme codes or topics, for catalogue filters
	Licence Licence
	Columns []Column
	// Table is the published.db table or view holding the rows, with a
	// release column; empty for reference datasets served from code.
	Table string
	// Order is the SQL ORDER BY of a download: the dataset's natural order
	// and a unique key (for cursor paging).
	Order []string
	// Protected datasets carry withheld cells (docs/disclosure.md).
	Protected bool
	// Frequency of updates, in words.
	Frequency i18n.Text
	// Spatial coverage, in words.
	Spatial i18n.Text
}

// Licence is a data licence.
type Licence struct {
	ID    string // SPDX
	Title string
	URL   string
}

// The licences of the portal's data.
var (
	CCBY40 = Licence{ID: "CC-BY-4.0", Title: "Creative Commons Attribution 4.0 International", URL: "https://creativecommons.org/licenses/by/4.0/"}
	ODbL10 = Licence{ID: "ODbL-1.0", Title: "Open Data Commons Open Database License 1.0", URL: "https://opendatacommons.org/licenses/odbl/1-0/"}
)

// Column returns the named column.
func (d *Dataset) Column(name string) (*Column, bool) {
	for i := range d.Columns {
		if d.Columns[i].Name == name {
			return &d.Columns[i], true
		}
	}
	return nil, false
}

// Dimensions lists the dimension (filter) columns.
func (d *Dataset) Dimensions() []*Column {
	var out []*Column
	for i := range d.Columns {
		if d.Columns[i].Dimension {
			out = append(out, &d.Columns[i])
		}
	}
	return out
}

// ColumnNames lists the column names in order.
func (d *Dataset) ColumnNames() []string {
	out := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Name
	}
	return out
}

// Get returns the dataset with the given slug.
func Get(slug string) (*Dataset, bool) {
	for _, d := range All {
		if d.Slug == slug {
			return d, true
		}
	}
	return nil, false
}

// components are the komponen column's values: empty on a programme's
// total row, else a PKH component.
var components = append([]string{""}, bansos.ComponentCodes...)
var levels = bansos.LevelCodes

// Shared columns.
var (
	colPeriode = Column{Name: "periode", Type: TypeString, Dimension: true,
		Title: i18n.Text{ID: "Periode", EN: "Period"},
		Desc:  i18n.Text{ID: "Triwulan penyaluran, YYYY-Qn (tahap). Periode bulanan dihitung dalam triwulannya.", EN: "Distribution quarter, YYYY-Qn (tahap). Monthly periods count in their quarter."}}
	colProgram = Column{Name: "program", Type: TypeString, Dimension: true, Values: bansos.ProgramCodes,
		Title: i18n.Text{ID: "Program", EN: "Programme"},
		Desc:  i18n.Text{ID: "Program bantuan sosial: perlindungan sosial (PKH, SEMBAKO, BLT, PBI_JK), rehabilitasi sosial (ATENSI), pemberdayaan sosial (PENA).", EN: "Social assistance programme: social protection (PKH, SEMBAKO, BLT, PBI_JK), social rehabilitation (ATENSI), social empowerment (PENA)."}}
	colTingkat = func(vals []string) Column {
		return Column{Name: "tingkat", Type: TypeString, Dimension: true, Values: vals,
			Title: i18n.Text{ID: "Tingkat wilayah", EN: "Region level"},
			Desc:  i18n.Text{ID: "Tingkat wilayah baris: nasional, provinsi, kabupaten (kabupaten/kota) atau kecamatan.", EN: "Level of the row's region: national, province, regency/city or district."}}
	}
	colKode = Column{Name: "kode_wilayah", Type: TypeString, Dimension: true,
		Title: i18n.Text{ID: "Kode wilayah", EN: "Region code"},
		Desc:  i18n.Text{ID: "Kode wilayah Kemendagri dengan titik (32, 32.04, 32.04.11); kosong untuk nasional (saring dengan kode_wilayah=-).", EN: "Ministry of Home Affairs region code with dots (32, 32.04, 32.04.11); empty for national (filter kode_wilayah=-)."}}
	colNama = Column{Name: "nama_wilayah", Type: TypeString,
		Title: i18n.Text{ID: "Nama wilayah", EN: "Region name"},
		Desc:  i18n.Text{ID: "Nama wilayah (Indonesia untuk nasional).", EN: "Region name (Indonesia for national)."}}
	colDitekan = Column{Name: "ditekan", Type: TypeBoolean,
		Title: i18n.Text{ID: "Ditekan", EN: "Withheld"},
		Desc:  i18n.Text{ID: "1 bila angka baris ini ditekan untuk melindungi kerahasiaan keluarga penerima: hitungan yang dilindungi (penerima, atau jumlah transaksi tertolak) antara 1 dan k−1, atau baris ini dapat dipakai menghitung kembali baris seperti itu; ukurannya lalu kosong. Pada baris yang tidak ditekan, ukuran yang bisa membuka hitungan kecil (transaksi gagal atau retur, keluarga tersalur) dapat kosong sendiri.", EN: "1 when this row's numbers are withheld to protect recipient families: its protected count (penerima, or jumlah for rejected transactions) is 1 to k−1, or the row could be used to work such a row out; its measures are then empty. On a row not withheld, a measure that would reveal a small count (failed or returned transactions, families paid) may be empty on its own."}}
	unitFamilies = i18n.Text{ID: "keluarga", EN: "families"}
	unitRows     = i18n.Text{ID: "transaksi", EN: "transactions"}
	unitRupiah   = i18n.Text{ID: "rupiah", EN: "rupiah"}
)

// Transaction counts are published for programme totals down to the
// province only (docs/disclosure.md, "What is published less").
const (
	trxFloorID = "Diterbitkan untuk total program sampai provinsi; kosong di kabupaten, kecamatan dan baris komponen PKH, dan bila membuka hitungan kecil."
	trxFloorEN = "Published for programme totals down to the province; empty for regencies, districts and PKH component rows, and where it would reveal a small count."
)

func measure(name string, typ string, unit i18n.Text, title, desc i18n.Text) Column {
	return Column{Name: name, Type: typ, Unit: unit, Title: title, Desc: desc, Withholdable: true}
}

// All lists the datasets in catalogue order.
var All = []*Dataset{Penyaluran, Realisasi, Demografi, Cakupan, Ketepatan, Kualitas, Wilayah}

var statFrequency = i18n.Text{ID: "Setiap ada berkas penyaluran baru (pengolahan terjadwal harian pukul 02.00 WIB)", EN: "Whenever new distribution files arrive (scheduled processing daily at 02:00 WIB)"}
var statSpatial = i18n.Text{ID: "Indonesia: nasional, 38 provinsi, kabupaten/kota dan kecamatan", EN: "Indonesia: national, 38 provinces, regencies/cities and districts"}

// Penyaluran is the distribution table.
var Penyaluran = &Dataset{
	Slug:  "penyaluran",
	Title: i18n.Text{ID: "Penyaluran bantuan sosial", EN: "Social assistance distribution"},
	Desc:  i18n.Text{ID: "Keluarga penerima, transaksi dan nominal yang tersalur, gagal dan diretur per triwulan, program (dan komponen PKH) dan wilayah sampai kecamatan.", EN: "Recipient families, transactions and amounts disbursed, failed and returned per quarter, programme (and PKH component) and region down to the district."},

	Topics: append([]string{"penyaluran"}, bansos.ProgramCodes...), Licence: CCBY40, Table: "penyaluran", Protected: true,
	Frequency: statFrequency, Spatial: statSpatial,
	Order: []string{"periode", "program", "komponen", "lvl", "kode_wilayah"},
	Columns: []Column{
		colPeriode, colProgram,
		{Name: "komponen", Type: TypeString, Dimension: true, Values: components,
			Title: i18n.Text{ID: "Komponen PKH", EN: "PKH component"},
			Desc:  i18n.Text{ID: "Komponen PKH; kosong pada baris total program (saring dengan komponen=- untuk total saja).", EN: "PKH benefit component; empty on the programme's total row (filter komponen=- for the totals only)."}},
		colTingkat(levels), colKode, colNama,
		measure("penerima", TypeInteger, unitFamilies, i18n.Text{ID: "Keluarga penerima", EN: "Recipient families"},
			i18n.Text{ID: "Keluarga berbeda (menurut nomor KK) dengan sedikitnya satu transaksi diterima di sel ini, apa pun statusnya.", EN: "Distinct families (by family card number) with at least one accepted transaction in the cell, whatever its status."}),
		optional(measure("transaksi", TypeInteger, unitRows, i18n.Text{ID: "Transaksi", EN: "Transactions"}, i18n.Text{ID: "Transaksi diterima, apa pun statusnya. " + trxFloorID, EN: "Accepted transactions, whatever their status. " + trxFloorEN})),
		optional(measure("nominal_salur", TypeInteger, unitRupiah, i18n.Text{ID: "Nominal tersalur", EN: "Amount disbursed"}, i18n.Text{ID: "Jumlah nominal transaksi berstatus SALUR; kosong pada baris yang tidak ditekan hanya bila angka ini membuka hitungan kecil.", EN: "Sum of the amounts of transactions with status SALUR (disbursed); empty on a row not withheld only where it would reveal a small count."})),
		optional(measure("transaksi_gagal", TypeInteger, unitRows, i18n.Text{ID: "Transaksi gagal", EN: "Failed transactions"}, i18n.Text{ID: "Transaksi berstatus GAGAL. " + trxFloorID, EN: "Transactions with status GAGAL (failed). " + trxFloorEN})),
		optional(measure("nominal_gagal", TypeInteger, unitRupiah, i18n.Text{ID: "Nominal gagal", EN: "Amount failed"}, i18n.Text{ID: "Jumlah nominal transaksi GAGAL; kosong bersama transaksi_gagal.", EN: "Sum of the amounts of failed transactions; empty with transaksi_gagal."})),
		optional(measure("transaksi_retur", TypeInteger, unitRows, i18n.Text{ID: "Transaksi retur", EN: "Returned transactions"}, i18n.Text{ID: "Transaksi berstatus RETUR (dikembalikan ke kas negara). " + trxFloorID, EN: "Transactions with status RETUR (returned to the treasury). " + trxFloorEN})),
		optional(measure("nominal_retur", TypeInteger, unitRupiah, i18n.Text{ID: "Nominal retur", EN: "Amount returned"}, i18n.Text{ID: "Jumlah nominal transaksi RETUR; kosong bersama transaksi_retur.", EN: "Sum of the amounts of returned transactions; empty with transaksi_retur."})),
		colDitekan,
	},
}

var (
	listFrequency = i18n.Text{ID: "Setiap ada berkas penyaluran baru atau daftar kuota/DTSEN baru (pengolahan terjadwal harian pukul 02.00 WIB)", EN: "Whenever new distribution files or a new target/DTSEN list arrive (scheduled processing daily at 02:00 WIB)"}

	upToRegency = i18n.Text{ID: "Indonesia: nasional, 38 provinsi dan kabupaten/kota", EN: "Indonesia: national, 38 provinces and regencies/cities"}
	unitPercent = i18n.Text{ID: "persen", EN: "percent"}
)

// Realisasi is realisation against target, per tahap.
var Realisasi = &Dataset{
	Slug:  "realisasi",
	Title: i18n.Text{ID: "Realisasi penyaluran terhadap kuota dan pagu", EN: "Realisation against target and budget"},
	Desc:  i18n.Text{ID: "Keluarga penerima manfaat (KPM) yang tersalur dibanding kuota, dan rupiah tersalur dibanding pagu, per tahap (triwulan), program dan wilayah sampai kabupaten/kota. Ada hanya bila daftar kuota dimuat; baris wilayah tanpa kuota tetap ada dengan kuota kosong.", EN: "Beneficiary families (KPM) reached against the target, and rupiah disbursed against the budget ceiling (pagu), per tahap (quarter), programme and region down to the regency/city. Present only when a target list is loaded; regions without a target still have a row, with the target empty."},

	Topics: append([]string{"realisasi"}, bansos.ProgramCodes...), Licence: CCBY40, Table: "realisasi", Protected: true,
	Frequency: listFrequency, Spatial: upToRegency,
	Order: []string{"periode", "program", "lvl", "kode_wilayah"},
	Columns: []Column{
		colPeriode, colProgram, colTingkat(levels[:3]), colKode, colNama,
		optional(measure("kuota_kpm", TypeInteger, unitFamilies, i18n.Text{ID: "Kuota KPM", EN: "Target (KPM)"},
			i18n.Text{ID: "Kuota keluarga penerima manfaat dari daftar kuota yang berlaku untuk rilis ini; kosong bila wilayah ini tidak punya kuota. Kuota provinsi tidak harus sama dengan jumlah kuota kabupatennya.", EN: "Target number of beneficiary families from the target list in force for this release; empty when the region has no target. A province's target need not equal the sum of its regencies'."})),
		optional(measure("penerima_salur", TypeInteger, unitFamilies, i18n.Text{ID: "KPM tersalur", EN: "Families reached"},
			i18n.Text{ID: "Keluarga berbeda (menurut nomor KK) dengan sedikitnya satu transaksi diterima berstatus SALUR; kosong pada baris yang tidak ditekan bila selisihnya dengan penerima di dataset penyaluran (keluarga yang belum tersalur) antara 1 dan k−1.", EN: "Distinct families (by family card number) with at least one accepted transaction with status SALUR (disbursed); empty on a row not withheld when its difference from penerima in penyaluran (families not yet paid) is 1 to k−1."})),
		optional(measure("persen_kpm", TypeNumber, unitPercent, i18n.Text{ID: "Realisasi KPM (%)", EN: "Families reached (%)"},
			i18n.Text{ID: "100 × penerima_salur / kuota_kpm, satu desimal; kosong bila kuota kosong atau 0.", EN: "100 × penerima_salur / kuota_kpm, one decimal; empty when the target is empty or 0."})),
		optional(measure("pagu", TypeInteger, unitRupiah, i18n.Text{ID: "Pagu", EN: "Budget ceiling"},
			i18n.Text{ID: "Pagu anggaran (rupiah) dari daftar kuota; kosong bila tidak ditetapkan.", EN: "Budget ceiling (rupiah) from the target list; empty when none is set."})),
		optional(measure("nominal_salur", TypeInteger, unitRupiah, i18n.Text{ID: "Nominal tersalur", EN: "Amount disbursed"},
			i18n.Text{ID: "Jumlah nominal transaksi SALUR; sama dengan nominal_salur baris total program pada dataset penyaluran (dan kosong bila di sana kosong).", EN: "Sum of the amounts of SALUR transactions; the same as nominal_salur of the programme's total row in the penyaluran dataset (and empty when that is)."})),
		optional(measure("persen_pagu", TypeNumber, unitPercent, i18n.Text{ID: "Realisasi pagu (%)", EN: "Budget disbursed (%)"},
			i18n.Text{ID: "100 × nominal_salur / pagu, satu desimal; kosong bila pagu kosong atau 0.", EN: "100 × nominal_salur / pagu, one decimal; empty when the ceiling is empty or 0."})),
		colDitekan,
	},
}

// Cakupan is the coverage of DTSEN deciles.
var Cakupan = &Dataset{
	Slug:  "cakupan-desil",
	Title: i18n.Text{ID: "Cakupan desil DTSEN", EN: "Coverage of DTSEN deciles"},
	Desc:  i18n.Text{ID: "Keluarga penerima per desil kesejahteraan dibanding keluarga desil itu dalam Data Tunggal Sosial Ekonomi Nasional (DTSEN), per triwulan, program (dan SEMUA: penerima program apa pun) dan wilayah sampai kabupaten/kota. Desil 1–4 yang tidak tercakup adalah keluarga termiskin yang tidak menerima apa-apa. Ada hanya bila daftar DTSEN dimuat.", EN: "Recipient families per welfare decile against the decile's families in the national single socio-economic data (DTSEN), per quarter, programme (and SEMUA: recipients of any programme) and region down to the regency/city. Deciles 1–4 not covered are the poorest families receiving nothing. Present only when a DTSEN list is loaded."},

	Topics: append([]string{"cakupan", "demografi"}, bansos.ProgramCodes...), Licence: CCBY40, Table: "cakupan_desil", Protected: true,
	Frequency: listFrequency, Spatial: upToRegency,
	Order: []string{"periode", "program", "lvl", "kode_wilayah", "desil"},
	Columns: []Column{
		colPeriode,
		{Name: "program", Type: TypeString, Dimension: true, Values: append(append([]string{}, bansos.ProgramCodes...), bansos.AllPrograms),
			Title: colProgram.Title,
			Desc:  i18n.Text{ID: "Program bantuan sosial, atau SEMUA: keluarga yang menerima program apa pun (dihitung sekali).", EN: "Social assistance programme, or SEMUA: families receiving any programme (counted once)."}},
		colTingkat(levels[:3]), colKode, colNama,
		{Name: "desil", Type: TypeInteger, Dimension: true, Values: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
			Title: i18n.Text{ID: "Desil", EN: "Decile"},
			Desc:  i18n.Text{ID: "Desil kesejahteraan DTSEN (1 termiskin … 10) pengurus keluarga.", EN: "DTSEN welfare decile (1 poorest … 10) of the family's representative."}},
		optional(measure("keluarga_dtsen", TypeInteger, unitFamilies, i18n.Text{ID: "Keluarga DTSEN", EN: "DTSEN families"},
			i18n.Text{ID: "Keluarga dalam desil ini menurut daftar DTSEN yang berlaku untuk rilis ini (provinsi dan nasional: jumlah kabupaten/kota dalam daftar); kosong bila tidak ada, dan di semua wilayah satu tingkat bila di salah satunya desil ini punya 1 sampai k−1 keluarga.", EN: "Families in this decile by the DTSEN list in force for this release (province and nation: the sum of the regencies in the list); empty when none, and in every region of a level where one of them has 1 to k−1 families in the decile."})),
		measure("penerima", TypeInteger, unitFamilies, i18n.Text{ID: "Keluarga penerima", EN: "Recipient families"},
			i18n.Text{ID: "Keluarga berbeda dalam desil ini dengan sedikitnya satu transaksi diterima, apa pun statusnya; untuk satu program sama dengan penyaluran-demografi dimensi desil.", EN: "Distinct families of this decile with at least one accepted transaction, whatever its status; for one programme the same as penyaluran-demografi, dimension desil."}),
		optional(measure("persen_cakupan", TypeNumber, unitPercent, i18n.Text{ID: "Cakupan (%)", EN: "Coverage (%)"},
			i18n.Text{ID: "100 × penerima / keluarga_dtsen, satu desimal; kosong bila keluarga_dtsen kosong.", EN: "100 × penerima / keluarga_dtsen, one decimal; empty when keluarga_dtsen is empty."})),
		colDitekan,
	},
}

// Demografi is the demography table.
var Demografi = &Dataset{
	Slug:  "penyaluran-demografi",
	Title: i18n.Text{ID: "Penerima menurut demografi", EN: "Recipients by demography"},
	Desc:  i18n.Text{ID: "Keluarga penerima dan nominal tersalur menurut jenis kelamin, kelompok umur dan desil kesejahteraan pengurus keluarga, serta penyalur, per triwulan, program dan wilayah.", EN: "Recipient families and amounts disbursed by the representative's sex, age group and welfare decile, and by channel, per quarter, programme and region."},

	Topics: append([]string{"demografi"}, bansos.ProgramCodes...), Licence: CCBY40, Table: "penyaluran_demografi", Protected: true,
	Frequency: statFrequency, Spatial: statSpatial,
	Order: []string{"periode", "program", "lvl", "kode_wilayah", "dimensi", "urut"},
	Columns: []Column{
		colPeriode, colProgram, colTingkat(levels), colKode, colNama,
		{Name: "dimensi", Type: TypeString, Dimension: true, Values: []string{"jenis_kelamin", "kelompok_umur", "desil", "penyalur"},
			Title: i18n.Text{ID: "Dimensi", EN: "Dimension"},
			Desc:  i18n.Text{ID: "Dimensi rincian. Kategori satu dimensi berjumlah total wilayah pada dataset penyaluran.", EN: "Breakdown dimension. The categories of one dimension add up to the region's total in the penyaluran dataset."}},
		{Name: "kategori", Type: TypeString, Dimension: true,
			Values: []string{"L", "P", "0-17", "18-29", "30-44", "45-59", "60+", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "tidak_diketahui", "BRI", "BNI", "MANDIRI", "BSI", "POS"},
			Title:  i18n.Text{ID: "Kategori", EN: "Category"},
			Desc:   i18n.Text{ID: "Kategori dimensi: jenis kelamin L/P; kelompok umur pada hari pertama triwulan; desil 1–10 atau tidak_diketahui; penyalur.", EN: "Category of the dimension: sex L/P; age group on the quarter's first day; decile 1–10 or tidak_diketahui (unknown); channel."}},
		measure("penerima", TypeInteger, unitFamilies, i18n.Text{ID: "Keluarga penerima", EN: "Recipient families"}, i18n.Text{ID: "Keluarga berbeda dalam kategori ini. Rupiah per kategori tidak diterbitkan: dari total itu dapat diketahui keluarga mana yang dibayar (docs/disclosure.md).", EN: "Distinct families in this category. Rupiah by category is not published: the totals would tell which families were paid (docs/disclosure.md)."}),
		colDitekan,
	},
}

// Ketepatan is the rejection (targeting accuracy) table.
var Ketepatan = &Dataset{
	Slug:  "ketepatan-sasaran",
	Title: i18n.Text{ID: "Ketepatan sasaran: penerima tertolak", EN: "Targeting accuracy: rejected recipients"},
	Desc:  i18n.Text{ID: "Transaksi yang tertolak oleh padan data — ASN aktif, penerima yang sudah meninggal, penerimaan ganda — per triwulan, program dan wilayah sampai kabupaten/kota.", EN: "Transactions rejected by eligibility matching — active civil servants, deceased recipients, double receipts — per quarter, programme and region down to the regency/city."},

	Topics: append([]string{"ketepatan"}, bansos.ProgramCodes...), Licence: CCBY40, Table: "ketepatan_sasaran", Protected: true,
	Frequency: statFrequency, Spatial: i18n.Text{ID: "Indonesia: nasional, 38 provinsi dan kabupaten/kota", EN: "Indonesia: national, 38 provinces and regencies/cities"},
	Order: []string{"periode", "program", "lvl", "kode_wilayah", "alasan"},
	Columns: []Column{
		colPeriode,
		{Name: "program", Type: TypeString, Dimension: true, Values: append(append([]string{}, bansos.ProgramCodes...), bansos.AllPrograms),
			Title: colProgram.Title,
			Desc:  i18n.Text{ID: "Program bantuan sosial, atau SEMUA: transaksi tertolak semua program (cerita yang bisa diceritakan bila tiap program terlalu kecil).", EN: "Social assistance programme, or SEMUA: rejected transactions of every programme (the story that can be told where each programme's count is small)."}},
		colTingkat(levels[:3]), colKode, colNama,
		{Name: "alasan", Type: TypeString, Dimension: true, Values: []string{"ASN", "DECEASED", "DOUBLE"},
			Title: i18n.Text{ID: "Alasan", EN: "Reason"},
			Desc:  i18n.Text{ID: "ASN: NIK tercantum di daftar ASN aktif; DECEASED: meninggal sebelum hari pertama periode; DOUBLE: penyaluran kedua untuk NIK, program (komponen) dan triwulan yang sama.", EN: "ASN: the NIK is on the active civil servant list; DECEASED: died before the period's first day; DOUBLE: a second payment for the same NIK, programme (component) and quarter."}},
		measure("jumlah", TypeInteger, unitRows, i18n.Text{ID: "Jumlah", EN: "Count"}, i18n.Text{ID: "Transaksi tertolak.", EN: "Rejected transactions."}),
		colDitekan,
	},
}

// Kualitas is the data quality table.
var Kualitas = &Dataset{
	Slug:  "kualitas-data",
	Title: i18n.Text{ID: "Kualitas data masukan", EN: "Input data quality"},
	Desc:  i18n.Text{ID: "Baris berkas penyaluran yang dikarantina menurut alasan, serta baris duplikat (REPLAYED) dan penerima yang pindah domisili (MOVED), per triwulan.", EN: "Rows of the distribution files quarantined by reason, plus replayed rows (REPLAYED) and recipients living outside the regency of their NIK (MOVED), per quarter."},

	Topics: []string{"kualitas"}, Licence: CCBY40, Table: "kualitas_data", Protected: true,
	Frequency: statFrequency, Spatial: i18n.Text{ID: "Indonesia (nasional)", EN: "Indonesia (national)"},
	Order: []string{"periode", "alasan"},
	Columns: []Column{
		{Name: "periode", Type: TypeString, Dimension: true, Title: colPeriode.Title,
			Desc: i18n.Text{ID: "Triwulan baris; kosong bila periode baris tidak dapat dibaca.", EN: "The row's quarter; empty when the row's period could not be read."}},
		{Name: "alasan", Type: TypeString, Dimension: true,
			Values: []string{"BAD_FIELD_COUNT", "BAD_ID", "BAD_NIK", "BAD_KK", "MISSING_NAME", "UNKNOWN_REGION", "BAD_PROGRAM", "BAD_COMPONENT", "BAD_PERIOD", "BAD_AMOUNT", "BAD_DATE", "BAD_STATUS", "BAD_CHANNEL", "BAD_DECILE", "BAD_SEX", "BAD_BIRTHDATE", "CONFLICTING_DUPLICATE_ID", "CLOSED_PERIOD", "MOVED", "REPLAYED"},
			Title:  i18n.Text{ID: "Alasan", EN: "Reason"},
			Desc:   i18n.Text{ID: "Kode alasan karantina (pemeriksaan pertama yang gagal), atau MOVED / REPLAYED.", EN: "Quarantine reason code (the first failing check), or MOVED / REPLAYED."}},
		measure("jumlah", TypeInteger, i18n.Text{ID: "baris", EN: "rows"}, i18n.Text{ID: "Jumlah", EN: "Count"},
			i18n.Text{ID: "Jumlah baris; kosong (ditekan) bila 1 sampai k−1: segelintir baris karantina satu periode menggambarkan segelintir orang.", EN: "Number of rows; empty (withheld) when 1 to k−1: a handful of quarantined rows of one period describes a handful of people."}),
		colDitekan,
	},
}

// Wilayah is the region reference.
var Wilayah = &Dataset{
	Slug:  "wilayah",
	Title: i18n.Text{ID: "Kode wilayah administrasi", EN: "Administrative region codes"},
	Desc:  i18n.Text{ID: "Kode dan nama provinsi, kabupaten/kota dan kecamatan Kemendagri yang dipakai portal ini, dari paket idn-area-data 3.1.2.", EN: "Ministry of Home Affairs codes and names of the provinces, regencies/cities and districts this portal uses, from the idn-area-data 3.1.2 package."},

	Topics: []string{"referensi"}, Licence: ODbL10,
	Frequency: i18n.Text{ID: "Bila referensi wilayah diperbarui", EN: "When the region reference is updated"},
	Spatial:   i18n.Text{ID: "Indonesia: 38 provinsi, 514 kabupaten/kota, 7.277 kecamatan", EN: "Indonesia: 38 provinces, 514 regencies/cities, 7,277 districts"},
	Order:     []string{"kode"},
	Columns: []Column{
		{Name: "kode", Type: TypeString, Dimension: true, Title: i18n.Text{ID: "Kode", EN: "Code"}, Desc: i18n.Text{ID: "Kode wilayah dengan titik.", EN: "Region code with dots."}},
		{Name: "tingkat", Type: TypeString, Dimension: true, Values: levels[1:], Title: i18n.Text{ID: "Tingkat", EN: "Level"}, Desc: i18n.Text{ID: "provinsi, kabupaten atau kecamatan.", EN: "provinsi (province), kabupaten (regency/city) or kecamatan (district)."}},
		{Name: "nama", Type: TypeString, Title: i18n.Text{ID: "Nama", EN: "Name"}, Desc: i18n.Text{ID: "Nama wilayah.", EN: "Region name."}},
		{Name: "kode_induk", Type: TypeString, Dimension: true, Title: i18n.Text{ID: "Kode induk", EN: "Parent code"}, Desc: i18n.Text{ID: "Kode wilayah satu tingkat di atasnya; kosong untuk provinsi.", EN: "Code of the region one level up; empty for a province."}},
	},
}

// FilterValue normalises a filter value for a column: enumerations are
// matched case-insensitively against their allowed values.
func (c *Column) FilterValue(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(c.Values) == 0 {
		return v, true
	}
	for _, a := range c.Values {
		if strings.EqualFold(a, v) {
			return a, true
		}
	}
	return "", false
}

// SearchTerms are the words besides its Indonesian title that find a
// dataset: its slug, English title, descriptions, topics and, for the
// programmes it covers, their other names (bansos.ProgramAliases) and
// "bansos". The header search and the catalogue search both use them.
func (d *Dataset) SearchTerms() []string {
	terms := []string{d.Slug, d.Title.EN, d.Desc.ID, d.Desc.EN}
	programs := false
	for _, t := range d.Topics {
		terms = append(terms, t)
		if aliases, ok := bansos.ProgramAliases[t]; ok {
			terms, programs = append(terms, aliases...), true
		}
	}
	if programs {
		terms = append(terms, "bansos", "bantuan sosial")
	}
	return terms
}
