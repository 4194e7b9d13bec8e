package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/portal-data-bansos/portal/internal/region"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the fixture")

// fixtureSrc is the fixture's data directory: a tiny idn-area-data package
// with the quirks of the real one (capitals, a bare quote, a quoted field,
// a name spelt out in letters, one in lower case, a double space, rows out
// of order).
const fixtureSrc = "testdata/idn-area-data/data"

func fixtureConfig(out string) config {
	return config{
		src:     fixtureSrc,
		out:     out,
		pkgName: "idn-area-data",
		version: "3.1.2",
		counts:  [5]int{region.Province: 3, region.Regency: 3, region.District: 3, region.Village: 7},
		verbose: io.Discard,
	}
}

// TestGenerateGolden converts the fixture and compares every output file
// with testdata/golden (the village file decompressed). Run with -update to
// refresh the golden files after an intended change.
func TestGenerateGolden(t *testing.T) {
	out := t.TempDir()
	var log bytes.Buffer
	cfg := fixtureConfig(out)
	cfg.verbose = &log
	sum, err := generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := "idn-area-data@3.1.2: 3 provinces, 3 regencies, 3 districts, 7 villages (8 names recased, 2 cleaned)"; !strings.HasPrefix(sum, want) {
		t.Errorf("summary %q, want prefix %q", sum, want)
	}
	wantLog := `villages.csv line 5: 73.10.01.2001 "A u r" → "Aur"` + "\n" +
		`villages.csv line 7: 73.10.01.2003 "Sidoharjo  II" → "Sidoharjo II"` + "\n"
	if log.String() != wantLog {
		t.Errorf("log:\n%s\nwant:\n%s", log.String(), wantLog)
	}

	files := map[string][]byte{}
	for _, name := range []string{"provinces.tsv", "regencies.tsv", "districts.tsv", "README.md"} {
		files[name] = readFile(t, filepath.Join(out, name))
	}
	villages, err := gunzip(readFile(t, filepath.Join(out, "villages.tsv.gz")))
	if err != nil {
		t.Fatalf("villages.tsv.gz: %v", err)
	}
	files["villages.tsv"] = villages
	for name, got := range files {
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := readFile(t, golden); !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, golden, got)
		}
	}
	if got, want := readFile(t, filepath.Join(out, licenceFile)), readFile(t, filepath.Join(fixtureSrc, "LICENSE.md")); !bytes.Equal(got, want) {
		t.Errorf("%s is not a copy of the source licence", licenceFile)
	}

	// The portal can load what was written, with display names.
	tab, err := region.Load(os.DirFS(out))
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{
		"31":            "DKI Jakarta",
		"34":            "Daerah Istimewa Yogyakarta",
		"7310":          "Kabupaten Pangkajene dan Kepulauan",
		"73.10.01":      "Liukang Tupabbiring",
		"34.71.01.1002": `Soka"an`,
		"7310012001":    "Aur",
		"73.10.01.2002": "Lamuk",
		"73.10.01.2003": "Sidoharjo II",
		"73.10.01.2004": "Pulau, Satu",
	} {
		if got := tab.Name(code); got != want {
			t.Errorf("Name(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestGenerateDeterministic regenerates into a fresh directory and into the
// same one: the bytes must not change, and an up-to-date directory must not
// be touched at all.
func TestGenerateDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := generate(fixtureConfig(dir)); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 6 {
		t.Errorf("wrote %d files, want 6", len(entries))
	}
	mtimes := map[string]time.Time{}
	for _, e := range entries {
		if !bytes.Equal(readFile(t, filepath.Join(a, e.Name())), readFile(t, filepath.Join(b, e.Name()))) {
			t.Errorf("%s differs between two runs", e.Name())
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		mtimes[e.Name()] = info.ModTime()
	}
	// A second run into the same directory writes nothing.
	sum, err := generate(fixtureConfig(a))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(sum, "wrote nothing (up to date)") {
		t.Errorf("second run: %q", sum)
	}
	for name, mt := range mtimes {
		info, err := os.Stat(filepath.Join(a, name))
		if err != nil || !info.ModTime().Equal(mt) {
			t.Errorf("second run touched %s", name)
		}
	}
}

// TestGenerateRemovesStaleVariant checks that a plain villages.tsv left from
// some earlier layout is removed, since Load refuses to choose.
func TestGenerateRemovesStaleVariant(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, "villages.tsv")
	if err := os.WriteFile(stale, []byte("code\tname\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generate(fixtureConfig(out)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale %s still there (%v)", stale, err)
	}
}

func TestGenerateChecks(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*config)
		wantErr string
	}{
		{"wrong version", func(c *config) { c.version = "4.0.0" }, "holds idn-area-data@3.1.2, want idn-area-data@4.0.0"},
		{"wrong package", func(c *config) { c.pkgName = "other" }, "want other@3.1.2"},
		{"wrong counts", func(c *config) { c.counts[region.Village] = 8 }, "villages.csv: 7 regions, want 8"},
		{"no source", func(c *config) { c.src = "testdata/missing/data" }, "read package manifest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fixtureConfig(t.TempDir())
			tt.edit(&cfg)
			_, err := generate(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("generate: error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// sourceFS returns a small valid source data set with one file replaced
// (content "" removes it).
func sourceFS(file, content string) fstest.MapFS {
	fsys := fstest.MapFS{
		"provinces.csv": {Data: []byte("code,name\n11,ACEH\n32,JAWA BARAT\n")},
		"regencies.csv": {Data: []byte("code,province_code,name\n11.01,11,KABUPATEN ACEH SELATAN\n32.04,32,KABUPATEN BANDUNG\n")},
		"districts.csv": {Data: []byte("code,regency_code,name\n11.01.01,11.01,Bakongan\n32.04.11,32.04,Banjaran\n")},
		"villages.csv":  {Data: []byte("code,district_code,name\n11.01.01.2001,11.01.01,Keude Bakongan\n32.04.11.2001,32.04.11,Sangkanhurip\n")},
	}
	if file != "" {
		if content == "" {
			delete(fsys, file)
		} else {
			fsys[file] = &fstest.MapFile{Data: []byte(content)}
		}
	}
	return fsys
}

func TestConvertErrors(t *testing.T) {
	const vh = "code,district_code,name\n"
	tests := []struct {
		name, file, content, wantErr string
	}{
		{"missing file", "districts.csv", "", "districts.csv: open"},
		{"empty file", "provinces.csv", "\n", "read header"},
		{"bad header", "provinces.csv", "kode,nama\n11,ACEH\n", `header ["kode" "nama"]`},
		{"extra column", "provinces.csv", "code,name\n11,ACEH,X\n", "wrong number of fields"},
		{"undotted code", "villages.csv", vh + "1101012001,11.01.01,A\n", `line 2: code "1101012001" is not a dotted desa code`},
		{"wrong level", "villages.csv", vh + "11.01.01,11.01.01,A\n", "not a dotted desa code"},
		{"partly dotted", "villages.csv", vh + "11.01.012001,11.01.01,A\n", "not a dotted desa code"},
		{"spaces in code", "villages.csv", vh + " 11.01.01.2001,11.01.01,A\n", "not a dotted desa code"},
		{"repeated code", "villages.csv", vh + "11.01.01.2001,11.01.01,A\n11.01.01.2001,11.01.01,B\n", "line 3: code 11.01.01.2001 repeated"},
		{"parent disagrees with code", "villages.csv", vh + "11.01.01.2001,32.04.11,A\n", `has parent "32.04.11", want "11.01.01"`},
		{"missing parent", "villages.csv", vh + "11.01.01.2001,11.01.01,A\n11.01.02.2001,11.01.02,B\n32.04.11.2001,32.04.11,C\n", "parent kecamatan 11.01.02 does not exist"},
		{"region without children", "villages.csv", vh + "11.01.01.2001,11.01.01,A\n", "kecamatan 32.04.11 has no desa"},
		{"no regions", "provinces.csv", "code,name\n", "provinces.csv: no regions"},
		{"empty name", "villages.csv", vh + "11.01.01.2001,11.01.01,  \n32.04.11.2001,32.04.11,C\n", "is empty"},
		{"invalid UTF-8", "villages.csv", vh + "11.01.01.2001,11.01.01,A\xff\n32.04.11.2001,32.04.11,C\n", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := convert(sourceFS(tt.file, tt.content), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("convert: error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if _, err := convert(sourceFS("", ""), io.Discard); err != nil {
		t.Errorf("convert(valid): %v", err)
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Keude Bakongan", "Keude Bakongan"},
		{"  Keude   Bakongan ", "Keude Bakongan"},
		{"Keude\tBakongan\n", "Keude Bakongan"}, // tabs and line breaks are white space too
		{"A u r", "Aur"},
		{"J a t i", "Jati"},
		{"N i a n", "Nian"},
		{"Sidoharjo I", "Sidoharjo I"}, // a numeral, not spelling
		{"Lubuk Pakam I II", "Lubuk Pakam I II"},
		{"A B", "A B"}, // too short to be sure
		{"X", "X"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanName(tt.in); got != tt.want {
			t.Errorf("cleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 38: "38", 514: "514", 7277: "7,277", 83763: "83,763", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"-counts", "1,2,3"}, 2, "want four numbers"},
		{[]string{"-counts", "1,2,x,4"}, 2, "is not a count"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-nosuchflag"}, 2, "not defined"},
		{[]string{"-h"}, 0, "-src"},
		{[]string{"-src", "testdata/missing/data", "-out", "unused"}, 1, "read package manifest"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.wantCode || !strings.Contains(stderr.String(), tt.wantErr) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.wantCode, tt.wantErr)
		}
	}
}

func TestRunFixture(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-src", fixtureSrc, "-out", out, "-counts", "3,3,3,7"}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "wrote provinces.tsv, regencies.tsv, districts.tsv, villages.tsv.gz, LICENSE-ODbL-1.0.md, README.md") {
		t.Errorf("run = %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
}

// FuzzConvert feeds arbitrary village files to the CSV reader, which must
// reject or accept them without panicking, and accept only rows that Load
// will take.
func FuzzConvert(f *testing.F) {
	f.Add("code,district_code,name\n11.01.01.2001,11.01.01,Keude Bakongan\n32.04.11.2001,32.04.11,Sangkanhurip\n")
	f.Add("code,district_code,name\n11.01.01.2001,11.01.01,Soka\"an\n32.04.11.2001,32.04.11,\"A, B\"\n")
	f.Add("code,district_code,name\n11.01.01.2001,11.01.01,A u r\n32.04.11.2001,32.04.11,LAMUK\n")
	f.Fuzz(func(t *testing.T, villages string) {
		ds, err := convert(sourceFS("villages.csv", villages), io.Discard)
		if err != nil {
			return
		}
		fsys := fstest.MapFS{}
		for _, l := range region.Levels {
			fsys[region.FileBase[l]+".tsv"] = &fstest.MapFile{Data: encode(ds.levels[l])}
		}
		if _, err := region.Load(fsys); err != nil {
			t.Fatalf("convert accepted %q but Load rejects the result: %v", villages, err)
		}
	})
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
