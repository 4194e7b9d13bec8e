// Package meta is the metadata for harvesters: a Frictionless Data Package v2 per dataset
// (/dataset/{slug}/datapackage.json), the whole catalogue as DCAT-AP
// JSON-LD (/catalog.jsonld) and a schema.org Dataset object for the
// dataset pages (Google Dataset Search). All three are generated from the
// dataset registry (internal/dataset) and the release, so they cannot
// disagree with the downloads they describe.
package meta

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/web"
)

// The publisher and contact point shown to harvesters.
const (
	PublisherName = web.Publisher
	contactName   = web.ContactName
)

// ContactEmail is the data team's address in every metadata document
// (web.ContactEmail).
const ContactEmail = web.ContactEmail

// metadataVersion is part of every metadata ETag. Bump it when the output
// of this file changes, so that clients holding a document of the same
// release revalidate instead of keeping the old shape.
const metadataVersion = "1"

// Profiles and vocabularies the documents refer to.
const (
	ProfileDataPackage  = "https://datapackage.org/profiles/2.0/datapackage.json"
	ProfileDataResource = "https://datapackage.org/profiles/2.0/dataresource.json"
	ProfileTableSchema  = "https://datapackage.org/profiles/2.0/tableschema.json"
	profileTableDialect = "https://datapackage.org/profiles/2.0/tabledialect.json"
	standardDataPackage = "https://datapackage.org/standard/data-package/"

	euLanguage  = "http://publications.europa.eu/resource/authority/language/"
	euFileType  = "http://publications.europa.eu/resource/authority/file-type/"
	euFrequency = "http://publications.europa.eu/resource/authority/frequency/"
	euTheme     = "http://publications.europa.eu/resource/authority/data-theme/"
	ianaMedia   = "https://www.iana.org/assignments/media-types/"
	// geonamesIndonesia is the GeoNames feature of the Republic of Indonesia.
	geonamesIndonesia = "https://sws.geonames.org/1643084/"

	mediaCSV     = "text/csv"
	mediaJSON    = "application/json"
	mediaXLSX    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mediaParquet = "application/vnd.apache.parquet"
)

// metaDistribution is one way a dataset can be fetched.
type metaDistribution struct {
	key       string // "csv", "json", "xlsx", "datapackage"
	mediaType string
	euType    string // EU file-type authority code
	title     i18n.Text
	desc      i18n.Text
}

// metaDistributions lists every dataset's distributions, in the order the
// catalogue and the schema.org object list them.
var metaDistributions = []metaDistribution{
	{"csv", mediaCSV, "CSV", i18n.Text{ID: "CSV", EN: "CSV"},
		i18n.Text{ID: "UTF-8, pemisah koma, RFC 4180, baris judul; angka tanpa pemisah ribuan; ukuran yang ditekan kosong dengan ditekan = 1.", EN: "UTF-8, comma-separated, RFC 4180, header row; plain numbers; withheld measures empty with ditekan = 1."},
	},
	{"json", mediaJSON, "JSON", i18n.Text{ID: "JSON", EN: "JSON"},
		i18n.Text{ID: "Metadata rilis dan baris; ukuran yang ditekan bernilai null dengan \"ditekan\": true.", EN: "Release metadata and rows; withheld measures are null with \"ditekan\": true."},
	},
	{"xlsx", mediaXLSX, "XLSX", i18n.Text{ID: "XLSX", EN: "XLSX"},
		i18n.Text{ID: "Lembar kerja Excel dengan lembar metadata.", EN: "Excel workbook with a metadata sheet."}},
	{"parquet", mediaParquet, "PARQUET", i18n.Text{ID: "Parquet", EN: "Parquet"},
		i18n.Text{ID: "Apache Parquet: kode sebagai teks, cacah dan rupiah int64, persentase double, ukuran yang ditekan null; kamus data dalam metadata berkas.", EN: "Apache Parquet: codes as text, counts and rupiah int64, percentages double, withheld measures null; the data dictionary in the file's metadata."}},
	{"datapackage", mediaJSON, "JSON", i18n.Text{ID: "Frictionless Data Package", EN: "Frictionless Data Package"},
		i18n.Text{ID: "Deskriptor Data Package v2 dengan Table Schema: tipe, satuan, nilai yang diizinkan dan kunci primer setiap kolom.", EN: "Data Package v2 descriptor with a Table Schema: each column's type, unit, allowed values and the primary key."},
	},
}

// Handler serves the metadata harvesters read: the DCAT-AP catalogue
// (/catalog.jsonld) and a Frictionless Data Package per dataset.
type Handler struct{ *web.Site }

// New is the metadata surface over the shared site.
func New(site *web.Site) *Handler { return &Handler{site} }

