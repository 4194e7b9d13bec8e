package portal

import (
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/meta"
)

// TestReleasePagesShowWhatChanged: /rilis/2 and its perubahan.csv report
// exactly the cells that differ between the public CSV downloads of
// releases 1 and 2 (computed here independently, by key, from the files
// anyone can download); /rilis lists both; /rilis.atom parses with
// gofeed and keeps its entry ids across fetches.
func TestReleasePagesShowWhatChanged(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	want := map[string]int{} // "dataset kind" → cells
	total := 0
	for _, ds := range dataset.All {
		if ds.Table == "" {
			continue
		}
		key := meta.PrimaryKey(ds)
		index := func(rel string) (map[string][]string, []string) {
			recs := readCSV(t, testkit.Get(t, s, "/dataset/"+ds.Slug+".csv?release="+rel).Body.Bytes())
			head, out := recs[0], map[string][]string{}
			for _, r := range recs[1:] {
				var k []string
				for _, kc := range key {
					for i, h := range head {
						if h == kc {
							k = append(k, r[i])
						}
					}
				}
				out[strings.Join(k, "|")] = r
			}
			return out, head
		}
		old, head := index("1")
		cur, _ := index("2")
		for k, r := range cur {
			o, ok := old[k]
			if !ok {
				continue
			}
			for i, h := range head {
				c, _ := ds.Column(h)
				if c.Dimension || (c.Type != dataset.TypeInteger && c.Type != dataset.TypeNumber) || o[i] == r[i] {
					continue
				}
				kind := "revisi"
				switch {
				case r[i] == "":
					kind = "ditekan_baru"
				case o[i] == "":
					kind = "terbit_baru"
				}
				want[ds.Slug+" "+kind]++
				total++
			}
		}
	}
	if total == 0 {
		t.Fatal("the fixture's releases differ in no cell: nothing to check")
	}
	w := testkit.Get(t, s, "/rilis/2/perubahan.csv")
	recs := readCSV(t, w.Body.Bytes())
	if strings.Join(recs[0], ",") != "dataset,kunci,tingkat,ukuran,jenis,nilai_lama,nilai_baru" {
		t.Fatalf("header %v", recs[0])
	}
	got := map[string]int{}
	for _, r := range recs[1:] {
		got[r[0]+" "+r[4]]++
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: the CSV lists %d, the downloads differ in %d", k, got[k], n)
		}
	}
	if len(recs)-1 != total {
		t.Errorf("the CSV lists %d changes, the downloads differ in %d", len(recs)-1, total)
	}
	for _, sc := range []testkit.Scenario{
		{Name: "list", URL: "/rilis", ExpectedStatus: 200, ExpectedContent: []string{`href="/rilis/2"`, `href="/rilis/1"`, "/rilis.atom"}},
		{Name: "release 2", URL: "/rilis/2", ExpectedStatus: 200, ExpectedContent: []string{"Rilis 2", "Dibanding rilis 1", "/rilis/2/perubahan.csv", "Revisi terbesar"}},
		{Name: "release 1", URL: "/rilis/1", ExpectedStatus: 200, ExpectedContent: []string{"tidak ada rilis sebelumnya"}},
		{Name: "unknown", URL: "/rilis/3", ExpectedStatus: 404},
		{Name: "no previous", URL: "/rilis/1/perubahan.csv", ExpectedStatus: 404},
		{Name: "catalogue links", URL: "/dataset", ExpectedStatus: 200, ExpectedContent: []string{`href="/rilis"`, "/rilis.atom"}},
		{Name: "dataset page links", URL: "/dataset/penyaluran", ExpectedStatus: 200, ExpectedContent: []string{`href="/rilis/2#perubahan"`, "/rilis.atom"}},
		{Name: "DCAT links", URL: "/catalog.jsonld", ExpectedStatus: 200, ExpectedContent: []string{"/rilis.atom"}},
	} {
		sc.Run(t, s)
	}
	var ids [][]string
	for i := 0; i < 2; i++ {
		f, err := gofeed.NewParser().ParseString(testkit.Get(t, s, "/rilis.atom").Body.String())
		if err != nil {
			t.Fatal(err)
		}
		var fetch []string
		for _, it := range f.Items {
			fetch = append(fetch, it.GUID)
			if !strings.HasPrefix(it.Link, "http://example.com/rilis/") || it.Description == "" {
				t.Errorf("entry %+v", it)
			}
		}
		ids = append(ids, fetch)
	}
	if len(ids[0]) != 2 || strings.Join(ids[0], " ") != strings.Join(ids[1], " ") || !strings.HasPrefix(ids[0][0], "tag:example.com,") {
		t.Errorf("feed ids %v", ids)
	}
}
