package synth

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
)

// The oracle reads the generated files the way docs/input.md §1–3 says the
// aggregator must, written from the spec and independently of the
// generator, so that Summary.Expected is checked rather than restated.

type oracleResult struct {
	Expected
	salur  map[string]map[string]bool // "PROG YYYY-Qn" → no_kk with an accepted SALUR row
	decile map[int]map[string]bool    // desil → no_kk with an accepted row
}

func columns(header []string) map[string]int {
	c := map[string]int{}
	for i, h := range header {
		c[strings.ToLower(strings.TrimSpace(h))] = i
	}
	return c
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func realDate(y, m, d int) bool { return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) }

func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:])
	return y > 0 && realDate(y, m, d)
}

func validNIK(tab *region.Table, s string) bool {
	s = strings.Trim(s, " \t")
	if len(s) != 16 || !isDigits(s) || s == "0000000000000000" || !tab.ProvinceExists([]byte(s[:2])) || s[12:] == "0000" {
		return false
	}
	d, _ := strconv.Atoi(s[6:8])
	m, _ := strconv.Atoi(s[8:10])
	y, _ := strconv.Atoi(s[10:12])
	if d > 40 {
		d -= 40
	}
	return realDate(2000+y, m, d)
}

func validPeriod(s string) bool {
	if len(s) != 7 || s[4] != '-' || !isDigits(s[:4]) || s[:4] == "0000" {
		return false
	}
	if s[5] == 'Q' {
		return s[6] >= '1' && s[6] <= '4'
	}
	m, err := strconv.Atoi(s[5:])
	return isDigits(s[5:]) && err == nil && m >= 1 && m <= 12
}

// periodStart and quarterOf take an upper-cased valid period.
func periodStart(p string) string {
	if p[5] == 'Q' {
		return p[:5] + []string{"", "01", "04", "07", "10"}[p[6]-'0'] + "-01"
	}
	return p + "-01"
}

func quarterOf(p string) string {
	if p[5] == 'Q' {
		return p
	}
	m, _ := strconv.Atoi(p[5:])
	return p[:5] + "Q" + strconv.Itoa((m-1)/3+1)
}

var (
	oPrograms   = map[string]bool{"PKH": true, "SEMBAKO": true, "BLT": true, "PBI_JK": true, "ATENSI": true, "PENA": true}
	oComponents = map[string]bool{"IBU_HAMIL": true, "ANAK_USIA_DINI": true, "SD": true, "SMP": true, "SMA": true, "DISABILITAS_BERAT": true, "LANSIA": true}
	oStatuses   = map[string]bool{"SALUR": true, "GAGAL": true, "RETUR": true}
	oChannels   = map[string]bool{"BRI": true, "BNI": true, "MANDIRI": true, "BSI": true, "POS": true}
)

