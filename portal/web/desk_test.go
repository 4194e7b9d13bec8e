package web

import (
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

func TestExcerpt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Berapa  penerima\nPKH?", 40, "Berapa penerima PKH?"},
		{"Berapa penerima PKH di Kabupaten Bandung?", 20, "Berapa penerima PKH…"},
		{"Penerimabantuansosialtanpaspasi", 10, "Penerimaba…"},
		{"ñññññ ñññññ", 7, "ñññññ…"},
	} {
		if got := Excerpt(tc.in, tc.n); got != tc.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestAnswerIn(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	id, en := cat.For(i18n.ID), cat.For(i18n.EN)
	both := i18n.Text{ID: "Ada **dua**.", EN: "There are **two**."}
	for _, tc := range []struct {
		l        i18n.Localizer
		t        i18n.Text
		lang, in string
	}{
		{id, both, "id", "<strong>dua</strong>"},
		{en, both, "en", "<strong>two</strong>"},
		{en, i18n.Text{ID: "Hanya **Indonesia**."}, "id", "<strong>Indonesia</strong>"},
		{id, i18n.Text{EN: "Only **English**."}, "en", "<strong>English</strong>"},
		{id, i18n.Text{ID: "Aman <script>alert(1)</script> sekali."}, "id", "Aman"},
	} {
		a := AnswerIn(tc.l, tc.t)
		if a.Lang != tc.lang || !strings.Contains(string(a.Body), tc.in) || strings.Contains(string(a.Body), "<script") {
			t.Errorf("AnswerIn(%s, %+v) = %+v", tc.l.Lang, tc.t, a)
		}
	}
}
