// The outsider's attack on the real site: a generated year is published
// by the real aggregator, and its public CSV files are downloaded through
// the real router (package portal), then attacked. In its own test binary
// so that it runs beside the site's tests, not after them.
package attack_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/attack"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/synth"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal"
)

// attackFixture is a generated year published in two deliveries (the
// first 60 % of the distribution file, then the rest, so the second
// release changes every quarter), once protected at k and once at k = 1
// (nothing withheld: the true values that score the attack), with the
// public CSV files of every release downloaded through the real router.
type attackFixture struct {
	rels, truth []attack.Release
	amounts     attack.Amounts
}

func buildAttackFixture(t *testing.T, rows int, seed uint64, k int) *attackFixture {
	t.Helper()
	ctx := context.Background()
	gen := t.TempDir()
	sum, err := synth.Generate(ctx, gen, synth.Options{Rows: rows, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	// 60 % of the records, then the rest: two deliveries of one year.
	parts := []string{filepath.Join(gen, "part-1.csv"), filepath.Join(gen, "part-2.csv")}
	cut := sum.Rows * 6 / 10
	if err := synth.SplitRecords(filepath.Join(gen, synth.DistributionFile), [2]string(parts), func(i int, _ string) bool { return i >= cut }); err != nil {
		t.Fatal(err)
	}
	f := &attackFixture{amounts: unitAmounts(t, filepath.Join(gen, synth.DistributionFile))}
	for _, kk := range []int{k, 1} {
		dir := t.TempDir()
		pub, priv, press := testkit.OpenStores(t, dir)
		key, err := datadir.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
		if err != nil {
			t.Fatal(err)
		}
		if err := testkit.Deliver(ctx, aggregator.Options{Published: pub, Private: priv, Key: key, K: kk}, gen, parts, true); err != nil {
			t.Fatal(err)
		}
		s, err := portal.New(portal.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press})
		if err != nil {
			t.Fatal(err)
		}
		var rels []attack.Release
		for n := 1; n <= len(parts); n++ {
			r := attack.Release{Number: n, Files: map[string][]byte{}}
			for _, ds := range attack.Datasets() {
				rec := get(t, s, fmt.Sprintf("/dataset/%s.csv?release=%d", ds, n))
				if rec.Code != 200 {
					t.Fatalf("%s release %d: status %d", ds, n, rec.Code)
				}
				r.Files[ds] = rec.Body.Bytes()
			}
			rel, err := release.Get(ctx, pub.R, n)
			if err != nil {
				t.Fatal(err)
			}
			r.HeldBack = rel.Disclosure.HeldBack
			rels = append(rels, r)
		}
		if kk == k {
			f.rels = rels
		} else {
			f.truth = rels
		}
	}
	return f
}

// unitAmounts is what the attacker knows of the programmes' amounts: for
// each quarter, programme, component and status, the smallest and largest
// amount of one transaction, read from the well-formed rows of the raw
// file (the rules are public: Sembako Rp 200,000 a month, and so on). A
// PKH total gets the range over its components.
func unitAmounts(t testing.TB, path string) attack.Amounts {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := attack.Amounts{}
	add := func(key string, v int64) {
		a, ok := out[key]
		if !ok {
			a = [2]int64{v, v}
		}
		out[key] = [2]int64{min(a[0], v), max(a[1], v)}
	}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		c := strings.Split(sc.Text(), ",")
		if len(c) < 13 {
			continue
		}
		q := quarterOf(c[1])
		v, err := strconv.ParseInt(c[11], 10, 64)
		if q == "" || err != nil || v <= 0 || c[11] != strconv.FormatInt(v, 10) {
			continue
		}
		prog, comp, status := strings.TrimSpace(c[2]), strings.TrimSpace(c[3]), strings.TrimSpace(c[12])
		add(strings.Join([]string{q, prog, comp, status}, "|"), v)
		if comp != "" {
			add(strings.Join([]string{q, prog, "", status}, "|"), v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// quarterOf reads a raw periode (YYYY-MM or YYYY-Qn) as YYYY-Qn.
func quarterOf(p string) string {
	if len(p) == 7 && p[4] == '-' {
		if p[5] == 'Q' && p[6] >= '1' && p[6] <= '4' {
			return p
		}
		if m, err := strconv.Atoi(p[5:]); err == nil && m >= 1 && m <= 12 {
			return fmt.Sprintf("%s-Q%d", p[:4], (m-1)/3+1)
		}
	}
	return ""
}

// TestOutsiderAttack is the attacker of docs/disclosure.md on the public
// CSV files: one release alone, then both releases differenced. No
// withheld count may be pinned or narrowed below k, and no small count may
// be published or shown to be non-zero within less than k.
func TestOutsiderAttack(t *testing.T) {
	t.Parallel()
	const k = 10
	f := buildAttackFixture(t, 20000, 7, k)
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("releases-1-to-%d", n), func(t *testing.T) {
			res, err := attack.Run(f.rels[:n], f.truth[:n], f.amounts, k)
			if err != nil {
				t.Fatal(err)
			}
			pinned := 0
			for _, f := range res.Findings {
				if f.Kind == "pinned" {
					pinned++
				}
			}
			t.Logf("%d nodes, %d constraints, %d withheld counts judged, %d pinned, %d findings in all, %d inconsistent",
				res.Nodes, res.Constraints, res.Withheld, pinned, len(res.Findings), len(res.Inconsistent))
			if res.Withheld == 0 {
				t.Fatal("nothing withheld: the fixture tests nothing")
			}
			for i, s := range res.Inconsistent {
				if i < 10 {
					t.Errorf("attacker's model contradicts the truth: %s", s)
				}
			}
			for i, x := range res.Findings {
				if i < 20 {
					t.Errorf("%s", x)
				}
			}
			if len(res.Findings) > 20 {
				t.Errorf("... %d findings in all", len(res.Findings))
			}
			if name := os.Getenv("ATTACK_EXPLAIN"); name != "" {
				for _, line := range res.Explain(name) {
					t.Log(line)
				}
			}
			if os.Getenv("ATTACK_DUMP") != "" {
				b, _ := json.Marshal(res.Findings)
				os.WriteFile(os.Getenv("ATTACK_DUMP"), b, 0o644)
			}
		})
	}
	t.Run("weakened-release-is-caught", func(t *testing.T) {
		weakened(t, f, k)
	})
	// The first release through linear and integer programming (SciPy's
	// HiGHS, internal/attack/lp.py): what propagation might miss. One
	// program per count is slow, hence one release.
	t.Run("lp-release-1", func(t *testing.T) {
		py := testkit.Python(t, "scipy.optimize", "python3-scipy")
		lpAttack(t, py, f, 1, k)
	})
}

// lpAttack runs internal/attack/lp.py over the first n releases of f.
func lpAttack(t *testing.T, py string, f *attackFixture, n, k int) {
	res, err := attack.Run(f.rels[:n], f.truth[:n], f.amounts, k)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "system.json")
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Export(w, k); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "lp.py", path).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Errorf("the LP attack found withheld counts: %v", err)
	}
	if !strings.Contains(string(out), `"count": 0`) || strings.Contains(string(out), `"judged": 0,`) {
		t.Errorf("the LP attack judged nothing or found something")
	}
}

