package aggregator

// DisclosureReport is published with every release (spec/disclosure.md §4):
// the threshold, and per dataset and level how many cells are withheld by
// primary and by secondary suppression and what share of families and
// rupiah sits in withheld cells.
type DisclosureReport struct {
	K        int                           `json:"k"`
	Datasets map[string]*DatasetDisclosure `json:"datasets"`
}

// DatasetDisclosure is one dataset's part of the report.
type DatasetDisclosure struct {
	Cells     int                         `json:"cells"`
	Primary   int                         `json:"primary"`
	Secondary int                         `json:"secondary"`
	Levels    map[string]*LevelDisclosure `json:"levels"`
}

// LevelDisclosure counts one level (tingkat) of one dataset. The shares are
// of the level's total (0–1).
type LevelDisclosure struct {
	Cells            int     `json:"cells"`
	Primary          int     `json:"primary"`
	Secondary        int     `json:"secondary"`
	FamiliesWithheld float64 `json:"families_withheld_share"`
	RupiahWithheld   float64 `json:"rupiah_withheld_share"`
}

// Protect applies disclosure control to a release's tables in place and
// returns its report. Primary suppression: a cell whose protected count
// (penerima; jumlah for rejections) is 1..k-1 is withheld.
func Protect(t *Tables, k int) (*DisclosureReport, error) {
	rep := &DisclosureReport{K: k, Datasets: map[string]*DatasetDisclosure{}}
	small := func(n int64) bool { return n > 0 && n < int64(k) }
	for i := range t.Penyaluran {
		if small(t.Penyaluran[i].Penerima) {
			t.Penyaluran[i].Withheld = Primary
		}
	}
	for i := range t.Demografi {
		if small(t.Demografi[i].Penerima) {
			t.Demografi[i].Withheld = Primary
		}
	}
	for i := range t.Ketepatan {
		if small(t.Ketepatan[i].Jumlah) {
			t.Ketepatan[i].Withheld = Primary
		}
	}
	return rep, nil
}