// metaURLs builds the absolute URLs of one dataset. pinned URLs carry
// ?release=N.
type metaURLs struct {
	base    string
	rel     int
	pinned  bool
	dataset *dataset.Dataset
}

func (u metaURLs) query() string {
	if u.pinned {
		return "?release=" + strconv.Itoa(u.rel)
	}
	return ""
}

// page is the dataset's landing page (never pinned: it is the dataset's
// identity across releases).
func (u metaURLs) page() string { return u.base + "/dataset/" + u.dataset.Slug }

// file is the URL of a distribution.
func (u metaURLs) file(key string) string {
	if key == "datapackage" {
		return u.page() + "/datapackage.json" + u.query()
	}
	return u.page() + "." + key + u.query()
}

func (u metaURLs) methodology() string { return u.base + "/metodologi" }

// Time formats a release time in RFC 3339 with the precision stored
// (fractions of a second only when there are any), so two releases
// published within one second still differ.
func Time(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ReleaseVersion is the version of a dataset in release n: "n.0.0". Every
// release may change any number (late files, suppression), so each is a
// major version; the form is semver because Data Package v2 recommends it.
func ReleaseVersion(n int) string { return strconv.Itoa(n) + ".0.0" }

// QuarterSpan returns the first day of the first quarter and the last day
// of the last quarter among periods ("2025-Q1" …), as YYYY-MM-DD.
func QuarterSpan(periods []string) (start, end string, ok bool) {
	var first, last string
	for _, p := range periods {
		if len(p) != 7 || p[4:6] != "-Q" || p[6] < '1' || p[6] > '4' {
			continue
		}
		if first == "" || p < first {
			first = p
		}
		if last == "" || p > last {
			last = p
		}
	}
	if first == "" {
		return "", "", false
	}
	ends := [...]string{"03-31", "06-30", "09-30", "12-31"}
	starts := [...]string{"01-01", "04-01", "07-01", "10-01"}
	return first[:4] + "-" + starts[first[6]-'1'], last[:4] + "-" + ends[last[6]-'1'], true
}

// hasPeriods reports whether the dataset's rows belong to quarters of the
// release (the reference datasets do not).
func hasPeriods(ds *dataset.Dataset) bool {
	_, ok := ds.Column("periode")
	return ds.Table != "" && ok
}

// metaKeywords are a dataset's keywords: its topics (programme codes and
// subjects, the same in both languages) and general words.
func metaKeywords(ds *dataset.Dataset, lang string) []string {
	out := append([]string(nil), ds.Topics...)
	if ds.Table == "" {
		if lang == "en" {
			return append(out, "region codes", "administrative regions", "Indonesia")
		}
		return append(out, "kode wilayah", "wilayah administrasi", "Kemendagri", "Indonesia")
	}
	if lang == "en" {
		return append(out, "social assistance", "social protection", "Indonesia")
	}
	return append(out, "bantuan sosial", "bansos", "perlindungan sosial", "Indonesia")
}

// euThemes maps a dataset to the EU data themes harvesters filter by.
func euThemes(ds *dataset.Dataset) []string {
	if ds.Table == "" {
		return []string{"REGI"} // regions and cities
	}
	return []string{"SOCI", "GOVE"} // population and society; government and public sector
}

// PrimaryKey is the dataset's natural key: the dimension columns that
// identify a row. The region reference is keyed by its code alone (level
// and parent follow from it). The registry has no key of its own; see
// Dataset.Order, which is a key over storage columns (lvl, urut).
func PrimaryKey(ds *dataset.Dataset) []string {
	if ds.Table == "" {
		return []string{ds.Columns[0].Name}
	}
	var out []string
	for _, c := range ds.Dimensions() {
		out = append(out, c.Name)
	}
	return out
}

// isMeasure reports whether a column is a published number (a count or an
// amount), as opposed to a code, a name or the withheld flag.
func isMeasure(c *dataset.Column) bool {
	return !c.Dimension && (c.Type == dataset.TypeInteger || c.Type == dataset.TypeNumber)
}

// protectedCount is the column whose count decides suppression
// (docs/disclosure.md §2): penerima (families) in the distribution tables,
// else the dataset's first withholdable measure (jumlah, rejected
// transactions, in ketepatan-sasaran).
func protectedCount(ds *dataset.Dataset) *dataset.Column {
	if c, ok := ds.Column("penerima"); ok {
		return c
	}
	for i := range ds.Columns {
		if ds.Columns[i].Withholdable {
			return &ds.Columns[i]
		}
	}
	return nil
}

// hasUnit reports whether some column of the dataset is in unit (its
// Indonesian name).
func hasUnit(ds *dataset.Dataset, unit string) bool {
	for _, c := range ds.Columns {
		if c.Unit.ID == unit {
			return true
		}
	}
	return false
}

// withheldNote explains withheld rows, with the release's threshold.
func withheldNote(ds *dataset.Dataset, k int, methodology string) i18n.Text {
	unit := i18n.Text{ID: "keluarga", EN: "families"}
	if c := protectedCount(ds); c != nil && c.Unit != (i18n.Text{}) {
		unit = c.Unit
	}
	return i18n.Text{ID: fmt.Sprintf("Angka pada baris yang mewakili kurang dari %d %s, atau yang dapat dipakai untuk menghitung baris seperti itu, ditekan demi melindungi keluarga penerima: ukurannya kosong dan kolom ditekan bernilai 1. Metodologi: %s", k, unit.ID, methodology), EN: fmt.Sprintf("Numbers on rows that stand for fewer than %d %s, or that could be used to recompute such a row, are withheld to protect recipient families: their measures are empty and the ditekan column is 1. Methodology: %s", k, unit.EN, methodology)}

}

// describe is a dataset's description for harvesters: the registry's text
// and, for protected datasets, how withheld rows look.
func describe(ds *dataset.Dataset, rel release.Release, u metaURLs) i18n.Text {
	t := ds.Desc
	if rel.Synthetic {
		d := demoNotice()
		t = i18n.Text{ID: d.ID + " " + t.ID, EN: d.EN + " " + t.EN}
	}
	if ds.Protected {
		n := withheldNote(ds, rel.K, u.methodology())
		t = i18n.Text{ID: t.ID + " " + n.ID, EN: t.EN + " " + n.EN}
	}
	return t
}

// --- Frictionless Data Package v2 -------------------------------------

// langText is a text in both languages, for the documents' own
// extension properties.
type langText struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

func bilingual(t i18n.Text) langText { return langText{ID: t.ID, EN: t.EN} }

// dataPackage is a Data Package v2 descriptor. Properties named x-… are
// this portal's extensions (Data Package allows extra properties): the
// English texts, the release, the methodology page and the release's
// disclosure figures for the dataset.
type dataPackage struct {
	Schema       string          `json:"$schema"`
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Version      string          `json:"version"`
	Created      string          `json:"created"`
	Homepage     string          `json:"homepage"`
	Keywords     []string        `json:"keywords"`
	Licenses     []dpLicense     `json:"licenses"`
	Sources      []dpSource      `json:"sources"`
	Contributors []dpContributor `json:"contributors"`
	Resources    []dpResource    `json:"resources"`
	EN           dpEnglish       `json:"x-en"`
	Release      int             `json:"x-release"`
	// Synthetic marks demo data (docs/interface.md, "Demo data").
	Synthetic   bool         `json:"x-synthetic"`
	Methodology string       `json:"x-methodology"`
	Frequency   langText     `json:"x-frequency"`
	Spatial     langText     `json:"x-spatial"`
	Disclosure  dpDisclosure `json:"x-disclosure"`
}

type dpEnglish struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Keywords    []string `json:"keywords,omitempty"`
}

