package aggregator

import "github.com/portal-data-bansos/portal/internal/bansos"

// Reason is why a row was quarantined or rejected. Quarantine reasons are
// listed in the order the checks run (docs/input.md §3): the first failing
// check wins.
type Reason uint8

// Quarantine reasons: the row checks in check order, then the two judged
// against what earlier rows left in the store. CLOSED_PERIOD is checked
// before CONFLICTING_DUPLICATE_ID (docs/input.md §3) but numbered after it:
// the numbers key the kualitas-data cells of stored protection histories,
// so a new reason takes a new number.
const (
	ReasonNone Reason = iota
	BadFieldCount
	BadID
	BadNIK
	BadKK
	MissingName
	UnknownRegion
	BadProgram
	BadComponent
	BadPeriod
	BadAmount
	BadDate
	BadStatus
	BadChannel
	BadDecile
	BadSex
	BadBirthdate
	ConflictingDuplicateID
	ClosedPeriod
	numQuarantine
)

// Rejection reasons (matching, "padan data"), in precedence order.
const (
	RejectASN Reason = numQuarantine + iota
	RejectDeceased
	RejectDouble
	numReasons
)

var reasonNames = [numReasons]string{
	ReasonNone:             "",
	BadFieldCount:          "BAD_FIELD_COUNT",
	BadID:                  "BAD_ID",
	BadNIK:                 "BAD_NIK",
	BadKK:                  "BAD_KK",
	MissingName:            "MISSING_NAME",
	UnknownRegion:          "UNKNOWN_REGION",
	BadProgram:             "BAD_PROGRAM",
	BadComponent:           "BAD_COMPONENT",
	BadPeriod:              "BAD_PERIOD",
	BadAmount:              "BAD_AMOUNT",
	BadDate:                "BAD_DATE",
	BadStatus:              "BAD_STATUS",
	BadChannel:             "BAD_CHANNEL",
	BadDecile:              "BAD_DECILE",
	BadSex:                 "BAD_SEX",
	BadBirthdate:           "BAD_BIRTHDATE",
	ConflictingDuplicateID: "CONFLICTING_DUPLICATE_ID",
	ClosedPeriod:           "CLOSED_PERIOD",
	RejectASN:              "ASN",
	RejectDeceased:         "DECEASED",
	RejectDouble:           "DOUBLE",
}

// String is the reason code as published ("BAD_NIK", "ASN").
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "UNKNOWN"
}

// IsQuarantine reports whether r is a quarantine reason.
func (r Reason) IsQuarantine() bool { return r > ReasonNone && r < numQuarantine }

// QuarantineReasons lists the quarantine reason codes in check order.
func QuarantineReasons() []Reason {
	out := make([]Reason, 0, numQuarantine-1)
	for r := BadFieldCount; r < numQuarantine; r++ {
		out = append(out, r)
	}
	return out
}

// RejectionReasons lists the rejection reason codes in precedence order.
func RejectionReasons() []Reason { return []Reason{RejectASN, RejectDeceased, RejectDouble} }

// Program is a social assistance programme; the programmes and their
// order are defined once, in internal/bansos.
type Program = bansos.Program

// The programmes, grouped by area of intervention: protection (PKH,
// SEMBAKO, BLT, PBI_JK), rehabilitation (ATENSI), empowerment (PENA).
const (
	ProgramNone = bansos.ProgramNone
	PKH         = bansos.PKH
	Sembako     = bansos.Sembako
	BLT         = bansos.BLT
	PBIJK       = bansos.PBIJK
	ATENSI      = bansos.ATENSI
	PENA        = bansos.PENA
	numPrograms = bansos.NumPrograms
)

var programNames = bansos.ProgramNames

// Programs lists every programme in publication order.
func Programs() []Program { return bansos.Programs() }

// Component is a PKH benefit component; ComponentNone for other programmes
// and for a programme's total row (internal/bansos).
type Component = bansos.Component

// The PKH components.
const (
	ComponentNone    = bansos.ComponentNone
	IbuHamil         = bansos.IbuHamil
	AnakUsiaDini     = bansos.AnakUsiaDini
	SD               = bansos.SD
	SMP              = bansos.SMP
	SMA              = bansos.SMA
	DisabilitasBerat = bansos.DisabilitasBerat
	Lansia           = bansos.Lansia
	numComponents    = bansos.NumComponents
)

var componentNames = bansos.ComponentNames

// Components lists the PKH components in publication order.
func Components() []Component {
	return []Component{IbuHamil, AnakUsiaDini, SD, SMP, SMA, DisabilitasBerat, Lansia}
}

// Status is the outcome of a disbursement.
type Status uint8

// The statuses.
const (
	StatusNone Status = iota
	Salur             // disbursed
	Gagal             // failed
	Retur             // returned to the treasury
	numStatuses
)

var statusNames = [numStatuses]string{"", "SALUR", "GAGAL", "RETUR"}

// String is the status code.
func (s Status) String() string { return statusNames[s] }

// Channel is the distribution channel (penyalur).
type Channel uint8

// The channels.
const (
	ChannelNone Channel = iota
	BRI
	BNI
	Mandiri
	BSI
	POS
	numChannels
)

var channelNames = [numChannels]string{"", "BRI", "BNI", "MANDIRI", "BSI", "POS"}

// String is the channel code.
func (c Channel) String() string { return channelNames[c] }

// Channels lists every channel in publication order.
func Channels() []Channel { return []Channel{BRI, BNI, Mandiri, BSI, POS} }

// Sex of the family's representative.
type Sex uint8

// The sexes.
const (
	SexNone Sex = iota
	Male        // L
	Female      // P
)

// String is "L" or "P".
func (s Sex) String() string { return [...]string{"", "L", "P"}[s] }

// Quarter is a distribution quarter as year*4 + (q-1), so quarters order
// and subtract naturally.
type Quarter uint16

// MakeQuarter returns the quarter q (1–4) of year.
func MakeQuarter(year, q int) Quarter { return Quarter(year*4 + q - 1) }

// Year of the quarter.
func (q Quarter) Year() int { return int(q) / 4 }

// Q is the quarter number 1–4.
func (q Quarter) Q() int { return int(q)%4 + 1 }

// Date is a calendar date packed as days since 0001-01-01 (proleptic
// Gregorian), so comparisons are integer comparisons.
type Date int32

// Row is a validated, normalised distribution row. It holds personal data
// (NIK, KK, name) only as long as a row is in flight; nothing of it but
// counts and pseudonyms is ever stored.
type Row struct {
	// Line is the physical line number where the record starts.
	Line int64

	ID        []byte // id_transaksi as given (trimmed)
	NIK       [16]byte
	KK        [16]byte
	Village   []byte // 10 digits, dots removed
	District  int32  // region.ID of the village's district
	Program   Program
	Component Component
	// Period is the quarter of the row; PeriodStart the first day of the
	// row's own period (a month's or a quarter's first day), for DECEASED.
	Period      Quarter
	PeriodStart Date
	// QuarterStart is the first day of the quarter, for the age band.
	QuarterStart Date
	Nominal      int64
	Status       Status
	Channel      Channel
	Decile       uint8 // 0 = unknown, 1–10
	Sex          Sex   // from the column, else from the NIK
	Birth        Date  // from the column, else from the NIK
}
