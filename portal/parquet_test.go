package portal

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestParquetReadsBackInDuckDB: the Parquet downloads, read back by a
// second, independent reader (DuckDB, npm @duckdb/node-api pinned in
// tools/duckdb), hold exactly the rows of the CSV download, in the
// registry's column order and types (codes as VARCHAR, counts and rupiah
// BIGINT, percentages DOUBLE, withheld as NULL), with the data dictionary
// in the file's metadata — whole (from the release's file cache) and
// filtered.
func TestParquetReadsBackInDuckDB(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs(filepath.Join("..", "tools", "duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil || serr != nil {
		testkit.Need(t, "no node or DuckDB (make test installs it: npm ci --prefix tools/duckdb)")
	}
	s, _ := newReleaseServer(t, true, func(o *Options) { o.CacheDir = t.TempDir() })
	duck := map[string]string{dataset.TypeString: "VARCHAR", dataset.TypeInteger: "BIGINT", dataset.TypeNumber: "DOUBLE", dataset.TypeBoolean: "BOOLEAN"}
	for _, u := range []string{
		"/dataset/penyaluran.parquet?tingkat=provinsi&periode=2025-Q1",
		"/dataset/wilayah.parquet",
		"/dataset/realisasi.parquet?release=2",
		"/dataset/ketepatan-sasaran.parquet",
		"/dataset/penyaluran-demografi.parquet?tingkat=nasional",
	} {
		slug := strings.TrimSuffix(strings.TrimPrefix(u[:strings.IndexAny(u+"?", "?")], "/dataset/"), ".parquet")
		ds, _ := dataset.Get(slug)
		w := testkit.Get(t, s, u)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/vnd.apache.parquet" || w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d %s %q", u, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Encoding"))
		}
		if cd := w.Header().Get("Content-Disposition"); !strings.HasSuffix(cd, `.parquet"`) {
			t.Errorf("%s: Content-Disposition %q", u, cd)
		}
		file := filepath.Join(t.TempDir(), slug+".parquet")
		if err := os.WriteFile(file, w.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(node, filepath.Join(dir, "read.mjs"), file).Output()
		if err != nil {
			t.Fatalf("%s: DuckDB: %v", u, err)
		}
		var got struct {
			Described []struct {
				Name string `json:"column_name"`
				Type string `json:"column_type"`
			} `json:"described"`
			Rows [][]any `json:"rows"`
			KV   []struct{ Key, Value string }
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v: %.300s", u, err, out)
		}
		if len(got.Described) != len(ds.Columns) {
			t.Fatalf("%s: %d columns, the registry has %d", u, len(got.Described), len(ds.Columns))
		}
		for i, c := range ds.Columns {
			if got.Described[i].Name != c.Name || got.Described[i].Type != duck[c.Type] {
				t.Errorf("%s: column %d is %s %s, want %s %s", u, i, got.Described[i].Name, got.Described[i].Type, c.Name, duck[c.Type])
			}
		}
		csv := readCSV(t, testkit.Get(t, s, strings.Replace(u, ".parquet", ".csv", 1)).Body.Bytes())[1:]
		if len(got.Rows) != len(csv) || len(csv) == 0 {
			t.Fatalf("%s: %d rows, the CSV %d", u, len(got.Rows), len(csv))
		}
		for r, row := range got.Rows {
			for i, v := range row {
				var text string
				switch x := v.(type) {
				case nil:
				case bool:
					text = map[bool]string{true: "1", false: "0"}[x]
				case float64:
					if f, err := strconv.ParseFloat(csv[r][i], 64); err == nil && f == x {
						text = csv[r][i]
					} else {
						text = strconv.FormatFloat(x, 'f', -1, 64)
					}
				default:
					text = strings.TrimPrefix(strings.TrimPrefix(fmtAny(x), "'"), "")
				}
				if text != strings.TrimPrefix(csv[r][i], "'") {
					t.Errorf("%s: row %d %s = %q, the CSV has %q", u, r, ds.Columns[i].Name, text, csv[r][i])
					break
				}
			}
		}
		kv := map[string]string{}
		for _, e := range got.KV {
			kv[e.Key] = e.Value
		}
		for _, c := range ds.Columns {
			var d struct {
				Type  string            `json:"type"`
				Title map[string]string `json:"title"`
			}
			if err := json.Unmarshal([]byte(kv["column:"+c.Name]), &d); err != nil || d.Type != c.Type || d.Title["en"] != c.Title.EN {
				t.Errorf("%s: dictionary of %s: %q (%v)", u, c.Name, kv["column:"+c.Name], err)
			}
		}
		if !strings.Contains(kv["portal_data_bansos"], `"release":2`) {
			t.Errorf("%s: file metadata %.200s", u, kv["portal_data_bansos"])
		}
	}
}

func fmtAny(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		var str string
		_ = json.Unmarshal(b, &str)
		return str
	}
	return s
}