func validID(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func runOracle(t testing.TB, dir string) *oracleResult {
	t.Helper()
	tab := region.Default()
	trim := func(s string) string { return strings.Trim(s, " \t") }

	asn := map[string]bool{}
	hd, rows, _ := readCSV(t, filepath.Join(dir, ASNFile))
	for _, r := range rows {
		if n := trim(r[columns(hd)["nik"]]); validNIK(tab, n) {
			asn[n] = true
		}
	}
	dead := map[string]string{}
	hd, rows, _ = readCSV(t, filepath.Join(dir, DeceasedFile))
	c := columns(hd)
	for _, r := range rows {
		n, d := trim(r[c["nik"]]), trim(r[c["tanggal_meninggal"]])
		if !validNIK(tab, n) || !validDate(d) {
			continue
		}
		if old, ok := dead[n]; !ok || d < old {
			dead[n] = d
		}
	}

	o := &oracleResult{salur: map[string]map[string]bool{}, decile: map[int]map[string]bool{}}
	x := &o.Expected
	x.Rejected, x.Quarantined = map[string]int{}, map[string]int{}
	hd, rows, _ = readCSV(t, filepath.Join(dir, DistributionFile))
	c = columns(hd)
	seen := map[string]string{}
	paid := map[string]bool{}
	recipients := map[string]bool{}
	for _, r := range rows {
		x.Rows++
		if len(r) != len(hd) {
			x.Quarantined["BAD_FIELD_COUNT"]++
			continue
		}
		v := func(name string) string {
			if i, ok := c[name]; ok {
				return trim(r[i])
			}
			return ""
		}
		id, nik, kk, kode := v("id_transaksi"), v("nik"), v("no_kk"), v("kode_wilayah")
		prog, comp, per := strings.ToUpper(v("program")), strings.ToUpper(v("komponen")), strings.ToUpper(v("periode"))
		nom, tgl, status, ch := v("nominal"), v("tanggal_salur"), strings.ToUpper(v("status")), strings.ToUpper(v("penyalur"))
		desil, sex, dob := v("desil"), strings.ToUpper(v("jenis_kelamin")), v("tanggal_lahir")
		amount, amountErr := strconv.ParseInt(nom, 10, 64)
		_, villageOK := tab.VillageDistrict([]byte(kode))
		reason := ""
		switch {
		case !validID(id):
			reason = "BAD_ID"
		case !validNIK(tab, nik):
			reason = "BAD_NIK"
		case len(kk) != 16 || !isDigits(kk):
			reason = "BAD_KK"
		case v("nama") == "":
			reason = "MISSING_NAME"
		case !villageOK:
			reason = "UNKNOWN_REGION"
		case !oPrograms[prog]:
			reason = "BAD_PROGRAM"
		case prog == "PKH" && !oComponents[comp], prog != "PKH" && comp != "":
			reason = "BAD_COMPONENT"
		case !validPeriod(per):
			reason = "BAD_PERIOD"
		case !isDigits(nom) || amountErr != nil || amount > 100_000_000:
			reason = "BAD_AMOUNT"
		case tgl != "" && !validDate(tgl), tgl == "" && status == "SALUR":
			reason = "BAD_DATE"
		case !oStatuses[status]:
			reason = "BAD_STATUS"
		case !oChannels[ch]:
			reason = "BAD_CHANNEL"
		case desil != "" && (desil[0] == '0' || !isDigits(desil) || len(desil) > 2 || desil > "10" && len(desil) == 2):
			reason = "BAD_DECILE"
		case sex != "" && sex != "L" && sex != "P":
			reason = "BAD_SEX"
		case dob != "" && !validDate(dob):
			reason = "BAD_BIRTHDATE"
		}
		if reason != "" {
			x.Quarantined[reason]++
			continue
		}
		kode10 := strings.ReplaceAll(kode, ".", "")
		content := strings.Join([]string{nik, kk, v("nama"), kode10, prog, comp, per, strconv.FormatInt(amount, 10),
			tgl, status, ch, desil, sex, dob}, "\x00")
		if old, ok := seen[id]; ok {
			if old == content {
				x.Replayed++
			} else {
				x.Quarantined[ConflictingDuplicateID]++
			}
			continue
		}
		seen[id] = content
		key := nik + " " + prog + " " + comp + " " + quarterOf(per)
		fate := ""
		if asn[nik] {
			fate = RejectASN
		} else if d, ok := dead[nik]; ok && d < periodStart(per) {
			fate = RejectDeceased
		} else if status == "SALUR" && paid[key] {
			fate = RejectDouble
		}
		if nik[:4] != kode10[:4] {
			x.Moved++
		}
		if fate != "" {
			x.Rejected[fate]++
			continue
		}
		x.Accepted++
		recipients[kk] = true
		d, _ := strconv.Atoi(desil)
		if o.decile[d] == nil {
			o.decile[d] = map[string]bool{}
		}
		o.decile[d][kk] = true
		if status == "SALUR" {
			paid[key] = true
			x.NominalSalur += amount
			k := prog + " " + quarterOf(per)
			if o.salur[k] == nil {
				o.salur[k] = map[string]bool{}
			}
			o.salur[k][kk] = true
		}
	}
	x.Recipients = len(recipients)
	return o
}
