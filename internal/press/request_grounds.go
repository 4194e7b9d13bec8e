// The grounds on which the information office may refuse a request.

package press

import "github.com/portal-data-bansos/portal/internal/i18n"

// RefusalGround is a reason the law allows for not giving the information
// asked for. Code is stable: it is stored with the request and names the
// ground's column in the service statistics.
type RefusalGround struct {
	Code    string
	Article string // where the law says so
	Label   i18n.Text
}

// The refusal grounds: the exceptions of UU 14/2008 Pasal 17 huruf a–j,
// and the notice that this body does not hold the information (Pasal 22
// ayat 7 huruf a; the reason then says which body holds it, when known,
// as huruf b asks). See docs/information-desk.md.
var RefusalGrounds = []RefusalGround{
	{"pasal17a", "UU 14/2008 Pasal 17 huruf a", i18n.Text{
		ID: "Dapat menghambat proses penegakan hukum",
		EN: "Would obstruct law enforcement"}},
	{"pasal17b", "UU 14/2008 Pasal 17 huruf b", i18n.Text{
		ID: "Dapat mengganggu perlindungan hak atas kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat",
		EN: "Would harm the protection of intellectual property or against unfair competition"}},
	{"pasal17c", "UU 14/2008 Pasal 17 huruf c", i18n.Text{
		ID: "Dapat membahayakan pertahanan dan keamanan negara",
		EN: "Would endanger national defence and security"}},
	{"pasal17d", "UU 14/2008 Pasal 17 huruf d", i18n.Text{
		ID: "Dapat mengungkapkan kekayaan alam Indonesia",
		EN: "Would reveal Indonesia's natural resources"}},
	{"pasal17e", "UU 14/2008 Pasal 17 huruf e", i18n.Text{
		ID: "Dapat merugikan ketahanan ekonomi nasional",
		EN: "Would harm national economic resilience"}},
	{"pasal17f", "UU 14/2008 Pasal 17 huruf f", i18n.Text{
		ID: "Dapat merugikan kepentingan hubungan luar negeri",
		EN: "Would harm foreign relations"}},
	{"pasal17g", "UU 14/2008 Pasal 17 huruf g", i18n.Text{
		ID: "Dapat mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir ataupun wasiat seseorang",
		EN: "Would reveal a private authentic deed or a person's last will"}},
	{"pasal17h", "UU 14/2008 Pasal 17 huruf h", i18n.Text{
		ID: "Dapat mengungkap rahasia pribadi",
		EN: "Would reveal a person's private information"}},
	{"pasal17i", "UU 14/2008 Pasal 17 huruf i", i18n.Text{
		ID: "Memorandum atau surat antar- atau intra-badan publik yang menurut sifatnya dirahasiakan",
		EN: "Memoranda or letters between or within public bodies that are confidential by nature"}},
	{"pasal17j", "UU 14/2008 Pasal 17 huruf j", i18n.Text{
		ID: "Informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
		EN: "Information a statute forbids disclosing"}},
	{"tidak_dikuasai", "UU 14/2008 Pasal 22 ayat (7) huruf a", i18n.Text{
		ID: "Informasi tidak dikuasai oleh badan publik ini",
		EN: "The information is not held by this public body"}},
}

// Ground returns the refusal ground of a code.
func Ground(code string) (RefusalGround, bool) {
	for _, g := range RefusalGrounds {
		if g.Code == code {
			return g, true
		}
	}
	return RefusalGround{}, false
}
