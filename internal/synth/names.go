package synth

import "math/rand/v2"

// Names: Indonesian-looking names with some regional colour, built from
// lists of given names and family names (marga, fam). They are invented
// combinations; any resemblance to a real person is chance. Some carry an
// apostrophe (Nur'aini), a title after a comma ("Siti Aminah, S.Pd"), a
// nickname in quotes or a stray double quote typed for an apostrophe, so
// that the files exercise CSV quoting.

var (
	muslimF = []string{"Siti", "Nur", "Sri", "Dewi", "Rina", "Yuliani", "Aminah", "Fatimah", "Aisyah", "Halimah",
		"Khadijah", "Maryam", "Rohani", "Rosmiati", "Suryani", "Nurhayati", "Rahmawati", "Wahyuni", "Hasanah",
		"Mulyani", "Lestari", "Kartini", "Sulastri", "Purwanti", "Susilawati", "Herawati", "Nurlela", "Salmah",
		"Zubaidah", "Jamilah", "Hafsah", "Nur'aini", "Mu'minah", "Sa'diyah", "Ro'isah", "Fa'izah", "Ni'mah",
		"Mas'udah", "Ruqayyah", "Nurjanah", "Marlina", "Yusnani", "Rosnah", "Asmah", "Zuraidah"}
	muslimM = []string{"Ahmad", "Muhammad", "Abdul", "Agus", "Budi", "Hendra", "Rudi", "Iwan", "Yusuf", "Ismail",
		"Ma'ruf", "Mu'min", "Sa'ad", "Syamsul", "Zainal", "Hasan", "Husein", "Rahmat", "Hidayat", "Nurdin",
		"Saiful", "Taufik", "Darwis", "Amir", "Ilyas", "Anwar", "Jufri", "Rusli", "Zulkifli", "Harun"}
	secondF = []string{"Komariah", "Masitoh", "Rohaeti", "Suryati", "Hayati", "Rahayu", "Lestari", "Wulandari",
		"Handayani", "Ningsih", "Aminah", "Aisyah", "Kurniasih", "Setiawati", "Maryati", "Nurjanah", "Sumarni",
		"Fitriani", "Susanti", "Marlina", "Nur'aini", "Safitri", "Rahmah", "Juwita", "Kusumawati"}
	secondM = []string{"Hidayat", "Saputra", "Setiawan", "Kurniawan", "Santoso", "Wijaya", "Pratama", "Gunawan",
		"Rahman", "Hakim", "Syah", "Maulana", "Firmansyah", "Ramadhan", "Nugroho", "Susanto", "Prasetyo",
		"Sudrajat", "Suherman", "Supriyadi"}
	javaF = []string{"Suminah", "Sumiati", "Tumini", "Sukarsih", "Juminten", "Paini", "Wartini", "Rusmini",
		"Sumarni", "Tukinem", "Painem", "Ngatini", "Sarmi", "Partini", "Suwarni", "Sutinah", "Kasiyem", "Rukmini",
		"Endang", "Tri", "Sri", "Siti", "Dwi", "Puji", "Umi", "Mujiati", "Sulastri", "Yatmi", "Kasmini", "Poniyem"}
	javaM = []string{"Slamet", "Suparman", "Sutrisno", "Bambang", "Joko", "Eko", "Heri", "Sugeng", "Darsono",
		"Karno", "Wagiman", "Paijo", "Sukirman", "Tugiyo", "Mulyono", "Suyanto", "Supardi", "Wahyu", "Agus", "Budi"}
	sundaF = []string{"Euis", "Imas", "Neneng", "Cucu", "Ai", "Titin", "Yati", "Iis", "Entin", "Nining", "Lilis",
		"Elis", "Enok", "Eneng", "Nunung", "Yayah", "Oom", "Popon", "Dedeh", "Enung", "Siti", "Nur", "Rina"}
	sundaM = []string{"Asep", "Dadang", "Ujang", "Cecep", "Mamat", "Ade", "Tatang", "Engkos", "Dede", "Aep",
		"Yayat", "Odang", "Ujang", "Encep", "Deden", "Jajang", "Nandang", "Oman", "Ohim", "Maman"}
	acehF   = []string{"Nurul", "Rahmah", "Zahara", "Ulfa", "Mawaddah", "Raudhah", "Cut Nyak", "Cut", "Nurhayati", "Fatimah", "Aisyah", "Safrida"}
	acehM   = []string{"Teuku", "Muhammad", "Zulkifli", "Fadli", "Mukhlis", "Munawar", "Safrizal", "Zulfikar", "Razali", "Iskandar", "Tgk."}
	bataksF = []string{"Rosmawati", "Tiurma", "Lasmaria", "Dewi", "Rugun", "Masdiana", "Nurmala", "Tiominar", "Rosdiana",
		"Rotua", "Lamria", "Hotnida", "Ruth", "Debora", "Rita", "Erna", "Nurhaida", "Lisbet"}
	bataksM = []string{"Parulian", "Hotman", "Binsar", "Togar", "Maruli", "Sahat", "Poltak", "Jhon", "Bonar", "Tigor", "Hasudungan", "Mangatas"}
	marga   = []string{"Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Hutapea", "Sinaga",
		"Situmorang", "Pardede", "Manurung", "Tambunan", "Sihombing", "Panjaitan", "Silalahi", "Ginting", "Tarigan",
		"Sembiring", "Hutagalung", "Simatupang", "Pasaribu", "Nainggolan", "Marpaung", "Damanik", "Saragih", "Purba"}
	minangF  = []string{"Nurhayati", "Yusnidar", "Rosnidar", "Erniwati", "Yulidar", "Nurjanah", "Desmawati", "Fitriyeni", "Elmiyati", "Asnidar", "Yenni", "Syafrida"}
	minangM  = []string{"Zulkarnain", "Syafrizal", "Yuhendri", "Afrizal", "Zulhendri", "Dasril", "Jasman", "Arman", "Datuak"}
	baliName = []string{"Wayan", "Made", "Nyoman", "Ketut", "Putu", "Kadek", "Komang", "Gede"}
	baliF    = []string{"Sukerti", "Suarni", "Ariani", "Sumiarni", "Darmi", "Sudiani", "Suastini", "Kariasih", "Sriasih", "Rai", "Wartini", "Murniasih", "Sekar"}
	baliM    = []string{"Sudarsana", "Suarta", "Budiasa", "Sukadana", "Mertayasa", "Sudana", "Arta", "Suweta", "Sujana", "Darma"}
	christF  = []string{"Maria", "Yohana", "Yuliana", "Agustina", "Margaretha", "Elisabeth", "Fransiska", "Veronika",
		"Antonia", "Bernadeta", "Martha", "Ester", "Debora", "Ribka", "Naomi", "Selfina", "Yosefina", "Regina",
		"Theresia", "Kristina", "Sofia", "Meliana", "Dorkas", "Yuliana Maria", "Maria Goreti"}
	christM = []string{"Yohanes", "Petrus", "Paulus", "Yosef", "Markus", "Lukas", "Mateus", "Fransiskus",
		"Agustinus", "Yakobus", "Stefanus", "Daniel", "Obed", "Simon", "Yulius", "Lambertus", "Aloysius"}
	nttFam = []string{"Bria", "Nahak", "Seran", "Lake", "Bere", "Klau", "Tefa", "Nenobais", "Manafe", "Ndun", "Lado",
		"Kolo", "Tamelab", "Ratu", "Dethan", "Ndolu", "Tanone", "Mbete", "Djami", "Kase"}
	papuaFam = []string{"Wenda", "Kogoya", "Wanimbo", "Tabuni", "Murib", "Yikwa", "Gobai", "Pigai", "Wonda", "Rumbiak",
		"Kafiar", "Mandowen", "Wamafma", "Kambuaya", "Gebze", "Mahuze", "Kaize", "Yoku", "Ohee", "Itlay", "Degei",
		"Tebai", "Kossay", "Lokobal", "Heluka", "Magai"}
	minahasaFam = []string{"Sondakh", "Lumentut", "Rumondor", "Mandagi", "Tumbelaka", "Wowor", "Kaunang", "Pangemanan",
		"Rondonuwu", "Tumewu", "Lengkong", "Karundeng", "Mamahit", "Pontoh", "Lasut"}
	malukuFam = []string{"Sahetapy", "Tuhumury", "Latumahina", "Pattiasina", "Ririmasse", "Latuconsina", "Tuasikal",
		"Pelupessy", "Matulessy", "Leiwakabessy", "Wattimena", "Sopacua", "Tomasoa", "Siahaya", "Ohorella", "Tuanakotta"}
	bugisF   = []string{"Hasnawati", "Nurhaedah", "Rahmawati", "St. Aisyah", "Hasnah", "Sumarni", "Nurbaya", "Hadijah", "Darmawati", "Syamsiah", "Basse", "Becce", "Sitti"}
	bugisM   = []string{"Andi", "Muhammad", "Syamsuddin", "Baharuddin", "Jamaluddin", "Nasruddin", "Burhanuddin", "Muhtar", "Sakka", "Abdul Rahman"}
	daeng    = []string{"Ngai", "Caya", "Sangging", "Bollo", "Tene", "Kebo"}
	titles   = []string{"S.Pd", "S.Pd.I", "A.Md", "S.E", "S.Sos", "A.Ma.Pd", "S.Ag"}
	nickname = []string{"Acong", "Ucok", "Butet", "Iyem", "Neng", "Ipah", "Inah", "Odah"}
)