type dpLicense struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type dpSource struct {
	Title   string     `json:"title"`
	Path    string     `json:"path,omitempty"`
	Version string     `json:"version,omitempty"`
	EN      string     `json:"x-en,omitempty"`
	License *dpLicense `json:"x-license,omitempty"`
}

type dpContributor struct {
	Title        string   `json:"title"`
	Path         string   `json:"path,omitempty"`
	Email        string   `json:"email,omitempty"`
	Organization string   `json:"organization,omitempty"`
	Roles        []string `json:"roles"`
}

type dpResource struct {
	Schema      string         `json:"$schema"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Path        string         `json:"path"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Format      string         `json:"format"`
	Mediatype   string         `json:"mediatype"`
	Encoding    string         `json:"encoding"`
	Dialect     dpDialect      `json:"dialect"`
	TableSchema dpTableSchema  `json:"schema"`
	EN          dpEnglish      `json:"x-en"`
	Other       []dpAlternates `json:"x-other-formats"`
}

type dpAlternates struct {
	Format    string `json:"format"`
	Mediatype string `json:"mediatype"`
	Path      string `json:"path"`
}

type dpDialect struct {
	Schema         string `json:"$schema"`
	Header         bool   `json:"header"`
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
}

type dpTableSchema struct {
	Schema        string    `json:"$schema"`
	Fields        []dpField `json:"fields"`
	MissingValues []string  `json:"missingValues"`
	PrimaryKey    []string  `json:"primaryKey"`
}

