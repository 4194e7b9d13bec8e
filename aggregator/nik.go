package aggregator

import "github.com/portal-data-bansos/portal/internal/region"

// A NIK (Nomor Induk Kependudukan) is 16 digits (docs/input.md §1, "NIK
// structure"):
//
//	PP KK DD  DDMMYY  SSSS
//	place of  birth   serial
//	issue     date
//
// where PP KK DD are the province, regency and district codes of the place
// of issue, DDMMYY the date of birth with 40 added to the day for women,
// and SSSS a serial from 0001.
const nikLen = 16

// femaleDayOffset is added to the day of birth in a woman's NIK.
const femaleDayOffset = 40

// ValidNIK reports whether nik is a structurally valid NIK: 16 ASCII
// digits, not all zeros, a province (digits 1–2) that exists in regions, a
// date of birth DDMMYY (day 41–71 for women) that exists on the calendar
// with YY read as 20YY — so 29 February is valid in year 00 (2000) and not
// in 01 — and a serial 0001–9999. The regency and district digits are not
// checked (old codes from before a region was split stay valid). ValidNIK
// does not trim and does not allocate; regions must not be nil.
func ValidNIK(nik []byte, regions *region.Table) bool {
	if len(nik) != nikLen || !digitsOnly(nik) || allZeros(nik) {
		return false
	}
	if !regions.ProvinceExists(nik[0:2]) {
		return false
	}
	day, month, yy := nikBirthFields(nik)
	if _, ok := MakeDate(2000+yy, month, day); !ok {
		return false
	}
	return nik[12] != '0' || nik[13] != '0' || nik[14] != '0' || nik[15] != '0'
}

// nikBirthFields returns the day (women's offset removed), month and
// two-digit year of a NIK of 16 digits. A day of 32–40 or above 71 comes
// back out of range, so MakeDate refuses it.
func nikBirthFields(nik []byte) (day, month, yy int) {
	day = int(nik[6]-'0')*10 + int(nik[7]-'0')
	if day > femaleDayOffset {
		day -= femaleDayOffset
	} else if day > 31 {
		day = 0 // 32–40: neither a man's day nor a woman's
	}
	month = int(nik[8]-'0')*10 + int(nik[9]-'0')
	yy = int(nik[10]-'0')*10 + int(nik[11]-'0')
	return day, month, yy
}

// NIKSex returns the sex a NIK encodes: Female when the day of birth
// (digits 7–8) is above 40, else Male. It is meant for a NIK that passed
// ValidNIK; for anything shorter than 8 bytes or not digits there it
// returns SexNone.
func NIKSex(nik []byte) Sex {
	if len(nik) < 8 || !digitsOnly(nik[6:8]) {
		return SexNone
	}
	if int(nik[6]-'0')*10+int(nik[7]-'0') > femaleDayOffset {
		return Female
	}
	return Male
}

// NIKBirth returns the date of birth a NIK encodes, for a NIK that passed
// ValidNIK (anything else gives 0). The NIK writes only two digits of the
// year, so the century is a reading: 20YY unless that date would fall after
// periodStart — the first day of the row's period, when the person was
// certainly born already — and then 19YY. (A 2-digit year cannot say that
// someone is over 100, so such a person gets an age below 100; the error
// only touches the 60+ age band's oldest members.) The one 20YY date with
// no 19YY twin, 29 February 2000, becomes 28 February 1900 when 2000 is too
// late.
func NIKBirth(nik []byte, periodStart Date) Date {
	if len(nik) != nikLen || !digitsOnly(nik) {
		return 0
	}
	day, month, yy := nikBirthFields(nik)
	d, ok := MakeDate(2000+yy, month, day)
	if !ok {
		return 0 // ValidNIK refuses it
	}
	if d <= periodStart {
		return d
	}
	if d, ok := MakeDate(1900+yy, month, day); ok {
		return d
	}
	return civilDate(1900, 2, 28) // only 29 February 2000 has no 19YY twin
}

// ValidKK reports whether kk is a structurally valid family card number
// (no_kk): 16 ASCII digits, not all zeros. The spec asks only for 16
// digits; an all-zero number is refused as well because it is the usual
// placeholder for "unknown" in source systems and would otherwise merge
// every such row into one family when recipients are counted by no_kk.
// ValidKK does not trim and does not allocate.
func ValidKK(kk []byte) bool {
	return len(kk) == nikLen && digitsOnly(kk) && !allZeros(kk)
}

// digitsOnly reports whether b is non-empty and all ASCII digits.
func digitsOnly(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// allZeros reports whether every byte of b is '0'.
func allZeros(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}
