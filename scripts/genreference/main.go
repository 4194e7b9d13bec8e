// Command genreference converts the region data of the npm package
// idn-area-data into the files under data/reference/ that package region
// embeds:
//
//	npm ci
//	go run ./scripts/genreference -src node_modules/idn-area-data/data -out data/reference
//
// It reads the four CSV files (provinces, regencies, districts, villages),
// checks them (header, code shape, every parent present, no repeats, the
// expected counts), turns names into display names (region.DisplayName),
// and writes one file per level sorted by code — plain TSV for the three
// upper levels, gzip-compressed TSV for the villages — plus README.md and the
// ODbL licence text. Output is byte-for-byte deterministic, and a file whose
// content has not changed is left untouched, so regenerating leaves `git
// diff` clean. Finally it loads the result with region.Load as a check.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/portal-data-bansos/portal/internal/region"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	src     string    // directory holding the package's CSV files
	out     string    // directory to write
	pkgName string    // expected "name" in the package's package.json
	version string    // expected "version"
	counts  [5]int    // expected region counts by level; all 0 to skip
	verbose io.Writer // where to report each name changed beyond recasing
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "genreference:", err)
		return 2
	}
	cfg.verbose = stdout
	sum, err := generate(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "genreference:", err)
		return 1
	}
	fmt.Fprintln(stdout, sum)
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := config{pkgName: "idn-area-data"}
	fset := flag.NewFlagSet("genreference", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.StringVar(&cfg.src, "src", "node_modules/idn-area-data/data", "directory with the `idn-area-data` CSV files (its parent holds package.json)")
	fset.StringVar(&cfg.out, "out", "data/reference", "output `directory`")
	fset.StringVar(&cfg.version, "version", "3.1.2", "required `version` of idn-area-data (README.md cites the regulation of this version; review it when changing)")
	counts := fset.String("counts", "38,514,7277,83763", "expected numbers of provinces,regencies,districts,villages (\"\" to skip)")
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	if fset.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fset.Args())
	}
	if *counts != "" {
		parts := strings.Split(*counts, ",")
		if len(parts) != 4 {
			return cfg, fmt.Errorf("-counts %q: want four numbers", *counts)
		}
		for i, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return cfg, fmt.Errorf("-counts %q: %q is not a count", *counts, p)
			}
			cfg.counts[region.Levels[i]] = n
		}
	}
	return cfg, nil
}

// source describes one CSV file of the package.
type source struct {
	file   string
	header []string
}

var sources = [...]source{
	region.Province: {"provinces.csv", []string{"code", "name"}},
	region.Regency:  {"regencies.csv", []string{"code", "province_code", "name"}},
	region.District: {"districts.csv", []string{"code", "regency_code", "name"}},
	region.Village:  {"villages.csv", []string{"code", "district_code", "name"}},
}

// compressed lists the levels written gzip-compressed: the village file is
// 1.9 MB as plain text and about a quarter of that compressed; the others
// stay plain so their diffs can be read.
var compressed = [...]bool{region.Village: true}

// row is one region as it will be written.
type row struct {
	code, name string
}

// dataset is the converted data, rows sorted by code, indexed by level.
type dataset struct {
	pkgName, version string
	levels           [5][]row
	recased          [5]int // names changed by DisplayName
	cleaned          [5]int // names changed otherwise
}

