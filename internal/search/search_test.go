package search

import "testing"

func TestWords(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Kab. Bandung", "kabupaten bandung"},
		{"KABUPATEN  Bandung Barat", "kabupaten bandung barat"},
		{"Kota Bau-Bau", "kota bau bau"},
		{"Pahlawan Ékonomi", "pahlawan ekonomi"},
		{"kec. Coblong", "kecamatan coblong"},
	} {
		got := ""
		for i, w := range Words(tt.in) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != tt.want {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{
		{"surabya", "surabaya", 1}, {"surabaya", "surabaya", 0}, {"bnadung", "bandung", 1}, {"bandung", "badnung", 1},
		{"jakarta", "jkt", 4}, {"", "abc", 3},
	} {
		if d := distance(tt.a, tt.b); d != tt.d {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, d, tt.d)
		}
	}
}

func TestFind(t *testing.T) {
	ix := &Index{}
	ix.Add(Entry{Kind: Region, Key: "32", Title: "Jawa Barat", Rank: 1, Type: "provinsi"})
	ix.Add(Entry{Kind: Region, Key: "32.04", Title: "Kabupaten Bandung", Context: "Jawa Barat", Rank: 2}, "Jawa Barat")
	ix.Add(Entry{Kind: Region, Key: "32.17", Title: "Kabupaten Bandung Barat", Context: "Jawa Barat", Rank: 2}, "Jawa Barat")
	ix.Add(Entry{Kind: Region, Key: "32.73", Title: "Kota Bandung", Context: "Jawa Barat", Rank: 2}, "Jawa Barat")
	ix.Add(Entry{Kind: Region, Key: "35.04.05", Title: "Bandung", Context: "Kabupaten Tulungagung, Jawa Timur", Rank: 3, Type: "kecamatan"}, "Kabupaten Tulungagung", "Jawa Timur")
	ix.Add(Entry{Kind: Region, Key: "35.78", Title: "Kota Surabaya", Context: "Jawa Timur", Rank: 2}, "Jawa Timur")
	ix.Add(Entry{Kind: Program, Key: "SEMBAKO", Title: "Program Sembako", Rank: -2}, "BPNT", "Bantuan Pangan Non Tunai")
	for _, tt := range []struct {
		q    string
		want []string // the first keys, in order
		none bool
	}{
		{q: "bandung", want: []string{"32.04", "32.73", "35.04.05"}},
		{q: "kab bandung", want: []string{"32.04", "32.17"}},
		{q: "Kab. Bandung", want: []string{"32.04"}},
		{q: "kota bandung", want: []string{"32.73"}},
		{q: "surabya", want: []string{"35.78"}},
		{q: "bpnt", want: []string{"SEMBAKO"}},
		{q: "kecamatan bandung", want: []string{"35.04.05"}},
		{q: "bandung jawa timur", want: []string{"35.04.05"}},
		{q: "bdg", none: true},
		{q: "", none: true},
	} {
		hits := ix.Find(tt.q, 0)
		if tt.none {
			if len(hits) != 0 {
				t.Errorf("%q found %v", tt.q, hits)
			}
			continue
		}
		if len(hits) < len(tt.want) {
			t.Errorf("%q found %d, want at least %v", tt.q, len(hits), tt.want)
			continue
		}
		for i, k := range tt.want {
			if hits[i].Key != k {
				var got []string
				for _, h := range hits {
					got = append(got, h.Key)
				}
				t.Errorf("%q found %v, want %v first", tt.q, got, tt.want)
				break
			}
		}
	}
}