type nameStyle uint8

const (
	styleMuslim nameStyle = iota
	styleJava
	styleSunda
	styleAceh
	styleBatak
	styleMinang
	styleBali
	styleNTT
	stylePapua
	styleMinahasa
	styleMaluku
	styleBugis
	styleButon
)

// styleFor picks a naming style for a family living in province prov.
func styleFor(r *rand.Rand, prov int) nameStyle {
	u := r.Float64()
	switch prov {
	case 11:
		return styleAceh
	case 12:
		if u < 0.55 {
			return styleBatak
		}
	case 13:
		if u < 0.8 {
			return styleMinang
		}
	case 31:
		switch {
		case u < 0.35:
			return styleJava
		case u < 0.55:
			return styleSunda
		case u < 0.62:
			return styleBatak
		}
	case 32, 36:
		if u < 0.75 {
			return styleSunda
		}
		if u < 0.85 {
			return styleJava
		}
	case 33, 34, 35:
		if u < 0.7 {
			return styleJava
		}
	case 51:
		if u < 0.85 {
			return styleBali
		}
	case 53:
		if u < 0.8 {
			return styleNTT
		}
	case 71:
		if u < 0.6 {
			return styleMinahasa
		}
	case 81:
		if u < 0.6 {
			return styleMaluku
		}
	case 73, 76:
		if u < 0.7 {
			return styleBugis
		}
	case 74:
		if u < 0.35 {
			return styleButon
		}
		if u < 0.7 {
			return styleBugis
		}
	case 91, 92, 93, 94, 95, 96:
		if u < 0.75 {
			return stylePapua
		}
		if u < 0.85 {
			return styleBugis
		}
		return styleJava
	}
	return styleMuslim
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// Name quirks, per family.
const (
	titleRate    = 0.006  // ", S.Pd": a comma, so the field is quoted
	nicknameRate = 0.0008 // Abdul "Acong" Rahman: doubled quotes inside a quoted field
	bareQuote    = 0.0004 // NUR"AINI: a double quote typed for an apostrophe, left unquoted
	hajiRate     = 0.03   // Hj. / H.
)

// appendName appends a name for a representative in the given style and
// reports whether it carries a bare double quote that must be written
// unquoted.
func appendName(b []byte, r *rand.Rand, style nameStyle, female, upper bool) ([]byte, bool) {
	start := len(b)
	word := func(s string) {
		if len(b) > start {
			b = append(b, ' ')
		}
		b = append(b, s...)
	}
	muslim := style != styleBali && style != styleNTT && style != stylePapua && style != styleMinahasa && style != styleBatak
	if muslim && r.Float64() < hajiRate {
		if female {
			word("Hj.")
		} else {
			word("H.")
		}
	}
	nick := r.Float64() < nicknameRate
	switch style {
	case styleJava:
		if female {
			word(pick(r, javaF))
			if r.Float64() < 0.5 {
				word(pick(r, secondF))
			}
		} else {
			word(pick(r, javaM))
			if r.Float64() < 0.5 {
				word(pick(r, secondM))
			}
		}
	case styleSunda:
		if female {
			word(pick(r, sundaF))
			if r.Float64() < 0.7 {
				word(pick(r, secondF))
			}
		} else {
			word(pick(r, sundaM))
			if r.Float64() < 0.6 {
				word(pick(r, secondM))
			}
		}
	case styleAceh:
		if female {
			word(pick(r, acehF))
			word(pick(r, secondF))
			if r.Float64() < 0.1 {
				word("binti")
				word(pick(r, muslimM))
			}
		} else {
			word(pick(r, acehM))
			word(pick(r, secondM))
		}
	case styleBatak:
		if female {
			word(pick(r, bataksF))
			if r.Float64() < 0.2 {
				word("br.")
			}
		} else {
			word(pick(r, bataksM))
		}
		word(pick(r, marga))
	case styleMinang:
		if female {
			word(pick(r, minangF))
		} else {
			word(pick(r, minangM))
			if r.Float64() < 0.5 {
				word(pick(r, secondM))
			}
		}
	case styleBali:
		if female {
			word("Ni")
			if r.Float64() < 0.3 {
				word("Luh")
			}
			word(pick(r, baliName))
			word(pick(r, baliF))
		} else {
			word("I")
			word(pick(r, baliName))
			word(pick(r, baliM))
		}
	case styleNTT, stylePapua, styleMinahasa, styleMaluku:
		if style == styleMaluku && r.Float64() < 0.5 {
			if female {
				word(pick(r, muslimF))
			} else {
				word(pick(r, muslimM))
			}
		} else if female {
			word(pick(r, christF))
		} else {
			word(pick(r, christM))
		}
		fam := nttFam
		switch style {
		case stylePapua:
			fam = papuaFam
		case styleMinahasa:
			fam = minahasaFam
		case styleMaluku:
			fam = malukuFam
		}
		word(pick(r, fam))
	case styleBugis, styleButon:
		if style == styleButon {
			if female {
				word("Wa Ode")
			} else {
				word("La Ode")
			}
		}
		if female {
			word(pick(r, bugisF))
			if r.Float64() < 0.4 {
				word(pick(r, secondF))
			}
		} else {
			word(pick(r, bugisM))
			word(pick(r, secondM))
		}
		if style == styleBugis && r.Float64() < 0.08 {
			word("Daeng")
			word(pick(r, daeng))
		}
	default:
		if female {
			word(pick(r, muslimF))
			if r.Float64() < 0.75 {
				word(pick(r, secondF))
			}
		} else {
			word(pick(r, muslimM))
			word(pick(r, secondM))
		}
	}
	if nick {
		// Insert the nickname before the last word.
		last := len(b)
		for last > start && b[last-1] != ' ' {
			last--
		}
		tail := string(b[last:])
		b = b[:last]
		if last == start {
			b = append(b, tail...)
			b = append(b, ' ')
			tail = ""
		}
		b = append(b, '"')
		b = append(b, pick(r, nickname)...)
		b = append(b, '"')
		if tail != "" {
			b = append(b, ' ')
			b = append(b, tail...)
		}
	}
	if upper {
		for i := start; i < len(b); i++ {
			if c := b[i]; 'a' <= c && c <= 'z' {
				b[i] = c - ('a' - 'A')
			}
		}
	}
	if r.Float64() < titleRate {
		b = append(b, ", "...)
		b = append(b, pick(r, titles)...)
	}
	bare := false
	if !nick && r.Float64() < bareQuote {
		// The first apostrophe, if any, becomes a double quote.
		for i := start + 1; i < len(b); i++ {
			if b[i] == '\'' {
				b[i] = '"'
				bare = true
				break
			}
		}
	}
	return b, bare
}
