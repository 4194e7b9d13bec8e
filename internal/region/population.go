package region

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/data"
)

// PopulationFile is the path, inside data.Reference, of the population of
// each province (see data/reference/POPULATION.md): the generator weights
// provinces by it, and the site shows it beside coverage.
const PopulationFile = "reference/population.csv"

// ProvincePopulation is one row of PopulationFile.
type ProvincePopulation struct {
	Code       string // province code, "32"
	Name       string
	Population int64
	Year       int
}

// Population reads PopulationFile from the embedded reference data and
// checks it against t: one row per province of t, in any order, with the
// province's name.
func Population(t *Table) ([]ProvincePopulation, error) {
	return readPopulation(data.Reference, t)
}

func readPopulation(fsys fs.FS, t *Table) ([]ProvincePopulation, error) {
	f, err := fsys.Open(PopulationFile)
	if err != nil {
		return nil, fmt.Errorf("region: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 4
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("region: %s: %w", PopulationFile, err)
	}
	if strings.Join(header, ",") != "kode,nama,penduduk,tahun" {
		return nil, fmt.Errorf("region: %s: header %q, want kode,nama,penduduk,tahun", PopulationFile, strings.Join(header, ","))
	}
	var out []ProvincePopulation
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("region: %s: %w", PopulationFile, err)
		}
		line, _ := cr.FieldPos(0)
		r, ok := t.Lookup(rec[0])
		if !ok || r.Level != Province || r.Code != rec[0] {
			return nil, fmt.Errorf("region: %s line %d: %q is not a province code", PopulationFile, line, rec[0])
		}
		if rec[1] != r.Name {
			return nil, fmt.Errorf("region: %s line %d: name %q, the region table says %q", PopulationFile, line, rec[1], r.Name)
		}
		pop, err1 := strconv.ParseInt(rec[2], 10, 64)
		year, err2 := strconv.Atoi(rec[3])
		if err1 != nil || err2 != nil || pop <= 0 {
			return nil, fmt.Errorf("region: %s line %d: bad number", PopulationFile, line)
		}
		if seen[rec[0]] {
			return nil, fmt.Errorf("region: %s line %d: province %s repeated", PopulationFile, line, rec[0])
		}
		seen[rec[0]] = true
		out = append(out, ProvincePopulation{Code: rec[0], Name: rec[1], Population: pop, Year: year})
	}
	if len(out) != t.Count(Province) {
		return nil, fmt.Errorf("region: %s: %d provinces, the region table has %d", PopulationFile, len(out), t.Count(Province))
	}
	return out, nil
}