// dpField is a Table Schema field. Title and description are Indonesian
// (the language of the column names); x-en has them in English, x-unit
// the unit in both. x-filter marks the columns a download accepts as query
// filters; x-withholdable the measures that are empty when ditekan = 1;
// x-optional those that may be empty on a published row too (no target).
type dpField struct {
	Name          string         `json:"name"`
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Description   string         `json:"description"`
	Constraints   *dpConstraints `json:"constraints,omitempty"`
	MissingValues []string       `json:"missingValues,omitzero"`
	TrueValues    []string       `json:"trueValues,omitempty"`
	FalseValues   []string       `json:"falseValues,omitempty"`
	Unit          *langText      `json:"x-unit,omitempty"`
	EN            dpFieldEN      `json:"x-en"`
	Filter        bool           `json:"x-filter,omitempty"`
	Withholdable  bool           `json:"x-withholdable,omitempty"`
	Optional      bool           `json:"x-optional,omitempty"`
}

type dpFieldEN struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

type dpConstraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Minimum  *int     `json:"minimum,omitempty"`
}

// dpDisclosure is the release's disclosure report for one dataset
// (docs/disclosure.md §4).
type dpDisclosure struct {
	K           int       `json:"k"`
	Protected   bool      `json:"protected"`
	Count       string    `json:"protected_count,omitempty"` // the column compared with k
	Cells       int       `json:"cells,omitempty"`
	Withheld    int       `json:"withheld_cells"`
	Primary     int       `json:"primary_suppressed"`
	Secondary   int       `json:"secondary_suppressed"`
	Levels      []dpLevel `json:"levels,omitempty"`
	Note        langText  `json:"note"`
	Methodology string    `json:"methodology"`
}

// dpLevel is one level's part of the report. The shares (0–1) are of the
// level's total: of families where the dataset counts families, of its
// protected count otherwise (rejected transactions), and of rupiah where
// it has rupiah; a share that does not apply is left out rather than
// shown as 0.
type dpLevel struct {
	Tingkat          string   `json:"tingkat"`
	Cells            int      `json:"cells"`
	Withheld         int      `json:"withheld_cells"`
	Primary          int      `json:"primary_suppressed"`
	Secondary        int      `json:"secondary_suppressed"`
	FamiliesWithheld *float64 `json:"families_withheld_share,omitempty"`
	CountWithheld    *float64 `json:"count_withheld_share,omitempty"`
	RupiahWithheld   *float64 `json:"rupiah_withheld_share,omitempty"`
}

func dpLicenseOf(l dataset.Licence) dpLicense {
	return dpLicense{Name: l.ID, Path: l.URL, Title: l.Title}
}

// demoNotice is the banner of a demo release, in both languages.
func demoNotice() i18n.Text {
	cat, err := i18n.Messages()
	if err != nil { // the embedded catalogue always loads; tests prove it
		return i18n.Text{ID: "DATA CONTOH (SINTETIS).", EN: "SYNTHETIC DEMO DATA."}
	}
	return cat.Both("demo.banner")
}

// dpSources names what a dataset was computed from: for a demo release,
// the generator, never the ministry.
func dpSources(ds *dataset.Dataset, rel release.Release) []dpSource {
	var out []dpSource
	if ds.Table != "" && rel.Synthetic {
		cat, _ := i18n.Messages()
		out = append(out, dpSource{Title: cat.T(i18n.ID, "demo.source"), EN: cat.T(i18n.EN, "demo.source")})
	} else if ds.Table != "" {
		out = append(out, dpSource{
			Title: "Berkas penyaluran bantuan sosial tingkat penerima dari sistem penyaluran kementerian (data penyaluran; berisi data pribadi, tidak diterbitkan)",
			EN:    "Recipient-level social assistance distribution files from the ministry's disbursement system (personal data, not published)",
		})
	}
	if ds == dataset.Ketepatan {
		out = append(out,
			dpSource{Title: "Daftar ASN aktif (untuk padan data)", EN: "List of active civil servants (for eligibility matching)"},
			dpSource{Title: "Daftar kematian dari catatan sipil (untuk padan data)", EN: "Civil registry list of deaths (for eligibility matching)"})
	}
	if _, regional := ds.Column("kode_wilayah"); regional || ds.Table == "" {
		odbl := dpLicenseOf(dataset.ODbL10)
		out = append(out, dpSource{
			Title:   "idn-area-data: kode dan nama wilayah Kemendagri (data berlisensi ODbL 1.0)",
			EN:      "idn-area-data: Ministry of Home Affairs region codes and names (data under ODbL 1.0)",
			Path:    "https://github.com/fityannugroho/idn-area-data",
			Version: "3.1.2",
			License: &odbl,
		})
	}
	return out
}

