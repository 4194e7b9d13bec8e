package web

import "testing"

func TestFormulaNeutralisation(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+62": "'+62", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "Jawa Barat": "Jawa Barat", "0-17": "0-17", "": ""} {
		if got := Neutralise(in); got != want {
			t.Errorf("neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
