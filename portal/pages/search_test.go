package pages

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestSearchFindsWhatReadersType: the search page and its suggestions
// over the real region table, programmes and datasets.
func TestSearchFindsWhatReadersType(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	if n := searchIndex().Len(); n < 7800 {
		t.Fatalf("the index holds %d entries, want every province, regency and district", n)
	}
	for _, tt := range []struct {
		q     string
		first []string // hrefs, in order, at the top of the results
		also  []string
	}{
		{q: "bandung", first: []string{`href="/wilayah/32.04"`, `href="/wilayah/32.73"`}, also: []string{"Jawa Barat"}},
		{q: "kab bandung", first: []string{`href="/wilayah/32.04"`}},
		{q: "Kota Bandung", first: []string{`href="/wilayah/32.73"`}},
		{q: "surabya", first: []string{`href="/wilayah/35.78"`}},
		{q: "bpnt", first: []string{`href="/program/SEMBAKO"`}},
		{q: "Program Keluarga Harapan", first: []string{`href="/program/PKH"`}},
		{q: "sembako", also: []string{`href="/program/SEMBAKO"`}},
		{q: "bansos", also: []string{`href="/program/PKH"`, `href="/dataset/penyaluran"`}},
	} {
		w := testkit.Get(t, s, "/cari?q="+strings.ReplaceAll(tt.q, " ", "+"))
		body := w.Body.String()
		if w.Code != 200 {
			t.Errorf("%q: %d", tt.q, w.Code)
			continue
		}
		at := -1
		for _, f := range tt.first {
			i := strings.Index(body, f)
			if i < 0 || i < at {
				t.Errorf("%q: %s is not where it should be in the results", tt.q, f)
			}
			at = i
		}
		for _, a := range tt.also {
			if !strings.Contains(body, a) {
				t.Errorf("%q: results lack %s", tt.q, a)
			}
		}
	}
	// Kota and Kabupaten Bandung are told apart by kind, and both by their province.
	if body := testkit.Get(t, s, "/cari?q=kab+bandung").Body.String(); strings.Contains(body, `href="/wilayah/32.73"`) {
		t.Error("kab bandung finds Kota Bandung")
	}
	var sug struct {
		Results []struct{ Kind, Title, Context, URL string }
	}
	if err := json.Unmarshal(testkit.Get(t, s, "/cari.json?q=bandung").Body.Bytes(), &sug); err != nil || len(sug.Results) == 0 || len(sug.Results) > 8 {
		t.Fatalf("suggestions: %v %+v", err, sug)
	}
	if sug.Results[0].Context == "" || !strings.HasPrefix(sug.Results[0].URL, "/wilayah/") {
		t.Errorf("first suggestion %+v", sug.Results[0])
	}
	for _, sc := range []testkit.Scenario{
		{Name: "empty", URL: "/cari", ExpectedStatus: 200, ExpectedContent: []string{`href="/wilayah"`}},
		{Name: "nothing", URL: "/cari?q=zzzzqqq", ExpectedStatus: 200, ExpectedContent: []string{"Tidak ada yang cocok"}},
		{Name: "regions", URL: "/wilayah", ExpectedStatus: 200, ExpectedContent: []string{`href="/wilayah/32"`, `href="/wilayah/32.73"`, "Kota Bandung", `href="/wilayah/94"`}},
		{Name: "jump to a province", URL: "/wilayah?kode=32", ExpectedStatus: 303, ExpectedHeaders: map[string]string{"Location": "/wilayah/32"}},
		{Name: "jump to nowhere", URL: "/wilayah?kode=99", ExpectedStatus: 404},
		{Name: "jump form", URL: "/", ExpectedStatus: 200, ExpectedContent: []string{`action="/wilayah"`, `<option value="32">Jawa Barat</option>`}},
		{Name: "header", URL: "/program/PKH", ExpectedStatus: 200, ExpectedContent: []string{`action="/cari"`, `list="site-q-list"`}},
	} {
		sc.Run(t, s)
	}
}

// BenchmarkSearch measures one query over the whole index (every region,
// programme and dataset), with a typo so that the edit distance runs.
func BenchmarkSearch(b *testing.B) {
	ix := searchIndex()
	for b.Loop() {
		ix.Find("surabya", 0)
	}
}