// generate converts cfg.src into cfg.out and returns a one-line summary.
func generate(cfg config) (string, error) {
	pkgName, version, err := readPackage(filepath.Join(cfg.src, "..", "package.json"))
	if err != nil {
		return "", err
	}
	if pkgName != cfg.pkgName || version != cfg.version {
		return "", fmt.Errorf("%s holds %s@%s, want %s@%s", cfg.src, pkgName, version, cfg.pkgName, cfg.version)
	}
	ds, err := convert(os.DirFS(cfg.src), cfg.verbose)
	if err != nil {
		return "", err
	}
	ds.pkgName, ds.version = pkgName, version
	if cfg.counts != [5]int{} {
		for _, l := range region.Levels {
			if got, want := len(ds.levels[l]), cfg.counts[l]; got != want {
				return "", fmt.Errorf("%s: %d regions, want %d (a different data version? update -counts and README)", sources[l].file, got, want)
			}
		}
	}
	licence, err := os.ReadFile(filepath.Join(cfg.src, "LICENSE.md"))
	if err != nil {
		return "", fmt.Errorf("read licence: %w", err)
	}
	if !bytes.Contains(licence, []byte("Open Database License")) {
		return "", fmt.Errorf("%s: not the Open Database License", filepath.Join(cfg.src, "LICENSE.md"))
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return "", fmt.Errorf("create output directory: %w", err)
	}
	var written []string
	for _, l := range region.Levels {
		name, err := writeLevel(cfg.out, l, ds.levels[l])
		if err != nil {
			return "", err
		}
		if name != "" {
			written = append(written, name)
		}
	}
	readme, err := renderREADME(ds)
	if err != nil {
		return "", err
	}
	for _, f := range []struct {
		name    string
		content []byte
	}{
		{licenceFile, licence},
		{"README.md", readme},
	} {
		changed, err := writeIfChanged(filepath.Join(cfg.out, f.name), f.content, false)
		if err != nil {
			return "", err
		}
		if changed {
			written = append(written, f.name)
		}
	}
	// Check the result the way the portal will read it.
	t, err := region.Load(os.DirFS(cfg.out))
	if err != nil {
		return "", fmt.Errorf("check output: %w", err)
	}
	for _, l := range region.Levels {
		if t.Count(l) != len(ds.levels[l]) {
			return "", fmt.Errorf("check output: %d regions at level %s loaded, %d written", t.Count(l), l, len(ds.levels[l]))
		}
	}
	if len(written) == 0 {
		written = []string{"nothing (up to date)"}
	}
	return fmt.Sprintf("%s@%s: %d provinces, %d regencies, %d districts, %d villages (%d names recased, %d cleaned); wrote %s",
		pkgName, version, len(ds.levels[region.Province]), len(ds.levels[region.Regency]),
		len(ds.levels[region.District]), len(ds.levels[region.Village]),
		sum(ds.recased), sum(ds.cleaned), strings.Join(written, ", ")), nil
}

func sum(a [5]int) int {
	n := 0
	for _, v := range a {
		n += v
	}
	return n
}

// readPackage returns the name and version in an npm package.json.
func readPackage(path string) (name, version string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("read package manifest: %w", err)
	}
	var pkg struct{ Name, Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", "", fmt.Errorf("parse %s: %w", path, err)
	}
	return pkg.Name, pkg.Version, nil
}

// convert reads and checks the four CSV files in fsys and returns their
// regions with display names, sorted by code. It reports each name changed
// other than by recasing to log.
func convert(fsys fs.FS, log io.Writer) (*dataset, error) {
	ds := &dataset{}
	var parents map[string]bool // codes of the level above
	for _, l := range region.Levels {
		src := sources[l]
		rows, recased, cleaned, err := readLevel(fsys, l, parents, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.file, err)
		}
		if len(rows) == 0 {
			return nil, fmt.Errorf("%s: no regions", src.file)
		}
		ds.levels[l], ds.recased[l], ds.cleaned[l] = rows, recased, cleaned
		parents = make(map[string]bool, len(rows))
		for _, r := range rows {
			parents[r.code] = true
		}
	}
	// Every region above the villages should have children; one without
	// would be a sign of a truncated file.
	for _, l := range region.Levels[:3] {
		has := make(map[string]bool)
		for _, c := range ds.levels[l+1] {
			has[c.code[:strings.LastIndexByte(c.code, '.')]] = true
		}
		for _, r := range ds.levels[l] {
			if !has[r.code] {
				return nil, fmt.Errorf("%s: %s %s has no %s", sources[l].file, l, r.code, l+1)
			}
		}
	}
	return ds, nil
}

