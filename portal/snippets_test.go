package portal

import (
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestReadingSnippetsDeclareTheRegistry: every dataset page offers
// pandas, readr, DuckDB and Power Query snippets whose type declarations
// are the registry's, every column declared, codes as text; and the
// pandas snippet, run by Debian's pandas on the downloaded file, keeps
// a code such as "32.10" as the text it is.
func TestReadingSnippetsDeclareTheRegistry(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	pre := regexp.MustCompile(`(?s)<pre class="cite-code" data-copy-src data-tool="([^"]+)">(.*?)</pre>`)
	decls := map[string]*regexp.Regexp{
		"pandas":              regexp.MustCompile(`"([a-z_0-9]+)": "([A-Za-z0-9]+)"`),
		"R (readr)":           regexp.MustCompile(`\n\s+([a-z_0-9]+) = (col_[a-z]+)\(\)`),
		"DuckDB":              regexp.MustCompile(`'([a-z_0-9]+)': '([A-Z]+)'`),
		"Excel (Power Query)": regexp.MustCompile(`\{"([a-z_0-9]+)", ([A-Za-z0-9. ]+)\}`),
	}
	want := map[string]map[string]string{ // tool → registry type → declared type
		"pandas":              {dataset.TypeString: "string", dataset.TypeInteger: "Int64", dataset.TypeNumber: "Float64", dataset.TypeBoolean: "boolean"},
		"R (readr)":           {dataset.TypeString: "col_character", dataset.TypeInteger: "col_double", dataset.TypeNumber: "col_double", dataset.TypeBoolean: "col_logical"},
		"DuckDB":              {dataset.TypeString: "VARCHAR", dataset.TypeInteger: "BIGINT", dataset.TypeNumber: "DOUBLE", dataset.TypeBoolean: "BOOLEAN"},
		"Excel (Power Query)": {dataset.TypeString: "type text", dataset.TypeInteger: "Int64.Type", dataset.TypeNumber: "type number", dataset.TypeBoolean: "Int64.Type"},
	}
	pandasCode := map[string]string{}
	for _, ds := range dataset.All {
		body := testkit.Get(t, s, "/dataset/"+ds.Slug).Body.String()
		found := pre.FindAllStringSubmatch(body, -1)
		if len(found) != 4 {
			t.Errorf("%s: %d snippets, want 4", ds.Slug, len(found))
			continue
		}
		for _, f := range found {
			tool, code := f[1], html.UnescapeString(f[2])
			got := map[string]string{}
			for _, d := range decls[tool].FindAllStringSubmatch(code, -1) {
				got[d[1]] = d[2]
			}
			if len(got) != len(ds.Columns) {
				t.Errorf("%s %s: %d columns declared, the registry has %d", ds.Slug, tool, len(got), len(ds.Columns))
			}
			for _, c := range ds.Columns {
				if got[c.Name] != want[tool][c.Type] {
					t.Errorf("%s %s: %s declared %q, want %q (a %s)", ds.Slug, tool, c.Name, got[c.Name], want[tool][c.Type], c.Type)
				}
			}
			if !strings.Contains(code, "http://example.com/dataset/"+ds.Slug+".csv?release=2") {
				t.Errorf("%s %s: does not read the pinned download", ds.Slug, tool)
			}
			if tool == "pandas" {
				pandasCode[ds.Slug] = code
			}
		}
	}

	// The pandas snippet, run for real on the downloaded files.
	py := testkit.Python(t, "pandas", "python3-pandas")
	for slug, col := range map[string]string{"wilayah": "kode", "penyaluran": "kode_wilayah"} {
		file := filepath.Join(t.TempDir(), slug+".csv")
		csv := testkit.Get(t, s, "/dataset/"+slug+".csv?release=2").Body.Bytes()
		if err := os.WriteFile(file, csv, 0o600); err != nil {
			t.Fatal(err)
		}
		// A code a number would change: "32.10" read as 32.1.
		tens := regexp.MustCompile(`(?m)(?:^|,)"?([0-9]{2}\.[0-9]0)"?,`).FindSubmatch(csv)
		if tens == nil {
			t.Fatalf("%s: no code ending in 0 to check", slug)
		}
		code := regexp.MustCompile(`"http://example.com/dataset/[^"]+"`).ReplaceAllString(pandasCode[slug], `"`+file+`"`)
		code += "\nprint(df.dtypes['" + col + "'])\nprint('" + string(tens[1]) + "' in set(df['" + col + "'].dropna()), len(df))\n"
		out, err := exec.Command(py, "-c", code).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: pandas: %v\n%s", slug, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if lines[0] != "string" || !strings.HasPrefix(lines[len(lines)-1], "True ") {
			t.Errorf("%s: pandas read %s as %q, 11.10 kept: %s", slug, col, lines[0], lines[len(lines)-1])
		}
	}
}

// TestPreviewShowsDecimals: the percentage columns of a preview carry
// their one-decimal values (they were blank in every preview).
func TestPreviewShowsDecimals(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, u := range []string{"/dataset/realisasi?tingkat=provinsi", "/dataset/cakupan-desil?tingkat=nasional&program=SEMUA"} {
		body := testkit.Get(t, s, u).Body.String()
		if !regexp.MustCompile(`<td class="num">[0-9.]+,[0-9]</td>`).MatchString(body) {
			t.Errorf("%s: no decimal value in the preview", u)
		}
	}
	// An empty measure of a row that is not withheld is "not set" (t.a.),
	// explained under the table, never the withheld "—".
	body := testkit.Get(t, s, "/dataset/cakupan-desil?tingkat=provinsi").Body.String()
	row := regexp.MustCompile(`<tr>(?:<td[^>]*>(?:<abbr[^>]*>[^<]*</abbr>|[^<]*)</td>)+?<td>tidak</td></tr>`).FindString(body)
	if row == "" || strings.Contains(row, "—") || !strings.Contains(row, ">t.a.</abbr>") || !strings.Contains(body, "bukan angka yang ditekan") {
		t.Errorf("a row not withheld shows %q", row)
	}
}