// dpFields builds the Table Schema fields. Withheld measures are empty, so
// the schema's missingValues is [""]. Dimension columns use "" as a real
// value (the total row's komponen, the nation's kode_wilayah, an unread
// periode, a province's kode_induk), so they declare field-level
// missingValues [] (Table Schema v2): there "" is a value, not a null,
// which primary-key columns require.
func dpFields(ds *dataset.Dataset, key []string) []dpField {
	inKey := map[string]bool{}
	for _, k := range key {
		inKey[k] = true
	}
	zero := 0
	var out []dpField
	for i := range ds.Columns {
		col := &ds.Columns[i]
		f := dpField{
			Name: col.Name, Type: col.Type,
			Title: col.Title.ID, Description: col.Desc.ID,
			EN:     dpFieldEN{Title: col.Title.EN, Description: col.Desc.EN},
			Filter: col.Dimension, Withholdable: col.Withholdable, Optional: col.Optional,
		}
		var cons dpConstraints
		if len(col.Values) > 0 {
			cons.Enum = append([]string(nil), col.Values...)
		}
		if inKey[col.Name] {
			cons.Required = true
		}
		if isMeasure(col) {
			cons.Minimum = &zero // counts and rupiah
		}
		if col.Type == dataset.TypeBoolean {
			f.TrueValues, f.FalseValues = []string{"1"}, []string{"0"}
			cons.Required = true
		}
		if cons.Required || cons.Enum != nil || cons.Minimum != nil {
			f.Constraints = &cons
		}
		if col.Dimension || inKey[col.Name] {
			f.MissingValues = []string{}
		}
		if col.Unit != (i18n.Text{}) {
			u := bilingual(col.Unit)
			f.Unit = &u
		}
		out = append(out, f)
	}
	return out
}

func dpDisclosureOf(ds *dataset.Dataset, rel release.Release, u metaURLs) dpDisclosure {
	d := dpDisclosure{K: rel.K, Protected: ds.Protected, Methodology: u.methodology()}
	if !ds.Protected {
		d.Note = langText{
			ID: "Dataset ini tidak memuat angka tentang keluarga penerima per sel, sehingga tidak ada sel yang ditekan.",
			EN: "This dataset holds no per-cell figures about recipient families, so no cell is withheld.",
		}
		return d
	}
	d.Note = bilingual(withheldNote(ds, rel.K, u.methodology()))
	if c := protectedCount(ds); c != nil {
		d.Count = c.Name
	}
	rep := rel.Disclosure.Datasets[ds.Slug]
	if rep == nil {
		return d
	}
	d.Cells, d.Primary, d.Secondary, d.Withheld = rep.Cells, rep.Primary, rep.Secondary, rep.Withheld()
	for _, lv := range bansos.LevelCodes {
		l := rep.Levels[lv]
		if l == nil {
			continue
		}
		dl := dpLevel{Tingkat: lv, Cells: l.Cells, Primary: l.Primary, Secondary: l.Secondary, Withheld: l.Primary + l.Secondary}
		// The report's families share is the share of the protected
		// count, which is families only where the dataset counts them.
		if c := protectedCount(ds); c != nil && c.Name == "penerima" {
			dl.FamiliesWithheld = l.FamiliesWithheld
		} else {
			dl.CountWithheld = l.FamiliesWithheld
		}
		if hasUnit(ds, "rupiah") {
			dl.RupiahWithheld = l.RupiahWithheld
		}
		d.Levels = append(d.Levels, dl)
	}
	return d
}

// buildDataPackage describes a dataset in a release. Its resource and id
// are always pinned to the release: a Data Package describes one release's
// file, and the file of a release never changes.
func buildDataPackage(base string, ds *dataset.Dataset, rel release.Release) dataPackage {
	u := metaURLs{base: base, rel: rel.Number, pinned: true, dataset: ds}
	key := PrimaryKey(ds)
	desc := describe(ds, rel, u)
	var others []dpAlternates
	for _, d := range metaDistributions {
		if d.key != "csv" && d.key != "datapackage" {
			others = append(others, dpAlternates{Format: d.key, Mediatype: d.mediaType, Path: u.file(d.key)})
		}
	}
	return dataPackage{
		Schema:      ProfileDataPackage,
		ID:          u.file("datapackage"),
		Name:        ds.Slug,
		Title:       ds.Title.ID,
		Description: desc.ID,
		Version:     ReleaseVersion(rel.Number),
		Created:     Time(rel.PublishedAt),
		Homepage:    u.page(),
		Keywords:    metaKeywords(ds, "id"),
		Licenses:    []dpLicense{dpLicenseOf(ds.Licence)},
		Sources:     dpSources(ds, rel),
		Contributors: []dpContributor{
			{Title: PublisherName, Path: base + "/", Roles: []string{"publisher"}},
			{Title: contactName, Email: ContactEmail, Organization: PublisherName, Roles: []string{"contact"}},
		},
		Resources: []dpResource{{
			Schema:      ProfileDataResource,
			Name:        ds.Slug,
			Type:        "table",
			Path:        u.file("csv"),
			Title:       ds.Title.ID,
			Description: desc.ID,
			Format:      "csv",
			Mediatype:   mediaCSV,
			Encoding:    "utf-8",
			Dialect: dpDialect{Schema: profileTableDialect, Header: true, Delimiter: ",",
				LineTerminator: "\n", QuoteChar: `"`, DoubleQuote: true},
			TableSchema: dpTableSchema{
				Schema:        ProfileTableSchema,
				Fields:        dpFields(ds, key),
				MissingValues: []string{""},
				PrimaryKey:    key,
			},
			EN:    dpEnglish{Title: ds.Title.EN, Description: desc.EN},
			Other: others,
		}},
		EN:          dpEnglish{Title: ds.Title.EN, Description: desc.EN, Keywords: metaKeywords(ds, "en")},
		Release:     rel.Number,
		Synthetic:   rel.Synthetic,
		Methodology: u.methodology(),
		Frequency:   bilingual(ds.Frequency),
		Spatial:     bilingual(ds.Spatial),
		Disclosure:  dpDisclosureOf(ds, rel, u),
	}
}