// readLevel reads the CSV file of level l. parents holds the codes of the
// level above (nil for provinces).
func readLevel(fsys fs.FS, l region.Level, parents map[string]bool, log io.Writer) (rows []row, recased, cleaned int, err error) {
	src := sources[l]
	f, err := fsys.Open(src.file)
	if err != nil {
		return nil, 0, 0, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	// Some village names hold a bare double quote, a glottal stop
	// (`Soka"an`), which strict RFC 4180 parsing rejects.
	cr.LazyQuotes = true
	cr.FieldsPerRecord = len(src.header)
	header, err := cr.Read()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("read header: %w", err)
	}
	if !slices.Equal(header, src.header) {
		return nil, 0, 0, fmt.Errorf("header %q, want %q", header, src.header)
	}
	seen := make(map[string]bool)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, 0, err // csv errors name the line
		}
		line, _ := cr.FieldPos(0)
		code, raw := rec[0], rec[len(rec)-1]
		dotted, level, ok := region.Normalize(code)
		if !ok || dotted != code || level != l {
			return nil, 0, 0, fmt.Errorf("line %d: code %q is not a dotted %s code", line, code, l)
		}
		if seen[code] {
			return nil, 0, 0, fmt.Errorf("line %d: code %s repeated", line, code)
		}
		seen[code] = true
		if l > region.Province {
			parent := rec[1]
			if want := code[:strings.LastIndexByte(code, '.')]; parent != want {
				return nil, 0, 0, fmt.Errorf("line %d: code %s has parent %q, want %q", line, code, parent, want)
			}
			if !parents[parent] {
				return nil, 0, 0, fmt.Errorf("line %d: code %s: parent %s %s does not exist", line, code, l-1, parent)
			}
		}
		if !utf8.ValidString(raw) {
			return nil, 0, 0, fmt.Errorf("line %d: code %s: name is not valid UTF-8", line, code)
		}
		clean := cleanName(raw)
		name := region.DisplayName(clean)
		if name == "" || strings.ContainsAny(name, "\t\r\n") {
			return nil, 0, 0, fmt.Errorf("line %d: code %s: name %q is empty or holds a tab or line break", line, code, raw)
		}
		if clean != raw {
			cleaned++
			fmt.Fprintf(log, "%s line %d: %s %q → %q\n", src.file, line, code, raw, name)
		} else if name != raw {
			recased++
		}
		rows = append(rows, row{code: code, name: name})
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.code, b.code) })
	return rows, recased, cleaned, nil
}

// cleanName fixes the spacing of a source name: it trims it, collapses runs
// of white space, and joins a name spelt out in single letters ("A u r" →
// "Aur", as idn-area-data 4 also does).
func cleanName(s string) string {
	words := strings.Fields(s)
	spelt := len(words) >= 3
	for _, w := range words {
		if utf8.RuneCountInString(w) != 1 {
			spelt = false
			break
		}
	}
	if spelt {
		return strings.Join(words, "")
	}
	return strings.Join(words, " ")
}

