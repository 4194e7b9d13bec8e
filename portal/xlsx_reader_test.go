package portal

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestXLSXReadsInStreamingMode: openpyxl's read-only mode, its mode for
// large files, trusts each sheet's declared used range; every sheet
// declares its true one, so the streaming reader sees every row and
// column — whole downloads (from the release's file cache) and filtered
// ones.
func TestXLSXReadsInStreamingMode(t *testing.T) {
	t.Parallel()
	py := testkit.Python(t, "openpyxl", "python3-openpyxl")
	s, _ := newReleaseServer(t, true, func(o *Options) { o.CacheDir = t.TempDir() })
	script := `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    print(ws.title, ws.max_row, ws.max_column, len(rows), max((len(r) for r in rows), default=0))
`
	for _, u := range []string{"/dataset/penyaluran.xlsx?tingkat=provinsi&periode=2025-Q1", "/dataset/wilayah.xlsx", "/dataset/ketepatan-sasaran.xlsx"} {
		csv := readCSV(t, testkit.Get(t, s, strings.Replace(u, ".xlsx", ".csv", 1)).Body.Bytes())
		w := testkit.Get(t, s, u)
		if w.Code != 200 {
			t.Fatalf("%s: %d", u, w.Code)
		}
		file := filepath.Join(t.TempDir(), "x.xlsx")
		if err := os.WriteFile(file, w.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", script, file).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: openpyxl: %v\n%s", u, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		data := strings.Fields(lines[0])
		want := []string{"data", strconv.Itoa(len(csv)), strconv.Itoa(len(csv[0])), strconv.Itoa(len(csv)), strconv.Itoa(len(csv[0]))}
		if strings.Join(data, " ") != strings.Join(want, " ") {
			t.Errorf("%s: streaming openpyxl reads %v, want %v (the CSV's rows and columns)", u, data, want)
		}
		if meta := strings.Fields(lines[1]); len(meta) != 5 || meta[0] != "metadata" || meta[1] != meta[3] || meta[2] != "2" || meta[1] == "1" {
			t.Errorf("%s: metadata sheet read as %v", u, meta)
		}
	}
}

// TestDownloadsCiteAbsoluteURLs: a downloaded file travels without its
// page, so its metadata (JSON envelope, XLSX metadata sheet, Parquet
// metadata) names the dataset's page and methodology as absolute URLs.
func TestDownloadsCiteAbsoluteURLs(t *testing.T) {
	t.Parallel()
	s, _ := newReleaseServer(t, true, func(o *Options) { o.CacheDir = t.TempDir() })
	for _, u := range []string{"/dataset/penyaluran.json?tingkat=provinsi", "/dataset/wilayah.json"} {
		body := testkit.Get(t, s, u).Body.String()
		for _, want := range []string{`"url":"http://example.com/dataset/`, `"methodology":"http://example.com/metodologi"`, `Diakses dari http://example.com/dataset/`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", u, want)
			}
		}
	}
}