// Routes registers the metadata documents.
func (s *Handler) Routes(e gin.IRoutes) {
	e.GET("/catalog.jsonld", s.Catalog)
	e.HEAD("/catalog.jsonld", s.Catalog)
	e.GET("/dataset/:slug/datapackage.json", s.DataPackage)
	e.HEAD("/dataset/:slug/datapackage.json", s.DataPackage)
	e.GET("/robots.txt", s.Robots)
	e.GET("/sitemap.xml", s.Sitemap)
}

// DataPackage answers /dataset/{slug}/datapackage.json[?release=N].
func (s *Handler) DataPackage(c *gin.Context) {
	ds, ok := dataset.Get(c.Param("slug"))
	if !ok {
		_ = c.Error(&apperr.Error{Kind: apperr.NotFound, Code: "unknown_dataset", Key: "error.unknown_dataset", Args: []any{c.Param("slug")}})
		return
	}
	rel, pinned, err := s.RequestedRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	base := web.RequestBaseURL(c)
	if web.NotModified(c, rel, pinned, "datapackage.json", metadataVersion, ds.Slug, base) {
		return
	}
	writeMetadata(c, "application/json; charset=utf-8", buildDataPackage(base, ds, rel))
}

// --- DCAT-AP catalogue ---------------------------------------------------

// ldNode is a JSON-LD node or value.
type ldNode = map[string]any

// dcatContext declares the prefixes of the catalogue.
var dcatContext = ldNode{
	"dcat":   "http://www.w3.org/ns/dcat#",
	"dct":    "http://purl.org/dc/terms/",
	"foaf":   "http://xmlns.com/foaf/0.1/",
	"vcard":  "http://www.w3.org/2006/vcard/ns#",
	"xsd":    "http://www.w3.org/2001/XMLSchema#",
	"schema": "http://schema.org/",
	"skos":   "http://www.w3.org/2004/02/skos/core#",
}

var (
	catalogTitle = i18n.Text{ID: "Katalog data Portal Data Bansos", EN: "Portal Data Bansos data catalogue"}
	catalogDesc  = i18n.Text{ID: "Statistik terbuka penyaluran bantuan sosial (PKH, SEMBAKO, BLT, PBI_JK, ATENSI, PENA) per triwulan, program dan wilayah sampai kecamatan, ketepatan sasaran dan kualitas data, dengan sel kecil ditekan untuk melindungi keluarga penerima; serta referensi kode wilayah. Setiap rilis bernomor dan tetap dapat diunduh.", EN: "Open statistics on social assistance distribution (PKH, SEMBAKO, BLT, PBI_JK, ATENSI, PENA) per quarter, programme and region down to the district, targeting accuracy and data quality, with small cells withheld to protect recipient families; plus the region code reference. Every release is numbered and stays downloadable."}
)

func ldRef(iri string) ldNode { return ldNode{"@id": iri} }

func ldTyped(v, typ string) ldNode { return ldNode{"@value": v, "@type": typ} }

func ldLang(t i18n.Text) []ldNode {
	return []ldNode{{"@value": t.ID, "@language": "id"}, {"@value": t.EN, "@language": "en"}}
}

func ldLicence(l dataset.Licence) ldNode {
	return ldNode{"@id": l.URL, "@type": "dct:LicenseDocument", "dct:identifier": l.ID, "dct:title": l.Title}
}

