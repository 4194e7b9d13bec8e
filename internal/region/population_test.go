package region

import "testing"

func TestPopulation(t *testing.T) {
	pops, err := Population(Default())
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, p := range pops {
		sum += p.Population
		if p.Year != 2024 {
			t.Errorf("%s: year %d", p.Name, p.Year)
		}
	}
	if len(pops) != 38 || sum < 270_000_000 || sum > 290_000_000 {
		t.Errorf("%d provinces, %d people", len(pops), sum)
	}
}