// encode returns the file content for one level (see region.FileBase).
func encode(rows []row) []byte {
	var b bytes.Buffer
	b.WriteString(region.Header + "\n")
	for _, r := range rows {
		b.WriteString(r.code)
		b.WriteByte('\t')
		b.WriteString(r.name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// writeLevel writes level l's file into dir and removes the other variant
// (plain or compressed) if present, so Load never sees both. It returns the
// file's name if it changed, "" if not.
func writeLevel(dir string, l region.Level, rows []row) (string, error) {
	name, stale := region.FileBase[l]+".tsv", region.FileBase[l]+".tsv.gz"
	if compressed[l] {
		name, stale = stale, name
	}
	if err := os.Remove(filepath.Join(dir, stale)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("remove stale %s: %w", stale, err)
	}
	changed, err := writeIfChanged(filepath.Join(dir, name), encode(rows), compressed[l])
	if err != nil || !changed {
		return "", err
	}
	return name, nil
}

// writeIfChanged writes content to path, gzip-compressed if gz, unless the
// file already holds the same content (for gz, the same decompressed
// content, so a change in the compressor between Go releases does not
// rewrite the file). It reports whether it wrote.
func writeIfChanged(path string, content []byte, gz bool) (bool, error) {
	if old, err := os.ReadFile(path); err == nil {
		if gz {
			old, err = gunzip(old)
		}
		if err == nil && bytes.Equal(old, content) {
			return false, nil
		}
	}
	if gz {
		var err error
		if content, err = gzipBytes(content); err != nil {
			return false, fmt.Errorf("compress %s: %w", path, err)
		}
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		return false, fmt.Errorf("write output: %w", err)
	}
	return true, nil
}

// gzipBytes compresses b deterministically: no file name, no time stamp.
func gzipBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// licenceFile is the name the data's licence text is copied to.
const licenceFile = "LICENSE-ODbL-1.0.md"

// renderREADME returns data/reference/README.md for ds.
func renderREADME(ds *dataset) ([]byte, error) {
	var b bytes.Buffer
	err := readmeTemplate.Execute(&b, map[string]any{
		"Package":   ds.pkgName,
		"Version":   ds.version,
		"Provinces": len(ds.levels[region.Province]),
		"Regencies": len(ds.levels[region.Regency]),
		"Districts": len(ds.levels[region.District]),
		"Villages":  len(ds.levels[region.Village]),
		"Recased":   sum(ds.recased),
		"Cleaned":   sum(ds.cleaned),
		"Licence":   licenceFile,
	})
	if err != nil {
		return nil, fmt.Errorf("render README: %w", err)
	}
	return b.Bytes(), nil
}

var readmeTemplate = template.Must(template.New("README").Funcs(template.FuncMap{
	"thousands": thousands,
}).Parse(readmeText))

// thousands formats n with commas between groups of three digits, as the
// README's English prose does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

const readmeText = `# Region reference data

Indonesia's administrative regions, by Kemendagri code, for package
` + "`internal/region`" + ` (which embeds this directory through package ` + "`data`" + `).
**Generated — do not edit by hand**; see "Regenerating" below.

| File | Level (` + "`tingkat`" + `) | Regions |
| --- | --- | ---: |
| ` + "`provinces.tsv`" + ` | provinsi | {{thousands .Provinces}} |
| ` + "`regencies.tsv`" + ` | kabupaten (kabupaten and kota) | {{thousands .Regencies}} |
| ` + "`districts.tsv`" + ` | kecamatan | {{thousands .Districts}} |
| ` + "`villages.tsv.gz`" + ` | desa (desa, kelurahan and desa adat), gzip-compressed | {{thousands .Villages}} |

Each file is UTF-8 text: the header line ` + "`code<TAB>name`" + `, then one line per
region, ` + "`<dotted code><TAB><display name>`" + `, sorted by code. A region's
parent is its code without the last segment (` + "`32.04.11.2001`" + ` lies in
` + "`32.04.11`" + `, in ` + "`32.04`" + `, in ` + "`32`" + `).

## Source

The npm package [{{.Package}}](https://www.npmjs.com/package/{{.Package}})
version **{{.Version}}** by fityannugroho,
<https://github.com/fityannugroho/idn-area-data>, files ` + "`data/*.csv`" + `.

That version follows the official sources listed in the project's
` + "`docs/references.md`" + `: chiefly the *Keputusan Menteri Dalam Negeri Nomor
100.1.1-6117 Tahun 2022 tentang Pemberian dan Pemutakhiran Kode, Data Wilayah
Administrasi Pemerintahan, dan Pulau* (whose totals — 38 provinces, 514
regencies and cities, 7,277 districts, 83,763 villages — these counts match),
and *Undang-Undang Nomor 29 Tahun 2022 tentang Pembentukan Provinsi Papua
Barat Daya*. Later versions of the package (4.x) change names and may follow
newer decrees; moving to one is a deliberate change of the portal's
reference data, to be noted in a release's changelog.

## Changes made to the source

- Names the source writes in capitals (every province and regency, and a
  handful of districts and villages) or all in lower case are given display
  case by ` + "`region.DisplayName`" + `: "KABUPATEN ACEH SELATAN" → "Kabupaten Aceh Selatan",
  "DKI JAKARTA" → "DKI Jakarta", "PANGKAJENE DAN KEPULAUAN" → "Pangkajene dan
  Kepulauan"; Roman numerals and a few acronyms stay in capitals. Names
  already in mixed case are kept as they are. ({{.Recased}} names.)
- Names spelt out in single letters are joined ("A u r" → "Aur") and runs of
  spaces collapsed. ({{.Cleaned}} names.)
- Nothing else: codes and spellings are as in the source, down to its
  oddities — a double quotation mark standing for a glottal stop
  (` + "`Soka\"an`" + `), an asterisk (` + "`Teuw*`" + `), run-together words
  (` + "`SeuneubokTeungoh`" + `), "Kota Pematangsiantar" and "Kabupaten Fak Fak"
  as the source spells them.

## Licence

The data is compiled by fityannugroho and the contributors to idn-area-data
and made available under the [Open Database License (ODbL)
v1.0]({{.Licence}}), whose text is copied in ` + "`{{.Licence}}`" + `. The files here
are a derivative database of that data and are likewise made available under
the ODbL v1.0. (The package's code is MIT
licensed; none of it is used here.)

Attribution for anything the portal publishes from these names and codes:

> Contains region data from idn-area-data {{.Version}}
> (https://github.com/fityannugroho/idn-area-data), available under the
> Open Database License v1.0.

## Regenerating

From the repository root, with the package installed by ` + "`npm ci`" + ` (it is a
devDependency pinned in ` + "`package.json`" + `):

    go run ./scripts/genreference -src node_modules/idn-area-data/data -out data/reference

The command checks the CSV files (codes, parents, counts, the package
version), writes the files above byte-for-byte reproducibly, leaves unchanged
files untouched, and loads the result with ` + "`region.Load`" + `. Regenerate in
place rather than emptying this directory first: package ` + "`data`" + ` embeds
it, and the command imports package ` + "`region`" + `, so neither builds without
the files.
`