func ldPublisher(base string) ldNode {
	return ldNode{"@id": base + "/#publisher", "@type": "foaf:Organization",
		"foaf:name": PublisherName, "foaf:homepage": ldRef(base + "/"), "foaf:mbox": ldRef("mailto:" + ContactEmail)}
}

func ldContact(base string) ldNode {
	return ldNode{"@type": "vcard:Organization", "vcard:fn": contactName,
		"vcard:hasEmail": ldRef("mailto:" + ContactEmail), "vcard:hasURL": ldRef(base + "/")}
}

func ldIndonesia() ldNode {
	return ldNode{"@id": geonamesIndonesia, "@type": "dct:Location",
		"skos:prefLabel": ldLang(i18n.Text{ID: "Indonesia", EN: "Indonesia"})}
}

func ldLanguages() []ldNode {
	return []ldNode{ldRef(euLanguage + "IND"), ldRef(euLanguage + "ENG")}
}

func ldDataset(base string, ds *dataset.Dataset, rel release.Release, pinned bool) ldNode {
	u := metaURLs{base: base, rel: rel.Number, pinned: pinned, dataset: ds}
	var kw []ldNode
	for _, lang := range []string{"id", "en"} {
		for _, k := range metaKeywords(ds, lang) {
			kw = append(kw, ldNode{"@value": k, "@language": lang})
		}
	}
	var themes []ldNode
	for _, t := range euThemes(ds) {
		themes = append(themes, ldRef(euTheme+t))
	}
	dpURL := u.file("datapackage")
	var dists []ldNode
	for _, d := range metaDistributions {
		dist := ldNode{
			"@id":              u.page() + "#" + d.key,
			"@type":            "dcat:Distribution",
			"dct:title":        ldLang(i18n.Text{ID: ds.Title.ID + " (" + d.title.ID + ")", EN: ds.Title.EN + " (" + d.title.EN + ")"}),
			"dct:description":  ldLang(d.desc),
			"dcat:accessURL":   ldRef(u.file(d.key)),
			"dcat:downloadURL": ldRef(u.file(d.key)),
			"dcat:mediaType":   ldRef(ianaMedia + d.mediaType),
			"dct:format":       ldRef(euFileType + d.euType),
			"dct:license":      ldLicence(ds.Licence),
			"dct:modified":     ldTyped(Time(rel.PublishedAt), "xsd:dateTime"),
		}
		// The Table Schema describes the CSV file as laid out there.
		switch d.key {
		case "csv":
			dist["dct:conformsTo"] = ldRef(dpURL)
		case "datapackage":
			dist["dct:conformsTo"] = ldRef(standardDataPackage)
		}
		dists = append(dists, dist)
	}
	n := ldNode{
		"@id":                    u.page(),
		"@type":                  "dcat:Dataset",
		"dct:identifier":         ds.Slug,
		"dct:title":              ldLang(ds.Title),
		"dct:description":        ldLang(describe(ds, rel, u)),
		"dcat:keyword":           kw,
		"dcat:theme":             themes,
		"dct:publisher":          ldPublisher(base),
		"dcat:contactPoint":      ldContact(base),
		"dct:license":            ldLicence(ds.Licence),
		"dct:accrualPeriodicity": ldRef(euFrequency + "IRREG"),
		"dct:spatial":            ldIndonesia(),
		"dct:language":           ldLanguages(),
		"dct:modified":           ldTyped(Time(rel.PublishedAt), "xsd:dateTime"),
		"dcat:version":           ReleaseVersion(rel.Number),
		"dcat:landingPage":       ldRef(u.page()),
		"dct:conformsTo":         ldRef(dpURL),
		"dcat:distribution":      dists,
		"foaf:page":              ldRef(u.methodology()),
	}
	if start, end, ok := QuarterSpan(rel.Periods); ok && hasPeriods(ds) {
		n["dct:temporal"] = ldNode{"@type": "dct:PeriodOfTime",
			"dcat:startDate": ldTyped(start, "xsd:date"), "dcat:endDate": ldTyped(end, "xsd:date")}
	}
	return n
}