// weakened publishes, one at a time, the families, transactions and
// rupiah paid of rows of the first
// release that were withheld although large (secondary suppression): the
// attack must catch what that gives away about other rows, for at least
// one of them. Proves the attack has teeth.
func weakened(t *testing.T, f *attackFixture, k int) {
	read := func(b []byte) [][]string {
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	pub, truth := read(f.rels[0].Files["penyaluran"]), read(f.truth[0].Files["penyaluran"])
	col := map[string]int{}
	for i, h := range pub[0] {
		col[h] = i
	}
	key := func(r []string) string {
		return strings.Join([]string{r[col["periode"]], r[col["program"]], r[col["komponen"]], r[col["tingkat"]], r[col["kode_wilayah"]]}, "|")
	}
	trueRow := map[string][]string{}
	for _, r := range truth[1:] {
		trueRow[key(r)] = r
	}
	tried, caught := 0, 0
	for i, r := range pub[1:] {
		tr := trueRow[key(r)]
		if r[col["ditekan"]] != "1" || tr == nil || r[col["tingkat"]] == "nasional" {
			continue
		}
		if n, _ := strconv.Atoi(tr[col["penerima"]]); n < k {
			continue // a small row's
		}
		tried++
		recs := slices.Clone(pub)
		recs[i+1] = slices.Clone(r)
		for _, m := range []string{"penerima", "transaksi", "nominal_salur"} {
			recs[i+1][col[m]] = tr[col[m]]
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		rel := f.rels[0]
		rel.Files = maps.Clone(rel.Files)
		rel.Files["penyaluran"] = buf.Bytes()
		res, err := attack.Run([]attack.Release{rel}, f.truth[:1], f.amounts, k)
		if err != nil {
			t.Fatal(err)
		}
		// What it gives away about other rows.
		self := "penyaluran " + strings.ReplaceAll(key(r), "|", " ") + " "
		for _, x := range res.Findings {
			if !strings.HasPrefix(x.Node, self) {
				caught++
				if caught == 1 {
					t.Logf("publishing the families of %s reveals %s", key(r), x)
				}
				break
			}
		}
		if tried == 60 {
			break
		}
	}
	t.Logf("%d of %d large withheld rows published one at a time give something away", caught, tried)
	if tried == 0 || caught == 0 {
		t.Errorf("weakening the release by %d rows was never caught", tried)
	}
}

// get answers a GET of url through the site.
func get(t *testing.T, h http.Handler, url string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	return rec
}
