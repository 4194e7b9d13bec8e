package region

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portal-data-bansos/portal/data"
)

// referenceFS returns the embedded reference files.
func referenceFS(tb testing.TB) fs.FS {
	tb.Helper()
	sub, err := fs.Sub(data.Reference, "reference")
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

// TestEmbeddedDataLoads guards Default's promise not to panic: the
// committed files must load.
func TestEmbeddedDataLoads(t *testing.T) {
	if _, err := Load(referenceFS(t)); err != nil {
		t.Fatalf("Load(embedded): %v", err)
	}
	if Default() != Default() {
		t.Error("Default() returned two different tables")
	}
}

func TestCount(t *testing.T) {
	tab := Default()
	for _, tt := range []struct {
		level Level
		want  int
	}{
		{Province, 38},
		{Regency, 514},
		{District, 7277},
		{Village, 83763},
		{0, 0},
		{5, 0},
	} {
		if got := tab.Count(tt.level); got != tt.want {
			t.Errorf("Count(%v) = %d, want %d", tt.level, got, tt.want)
		}
	}
}

func TestProvinces(t *testing.T) {
	want := []struct{ code, name string }{
		{"11", "Aceh"}, {"12", "Sumatera Utara"}, {"13", "Sumatera Barat"},
		{"14", "Riau"}, {"15", "Jambi"}, {"16", "Sumatera Selatan"},
		{"17", "Bengkulu"}, {"18", "Lampung"}, {"19", "Kepulauan Bangka Belitung"},
		{"21", "Kepulauan Riau"}, {"31", "DKI Jakarta"}, {"32", "Jawa Barat"},
		{"33", "Jawa Tengah"}, {"34", "Daerah Istimewa Yogyakarta"}, {"35", "Jawa Timur"},
		{"36", "Banten"}, {"51", "Bali"}, {"52", "Nusa Tenggara Barat"},
		{"53", "Nusa Tenggara Timur"}, {"61", "Kalimantan Barat"}, {"62", "Kalimantan Tengah"},
		{"63", "Kalimantan Selatan"}, {"64", "Kalimantan Timur"}, {"65", "Kalimantan Utara"},
		{"71", "Sulawesi Utara"}, {"72", "Sulawesi Tengah"}, {"73", "Sulawesi Selatan"},
		{"74", "Sulawesi Tenggara"}, {"75", "Gorontalo"}, {"76", "Sulawesi Barat"},
		{"81", "Maluku"}, {"82", "Maluku Utara"}, {"91", "Papua"},
		{"92", "Papua Barat"}, {"93", "Papua Selatan"}, {"94", "Papua Tengah"},
		{"95", "Papua Pegunungan"}, {"96", "Papua Barat Daya"},
	}
	tab := Default()
	got := tab.Provinces()
	if len(got) != len(want) {
		t.Fatalf("Provinces() has %d regions, want %d", len(got), len(want))
	}
	for i, w := range want {
		wantRegion := Region{Code: w.code, Level: Province, Name: w.name}
		if got[i] != wantRegion {
			t.Errorf("Provinces()[%d] = %+v, want %+v", i, got[i], wantRegion)
		}
		if !tab.ProvinceExists([]byte(w.code)) {
			t.Errorf("ProvinceExists(%q) = false", w.code)
		}
	}
	if !slices.Equal(tab.Children(""), got) {
		t.Error(`Children("") differs from Provinces()`)
	}
	// The slice is a copy.
	got[0].Name = "changed"
	if tab.Name("11") != "Aceh" {
		t.Error("changing the slice Provinces returned changed the table")
	}
}

func TestLookup(t *testing.T) {
	tab := Default()
	jabar := Region{Code: "32", Level: Province, Name: "Jawa Barat"}
	acehSelatan := Region{Code: "11.01", Level: Regency, Name: "Kabupaten Aceh Selatan", Parent: "11"}
	bakongan := Region{Code: "11.01.01", Level: District, Name: "Bakongan", Parent: "11.01"}
	keude := Region{Code: "11.01.01.2001", Level: Village, Name: "Keude Bakongan", Parent: "11.01.01"}
	tests := []struct {
		name string
		code string
		want Region
		ok   bool
	}{
		{"province", "32", jabar, true},
		{"province with spaces", "  32\t", jabar, true},
		{"DKI", "31", Region{Code: "31", Level: Province, Name: "DKI Jakarta"}, true},
		{"DIY", "34", Region{Code: "34", Level: Province, Name: "Daerah Istimewa Yogyakarta"}, true},
		{"newest province", "96", Region{Code: "96", Level: Province, Name: "Papua Barat Daya"}, true},
		{"regency dotted", "11.01", acehSelatan, true},
		{"regency undotted", "1101", acehSelatan, true},
		{"city", "11.71", Region{Code: "11.71", Level: Regency, Name: "Kota Banda Aceh", Parent: "11"}, true},
		{"regency with dan", "7310", Region{Code: "73.10", Level: Regency, Name: "Kabupaten Pangkajene dan Kepulauan", Parent: "73"}, true},
		{"district dotted", "11.01.01", bakongan, true},
		{"district undotted", "110101", bakongan, true},
		{"village dotted", "11.01.01.2001", keude, true},
		{"village undotted", "1101012001", keude, true},
		{"village quoted in source", "35.13.15.2017", Region{Code: "35.13.15.2017", Level: Village, Name: `Soka"an`, Parent: "35.13.15"}, true},
		{"district recased", "53.02.10", Region{Code: "53.02.10", Level: District, Name: "Ki'e", Parent: "53.02"}, true},
		{"village spelt out in source", "1271151001", Region{Code: "12.71.15.1001", Level: Village, Name: "Aur", Parent: "12.71.15"}, true},

		{"empty", "", Region{}, false},
		{"spaces only", "   ", Region{}, false},
		{"partly dotted", "32.0411", Region{}, false},
		{"partly dotted village", "320411.2001", Region{}, false},
		{"dots in the wrong place", "320.41", Region{}, false},
		{"trailing dot", "32.", Region{}, false},
		{"leading dot", ".32", Region{}, false},
		{"letters", "3A", Region{}, false},
		{"inner space", "32 04", Region{}, false},
		{"sign", "+32", Region{}, false},
		{"one digit", "3", Region{}, false},
		{"three digits", "320", Region{}, false},
		{"seven digits", "3204112", Region{}, false},
		{"nik length", "3204110101900001", Region{}, false},
		{"unicode digits", "３２", Region{}, false},
		{"unknown province", "20", Region{}, false},
		{"zero province", "00", Region{}, false},
		{"unknown regency", "32.99", Region{}, false},
		{"unknown district", "32.04.99", Region{}, false},
		{"unknown village", "32.04.11.9999", Region{}, false},
		{"regency of other province", "31.04", Region{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tab.Lookup(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
			}
			if v := tab.Valid(tt.code); v != tt.ok {
				t.Errorf("Valid(%q) = %v, want %v", tt.code, v, tt.ok)
			}
			if n := tab.Name(tt.code); n != tt.want.Name {
				t.Errorf("Name(%q) = %q, want %q", tt.code, n, tt.want.Name)
			}
			l, id, ok := tab.IDOf(tt.code)
			if ok != tt.ok || (ok && (l != tt.want.Level || tab.ByID(l, id) != tt.want)) || (!ok && id != None) {
				t.Errorf("IDOf(%q) = %v, %d, %v", tt.code, l, id, ok)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in     string
		dotted string
		level  Level
		ok     bool
	}{
		{"32", "32", Province, true},
		{"3204", "32.04", Regency, true},
		{"32.04", "32.04", Regency, true},
		{"320411", "32.04.11", District, true},
		{"32.04.11", "32.04.11", District, true},
		{"3204112001", "32.04.11.2001", Village, true},
		{"32.04.11.2001", "32.04.11.2001", Village, true},
		{" 3204112001 ", "32.04.11.2001", Village, true},
		{"\t32.04\n", "32.04", Regency, true},
		{"99.99", "99.99", Regency, true}, // well formed, even if it does not exist
		{"00", "00", Province, true},

		{"", "", 0, false},
		{"3", "", 0, false},
		{"32.0411", "", 0, false},
		{"3204.11", "", 0, false},
		{"32.04.112001", "", 0, false},
		{"320411.2001", "", 0, false},
		{"32.04.11.201", "", 0, false},
		{"32.04.11.20011", "", 0, false},
		{"32..04", "", 0, false},
		{"32-04", "", 0, false},
		{"32/04", "", 0, false},
		{"3204112001a", "", 0, false},
		{"32.04.1a", "", 0, false},
		{"320411200", "", 0, false},
		{"32041120011", "", 0, false},
		{"32 04", "", 0, false},
		{"-3204", "", 0, false},
		{"٣٢", "", 0, false},
	}
	for _, tt := range tests {
		dotted, level, ok := Normalize(tt.in)
		if dotted != tt.dotted || level != tt.level || ok != tt.ok {
			t.Errorf("Normalize(%q) = %q, %v, %v; want %q, %v, %v", tt.in, dotted, level, ok, tt.dotted, tt.level, tt.ok)
		}
	}
}

func TestParents(t *testing.T) {
	tab := Default()
	tests := []struct {
		code string
		want []string // codes
	}{
		{"32", nil},
		{"32.04", []string{"32"}},
		{"320411", []string{"32", "32.04"}},
		{"32.04.11.2001", []string{"32", "32.04", "32.04.11"}},
		{"32.0411", nil},
		{"99", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := tab.Parents(tt.code)
		var codes []string
		for _, r := range got {
			codes = append(codes, r.Code)
		}
		if !slices.Equal(codes, tt.want) {
			t.Errorf("Parents(%q) = %q, want %q", tt.code, codes, tt.want)
		}
	}
	got := tab.Parents("3204112001")
	if len(got) == 3 && (got[0].Name != "Jawa Barat" || got[1].Name != "Kabupaten Bandung") {
		t.Errorf("Parents(3204112001) names = %q, %q", got[0].Name, got[1].Name)
	}
}

func TestChildren(t *testing.T) {
	tab := Default()
	tests := []struct {
		code      string
		n         int
		first     string // code of the first child
		last      string
		wantLevel Level
	}{
		{"", 38, "11", "96", Province},
		{"31", 6, "31.01", "31.75", Regency},
		{"34", 5, "34.01", "34.71", Regency},
		{"3101", 2, "31.01.01", "31.01.02", District},
		{"11.01.01", 7, "11.01.01.2001", "11.01.01.2017", Village},
	}
	for _, tt := range tests {
		got := tab.Children(tt.code)
		if len(got) != tt.n {
			t.Errorf("Children(%q) has %d regions, want %d", tt.code, len(got), tt.n)
			continue
		}
		if got[0].Code != tt.first || got[len(got)-1].Code != tt.last {
			t.Errorf("Children(%q) runs %s…%s, want %s…%s", tt.code, got[0].Code, got[len(got)-1].Code, tt.first, tt.last)
		}
		parent, _, _ := Normalize(tt.code)
		for _, c := range got {
			if c.Level != tt.wantLevel || c.Parent != parent {
				t.Errorf("Children(%q) holds %+v", tt.code, c)
			}
		}
	}
	for _, code := range []string{"11.01.01.2001", "99", "32.0411", "x"} {
		if got := tab.Children(code); got != nil {
			t.Errorf("Children(%q) = %v, want nil", code, got)
		}
	}
}

// TestHierarchy walks the whole table: codes ascend, every parent exists
// and agrees with ParentID, children partition each level, every lookup
// round-trips in both code forms.
func TestHierarchy(t *testing.T) {
	tab := Default()
	for _, l := range Levels {
		n := tab.Count(l)
		childTotal := 0
		for i := range n {
			id := ID(i)
			r := tab.ByID(l, id)
			if r.Level != l || r.Name == "" || r.Name != DisplayName(r.Name) {
				t.Fatalf("ByID(%v, %d) = %+v", l, id, r)
			}
			if i > 0 && tab.ByID(l, id-1).Code >= r.Code {
				t.Fatalf("%v codes out of order at %s", l, r.Code)
			}
			if got, ok := tab.Lookup(r.Code); !ok || got != r {
				t.Fatalf("Lookup(%q) = %+v, %v", r.Code, got, ok)
			}
			undotted := strings.ReplaceAll(r.Code, ".", "")
			if gl, gid, ok := tab.IDOf(undotted); !ok || gl != l || gid != id {
				t.Fatalf("IDOf(%q) = %v, %d, %v; want %v, %d", undotted, gl, gid, ok, l, id)
			}
			pid := tab.ParentID(l, id)
			if l == Province {
				if r.Parent != "" || pid != None {
					t.Fatalf("province %s has parent %q (%d)", r.Code, r.Parent, pid)
				}
			} else {
				p := tab.ByID(l-1, pid)
				if p.Code == "" || p.Code != r.Parent || !strings.HasPrefix(r.Code, p.Code+".") {
					t.Fatalf("%s %s: parent %q, ParentID gives %+v", l, r.Code, r.Parent, p)
				}
			}
			if l < Village {
				kids := tab.Children(r.Code)
				if len(kids) == 0 {
					t.Errorf("%s %s has no children", l, r.Code)
				}
				childTotal += len(kids)
			}
		}
		if l < Village && childTotal != tab.Count(l+1) {
			t.Errorf("children of all %v: %d, want %d", l, childTotal, tab.Count(l+1))
		}
	}
}

func TestZeroTable(t *testing.T) {
	var tab Table
	if tab.Valid("11") || tab.ProvinceExists([]byte("11")) || tab.Count(Province) != 0 || tab.Children("") != nil {
		t.Error("the zero Table finds something")
	}
	if id, ok := tab.VillageDistrict([]byte("1101012001")); ok || id != None {
		t.Errorf("zero Table: VillageDistrict = %d, %v", id, ok)
	}
}

func TestParentIDs(t *testing.T) {
	tab := Default()
	_, v, ok := tab.IDOf("32.04.11.2001")
	if !ok {
		t.Fatal("village 32.04.11.2001 missing")
	}
	d := tab.DistrictOf(v)
	r := tab.RegencyOf(d)
	p := tab.ProvinceOf(r)
	got := []string{tab.ByID(District, d).Code, tab.ByID(Regency, r).Code, tab.ByID(Province, p).Code}
	if want := []string{"32.04.11", "32.04", "32"}; !slices.Equal(got, want) {
		t.Errorf("ancestors of 32.04.11.2001 = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		l  Level
		id ID
	}{{Province, 0}, {Village, -1}, {Village, ID(tab.Count(Village))}, {0, 0}, {9, 0}} {
		if got := tab.ParentID(tt.l, tt.id); got != None {
			t.Errorf("ParentID(%v, %d) = %d, want None", tt.l, tt.id, got)
		}
		if got := tab.ByID(tt.l, tt.id); tt.l != Province && got != (Region{}) {
			t.Errorf("ByID(%v, %d) = %+v, want zero", tt.l, tt.id, got)
		}
	}
}

func TestVillageDistrict(t *testing.T) {
	tab := Default()
	_, bakongan, _ := tab.IDOf("11.01.01")
	_, last, _ := tab.IDOf("96.71.10") // district of the last village
	lastVillage := tab.ByID(Village, ID(tab.Count(Village)-1)).Code
	tests := []struct {
		code string
		want ID
		ok   bool
	}{
		{"11.01.01.2001", bakongan, true},
		{"1101012001", bakongan, true},
		{lastVillage, last, true},
		{strings.ReplaceAll(lastVillage, ".", ""), last, true},
		{"11.01.01.9999", None, false},
		{"1101019999", None, false},
		{"11.01.01", None, false},    // a district, not a village
		{"110101", None, false},      // likewise
		{" 1101012001", None, false}, // no trimming on the hot path
		{"1101012001 ", None, false},
		{"11.0101.2001", None, false},
		{"11010120O1", None, false},
		{"", None, false},
		{"0000000000", None, false},
		{"9999999999", None, false},
	}
	for _, tt := range tests {
		got, ok := tab.VillageDistrict([]byte(tt.code))
		if got != tt.want || ok != tt.ok {
			t.Errorf("VillageDistrict(%q) = %d, %v; want %d, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if got, _ := tab.VillageDistrict(nil); got != None {
		t.Errorf("VillageDistrict(nil) = %d", got)
	}
}

func TestProvinceExists(t *testing.T) {
	tab := Default()
	tests := []struct {
		in   string
		want bool
	}{
		{"11", true}, {"31", true}, {"96", true},
		{"10", false}, {"20", false}, {"00", false}, {"99", false},
		{"1", false}, {"111", false}, {"", false}, {"1a", false}, {"a1", false}, {" 1", false}, {"١١", false},
	}
	for _, tt := range tests {
		if got := tab.ProvinceExists([]byte(tt.in)); got != tt.want {
			t.Errorf("ProvinceExists(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestHotPathsDoNotAllocate(t *testing.T) {
	tab := Default()
	dotted, undotted, unknown, province := []byte("32.04.11.2001"), []byte("3204112001"), []byte("3204119999"), []byte("32")
	allocs := testing.AllocsPerRun(1000, func() {
		tab.VillageDistrict(dotted)
		tab.VillageDistrict(undotted)
		tab.VillageDistrict(unknown)
	})
	if allocs != 0 {
		t.Errorf("VillageDistrict allocates %v times per run", allocs)
	}
	allocs = testing.AllocsPerRun(1000, func() { tab.ProvinceExists(province) })
	if allocs != 0 {
		t.Errorf("ProvinceExists allocates %v times per run", allocs)
	}
	allocs = testing.AllocsPerRun(1000, func() { tab.Lookup("32.04.11.2001"); tab.Valid(" 3204 ") })
	if allocs != 0 {
		t.Errorf("Lookup and Valid allocate %v times per run", allocs)
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"KABUPATEN ACEH SELATAN", "Kabupaten Aceh Selatan"},
		{"KOTA BANDA ACEH", "Kota Banda Aceh"},
		{"JAWA BARAT", "Jawa Barat"},
		{"DKI JAKARTA", "DKI Jakarta"},
		{"DAERAH ISTIMEWA YOGYAKARTA", "Daerah Istimewa Yogyakarta"},
		{"KEPULAUAN BANGKA BELITUNG", "Kepulauan Bangka Belitung"},
		{"KOTA PEMATANG SIANTAR", "Kota Pematang Siantar"},
		{"KABUPATEN TOBA", "Kabupaten Toba"},
		{"KABUPATEN PANGKAJENE DAN KEPULAUAN", "Kabupaten Pangkajene dan Kepulauan"},
		{"DAN", "Dan"}, // a first word is never lowered
		{"SUNGAI RAMPAH II", "Sungai Rampah II"},
		{"DESA IV", "Desa IV"},
		{"KOTO XI TARUSAN", "Koto XI Tarusan"},
		{"SIMPANG XXXIX", "Simpang XXXIX"},
		{"LUBUK PAKAM I", "Lubuk Pakam I"},
		{"MIX", "Mix"},   // not a numeral we keep
		{"VIVA", "Viva"}, // nor this
		{"DILI", "Dili"},
		{"BIRU-BIRU", "Biru-Biru"},
		{"SIDOHARJO-II", "Sidoharjo-II"},
		{"TIRO/TRUSEB", "Tiro/Truseb"},
		{"SUKAMAJU (TIMUR)", "Sukamaju (Timur)"},
		{"KI'E", "Ki'e"},
		{"MA'RANG", "Ma'rang"},
		{"RD. PJKA", "RD. PJKA"},
		{"H.M. TUMENGGUNG", "H.M. Tumenggung"},
		{"MKCM", "MKCM"},
		{"OP", "Op"},
		{"  KOTA  BARU ", "  Kota  Baru "}, // spacing is the caller's business
		{"lamuk", "Lamuk"},
		{"kibogolome", "Kibogolome"},
		{"kota dan desa", "Kota dan Desa"},
		{"ÇANKAYA", "Çankaya"},
		// Mixed case is kept.
		{"Keude Bakongan", "Keude Bakongan"},
		{"SeuneubokTeungoh", "SeuneubokTeungoh"},
		{"RD. PJKA Bandar Agung", "RD. PJKA Bandar Agung"},
		{"ALue", "ALue"},
		{"Pangkajene Dan Kepulauan", "Pangkajene Dan Kepulauan"},
		// Nothing to recase.
		{"", ""},
		{"123", "123"},
		{"Teuw*", "Teuw*"},
	}
	for _, tt := range tests {
		if got := DisplayName(tt.in); got != tt.want {
			t.Errorf("DisplayName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		l    Level
		want string
	}{
		{Province, "provinsi"}, {Regency, "kabupaten"}, {District, "kecamatan"}, {Village, "desa"},
		{0, "region.Level(0)"}, {7, "region.Level(7)"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("Level(%d).String() = %q, want %q", tt.l, got, tt.want)
		}
		got, ok := ParseLevel(" " + strings.ToUpper(tt.want) + " ")
		if wantOK := tt.l.valid(); ok != wantOK || (ok && got != tt.l) {
			t.Errorf("ParseLevel(%q) = %v, %v", tt.want, got, ok)
		}
	}
}

// fixture returns a small valid data set; edit returns it with one file
// replaced.
func fixture() fstest.MapFS {
	return fstest.MapFS{
		"provinces.tsv":   {Data: []byte("code\tname\n11\tAceh\n32\tJawa Barat\n")},
		"regencies.tsv":   {Data: []byte("code\tname\n11.01\tKabupaten Aceh Selatan\n32.04\tKabupaten Bandung\n")},
		"districts.tsv":   {Data: []byte("code\tname\n11.01.01\tBakongan\n32.04.11\tBanjaran\n32.04.12\tPameungpeuk\n")},
		"villages.tsv.gz": {Data: gzipped("code\tname\n11.01.01.2001\tKeude Bakongan\n32.04.11.2001\tBanjaran\n32.04.11.2002\tPamekaran\n32.04.12.1001\tRancamulya\n")},
	}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestLoadFixture(t *testing.T) {
	tab, err := Load(fixture())
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{tab.Count(Province), tab.Count(Regency), tab.Count(District), tab.Count(Village)}; !slices.Equal(got, []int{2, 2, 3, 4}) {
		t.Errorf("counts = %v", got)
	}
	if id, ok := tab.VillageDistrict([]byte("3204112002")); !ok || tab.ByID(District, id).Name != "Banjaran" {
		t.Errorf("VillageDistrict(3204112002) = %d, %v", id, ok)
	}
	if got := tab.Children("32.04"); len(got) != 2 || got[1].Code != "32.04.12" {
		t.Errorf("Children(32.04) = %v", got)
	}
	// The plain form of a file is read as well as the compressed one.
	fsys := fixture()
	fsys["villages.tsv"] = &fstest.MapFile{Data: []byte("code\tname\n11.01.01.2001\tKeude Bakongan\n32.04.11.2001\tBanjaran\n32.04.11.2002\tPamekaran\n32.04.12.1001\tRancamulya\n")}
	delete(fsys, "villages.tsv.gz")
	if _, err := Load(fsys); err != nil {
		t.Errorf("Load with plain villages.tsv: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string // "" removes the file
		wantErr string
	}{
		{"missing file", "regencies.tsv", "", "neither regencies.tsv nor regencies.tsv.gz"},
		{"both forms", "villages.tsv", "code\tname\n", "both villages.tsv and villages.tsv.gz"},
		{"bad header", "provinces.tsv", "kode\tnama\n11\tAceh\n", "header"},
		{"no header", "provinces.tsv", "11\tAceh\n", "header"},
		{"empty file", "provinces.tsv", "\x00", "header"},
		{"no final newline", "provinces.tsv", "code\tname\n11\tAceh\n32\tJawa Barat", "newline"},
		{"no tab", "provinces.tsv", "code\tname\n11 Aceh\n32\tJawa Barat\n", "line 2: no tab"},
		{"undotted code", "regencies.tsv", "code\tname\n1101\tA\n3204\tB\n", "not a dotted kabupaten code"},
		{"wrong level", "regencies.tsv", "code\tname\n11\tA\n", "not a dotted kabupaten code"},
		{"zero code", "provinces.tsv", "code\tname\n00\tNol\n11\tAceh\n32\tJawa Barat\n", "all zeros"},
		{"out of order", "provinces.tsv", "code\tname\n32\tJawa Barat\n11\tAceh\n", "line 3: code 11 is not after 32"},
		{"repeated", "provinces.tsv", "code\tname\n11\tAceh\n11\tAceh\n32\tJawa Barat\n", "not after"},
		{"orphan", "districts.tsv", "code\tname\n11.01.01\tBakongan\n11.02.01\tX\n32.04.11\tBanjaran\n32.04.12\tPameungpeuk\n", "parent kabupaten 11.02 does not exist"},
		{"empty name", "provinces.tsv", "code\tname\n11\t\n32\tJawa Barat\n", "empty name"},
		{"spaced name", "provinces.tsv", "code\tname\n11\tAceh \n32\tJawa Barat\n", "surrounding spaces"},
		{"second tab", "provinces.tsv", "code\tname\n11\tAc\teh\n32\tJawa Barat\n", "tab"},
		{"carriage return", "provinces.tsv", "code\tname\r\n11\tAceh\n", "header"},
		{"bad utf-8", "provinces.tsv", "code\tname\n11\tAc\xffeh\n32\tJawa Barat\n", "UTF-8"},
		{"not gzip", "villages.tsv.gz", "code\tname\n", "villages.tsv.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fixture()
			if tt.content == "" {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.content)}
			}
			_, err := Load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load: error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"32", "3204", "32.04", "320411", "32.04.11", "3204112001", "32.04.11.2001",
		"32.0411", " 32 ", "", "3a", "11.01.01.2001", "9999999999", "32..04", "٣٢"} {
		f.Add(s)
	}
	tab := Default()
	f.Fuzz(func(t *testing.T, s string) {
		dotted, level, ok := Normalize(s)
		r, found := tab.Lookup(s)
		if !ok {
			if found || tab.Valid(s) || tab.Name(s) != "" {
				t.Fatalf("Normalize(%q) rejects it but Lookup finds %+v", s, r)
			}
			return
		}
		if !level.valid() || len(dotted) != dottedLen[level] {
			t.Fatalf("Normalize(%q) = %q, %v", s, dotted, level)
		}
		// The dotted and undotted forms agree with each other and with s.
		undotted := strings.ReplaceAll(dotted, ".", "")
		for _, form := range []string{dotted, undotted} {
			d2, l2, ok2 := Normalize(form)
			if !ok2 || d2 != dotted || l2 != level {
				t.Fatalf("Normalize(%q) = %q, %v, %v; Normalize(%q) = %q, %v", form, d2, l2, ok2, s, dotted, level)
			}
			r2, found2 := tab.Lookup(form)
			if r2 != r || found2 != found {
				t.Fatalf("Lookup(%q) = %+v, %v; Lookup(%q) = %+v, %v", form, r2, found2, s, r, found)
			}
		}
		if found && (r.Code != dotted || r.Level != level) {
			t.Fatalf("Lookup(%q) = %+v, Normalize gives %q", s, r, dotted)
		}
	})
}

func FuzzVillageDistrict(f *testing.F) {
	for _, s := range []string{"11.01.01.2001", "1101012001", "96.71.10.1001", "11.01.01", "1101019999", "", "11.0101.2001", "0000000000"} {
		f.Add([]byte(s))
	}
	tab := Default()
	f.Fuzz(func(t *testing.T, b []byte) {
		id, ok := tab.VillageDistrict(b)
		if ok != (id != None) {
			t.Fatalf("VillageDistrict(%q) = %d, %v", b, id, ok)
		}
		// The hot path agrees with the general lookup (which also trims).
		l, vid, found := tab.IDOf(string(b))
		exact := len(b) > 0 && strings.TrimSpace(string(b)) == string(b)
		if exact && (found && l == Village) != ok {
			t.Fatalf("VillageDistrict(%q) = %v, IDOf = %v, %v", b, ok, l, found)
		}
		if !ok {
			return
		}
		if tab.DistrictOf(vid) != id {
			t.Fatalf("VillageDistrict(%q) = %d, DistrictOf(%d) = %d", b, id, vid, tab.DistrictOf(vid))
		}
		// The other form gives the same district.
		dotted, _, _ := Normalize(string(b))
		other := dotted
		if string(b) == dotted {
			other = strings.ReplaceAll(dotted, ".", "")
		}
		if id2, ok2 := tab.VillageDistrict([]byte(other)); id2 != id || !ok2 {
			t.Fatalf("VillageDistrict(%q) = %d, VillageDistrict(%q) = %d, %v", b, id, other, id2, ok2)
		}
	})
}

func FuzzDisplayName(f *testing.F) {
	for _, s := range []string{"KABUPATEN ACEH SELATAN", "DKI JAKARTA", "KI'E", "SIDOHARJO-II", "lamuk", "Keude Bakongan", "RD. PJKA", "A (B)/C", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := DisplayName(s)
		if again := DisplayName(got); again != got {
			t.Fatalf("DisplayName not idempotent: %q → %q → %q", s, got, again)
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < 0x80
		}
		if ascii && !strings.EqualFold(got, s) {
			t.Fatalf("DisplayName(%q) = %q changes more than case", s, got)
		}
	})
}

// FuzzLoad feeds arbitrary district files to Load, which must reject or
// accept them without panicking, and accept only consistent tables.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("code\tname\n11.01.01\tBakongan\n32.04.11\tBanjaran\n32.04.12\tPameungpeuk\n"))
	f.Add([]byte("code\tname\n"))
	f.Add([]byte("code\tname\n11.01.01\tBakongan\n"))
	f.Fuzz(func(t *testing.T, districts []byte) {
		fsys := fixture()
		fsys["districts.tsv"] = &fstest.MapFile{Data: districts}
		tab, err := Load(fsys)
		if err != nil {
			return
		}
		for i := range tab.Count(Village) {
			d := tab.DistrictOf(ID(i))
			if v := tab.ByID(Village, ID(i)); tab.ByID(District, d).Code != v.Parent {
				t.Fatalf("village %s in district %d", v.Code, d)
			}
		}
	})
}

func BenchmarkVillageDistrict(b *testing.B) {
	tab := Default()
	// Every village, in a scattered order (as rows of an input file come),
	// in both forms, laid out one after another like a read buffer.
	n := tab.Count(Village)
	dotted := make([][]byte, n)
	undotted := make([][]byte, n)
	var dbuf, ubuf []byte
	for i := range n {
		j := (i * 7919) % n
		code := tab.ByID(Village, ID(j)).Code
		dbuf = append(dbuf, code...)
		ubuf = append(ubuf, strings.ReplaceAll(code, ".", "")...)
	}
	for i := range n {
		dotted[i] = dbuf[i*13 : (i+1)*13]
		undotted[i] = ubuf[i*10 : (i+1)*10]
	}
	for _, bb := range []struct {
		name  string
		codes [][]byte
	}{{"dotted", dotted}, {"undotted", undotted}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, ok := tab.VillageDistrict(bb.codes[i]); !ok {
					b.Fatal("village not found")
				}
				i++
				if i == len(bb.codes) {
					i = 0
				}
			}
		})
	}
	b.Run("unknown", func(b *testing.B) {
		b.ReportAllocs()
		code := []byte("3204119999")
		for b.Loop() {
			tab.VillageDistrict(code)
		}
	})
}

func BenchmarkProvinceExists(b *testing.B) {
	tab := Default()
	pp := []byte("32")
	b.ReportAllocs()
	for b.Loop() {
		tab.ProvinceExists(pp)
	}
}

func BenchmarkLookup(b *testing.B) {
	tab := Default()
	b.ReportAllocs()
	for b.Loop() {
		tab.Lookup("32.04.11.2001")
	}
}

func BenchmarkLoad(b *testing.B) {
	fsys := referenceFS(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