// buildCatalog is the DCAT-AP catalogue of every dataset in a release.
// Its distribution URLs carry ?release=N only when the catalogue was asked
// for a release; otherwise they follow the release in force.
func buildCatalog(base string, rel release.Release, pinned bool) ldNode {
	var sets []ldNode
	for _, ds := range dataset.All {
		sets = append(sets, ldDataset(base, ds, rel, pinned))
	}
	self := base + "/catalog.jsonld"
	if pinned {
		self += "?release=" + strconv.Itoa(rel.Number)
	}
	return ldNode{
		"@context":           dcatContext,
		"@id":                self,
		"@type":              "dcat:Catalog",
		"dct:title":          ldLang(catalogTitle),
		"dct:description":    ldLang(catalogDesc),
		"dct:publisher":      ldPublisher(base),
		"dcat:contactPoint":  ldContact(base),
		"foaf:homepage":      ldRef(base + "/"),
		"dct:language":       ldLanguages(),
		"dct:license":        ldLicence(dataset.CCBY40),
		"dct:spatial":        ldIndonesia(),
		"dct:modified":       ldTyped(Time(rel.PublishedAt), "xsd:dateTime"),
		"dcat:themeTaxonomy": ldRef(strings.TrimSuffix(euTheme, "/")),
		"dcat:dataset":       sets,
		// The data releases, as a page and as an Atom feed of changes.
		"foaf:page": []ldNode{ldRef(base + "/rilis"), ldRef(base + "/rilis.atom")},
	}
}

// Catalog answers /catalog.jsonld[?release=N].
func (s *Handler) Catalog(c *gin.Context) {
	rel, pinned, err := s.RequestedRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	base := web.RequestBaseURL(c)
	if web.NotModified(c, rel, pinned, "catalog.jsonld", metadataVersion, base, strconv.FormatBool(pinned)) {
		return
	}
	writeMetadata(c, "application/ld+json; charset=utf-8", buildCatalog(base, rel, pinned))
}

// --- schema.org Dataset ----------------------------------------------------

// DatasetJSONLD is the schema.org Dataset object of a dataset page, for
// <script type="application/ld+json">. It is in the reader's language;
// its download URLs carry ?release=N when the page was asked for a
// release. encoding/json escapes <, > and & (as \u003c …), so no value —
// not even a hostile Host header — can close the script element.
func DatasetJSONLD(c *gin.Context, ds *dataset.Dataset, rel release.Release) (template.JS, error) {
	lang := string(web.LangOf(c))
	other := "en"
	if lang == "en" {
		other = "id"
	}
	base := web.RequestBaseURL(c)
	_, pinned := c.GetQuery("release")
	u := metaURLs{base: base, rel: rel.Number, pinned: pinned, dataset: ds}
	org := ldNode{"@type": "Organization", "name": PublisherName, "url": base + "/",
		"contactPoint": ldNode{"@type": "ContactPoint", "contactType": "data enquiries", "name": contactName, "email": ContactEmail}}
	var vars []ldNode
	for i := range ds.Columns {
		col := &ds.Columns[i]
		if !isMeasure(col) {
			continue
		}
		v := ldNode{"@type": "PropertyValue", "propertyID": col.Name, "name": col.Title.In(lang),
			"description": col.Desc.In(lang)}
		if col.Unit != (i18n.Text{}) {
			v["unitText"] = col.Unit.In(lang)
		}
		vars = append(vars, v)
	}
	var dists []ldNode
	for _, d := range metaDistributions {
		dists = append(dists, ldNode{"@type": "DataDownload", "name": d.title.In(lang),
			"description": d.desc.In(lang), "contentUrl": u.file(d.key), "encodingFormat": d.mediaType})
	}
	doc := ldNode{
		"@context":            "https://schema.org",
		"@type":               "Dataset",
		"@id":                 u.page(),
		"name":                ds.Title.In(lang),
		"alternateName":       ds.Title.In(other),
		"description":         describe(ds, rel, u).In(lang),
		"url":                 u.page(),
		"identifier":          ds.Slug,
		"keywords":            metaKeywords(ds, lang),
		"inLanguage":          lang,
		"license":             ds.Licence.URL,
		"isAccessibleForFree": true,
		"creator":             org,
		"publisher":           org,
		"spatialCoverage": ldNode{"@type": "Place", "name": "Indonesia", "sameAs": geonamesIndonesia,
			"description": ds.Spatial.In(lang)},
		"distribution":          dists,
		"dateModified":          Time(rel.PublishedAt),
		"version":               ReleaseVersion(rel.Number),
		"measurementTechnique":  u.methodology(),
		"includedInDataCatalog": ldNode{"@type": "DataCatalog", "name": PublisherName, "url": base + "/dataset"},
		"isBasedOn":             u.file("datapackage"),
	}
	if len(vars) > 0 {
		doc["variableMeasured"] = vars
	}
	if start, end, ok := QuarterSpan(rel.Periods); ok && hasPeriods(ds) {
		doc["temporalCoverage"] = start + "/" + end
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("meta: schema.org metadata of %s: %w", ds.Slug, err)
	}
	return template.JS(b), nil
}

// --- shared ------------------------------------------------------------------

// writeMetadata writes a metadata document, indented for people who read it.
func writeMetadata(c *gin.Context, contentType string, v any) {
	web.WriteJSON(c, http.StatusOK, contentType, v)
}
