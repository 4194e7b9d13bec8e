// The information desk (/tanya): anyone asks the ministry's information
// office (PPID) a question; the office answers within the statutory
// deadline (internal/kip), or extends it once, or refuses on a ground the
// law allows. Answers whose asker agreed are published. The rules, what
// is public and what is personal data: docs/information-desk.md.

package press

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/region"
)

// Statuses of an information request. A request is open while received;
// answered and refused close it. An extension does not change the status
// (Request.ExtensionDays says it).
const (
	RequestReceived = "received"
	RequestAnswered = "answered"
	RequestRefused  = "refused"
)

// RequestStatuses lists the statuses in the queue's order.
var RequestStatuses = []string{RequestReceived, RequestAnswered, RequestRefused}

// Limits of the form, in characters.
const (
	MinQuestion = 20
	MaxQuestion = 4000
	MaxAskName  = 120
	MaxOutlet   = 120
	MaxEmail    = 254
	// MaxReason bounds an extension's or a refusal's reason.
	MaxReason = 4000
	// maxAnswer bounds each language of an answer, in bytes, as for posts.
	maxAnswer = 200_000
)

// Errors of a request's workflow besides the press domain's own.
var (
	// ErrRequestClosed: the request was answered or refused already.
	ErrRequestClosed = &apperr.Error{Kind: apperr.Conflict, Code: "request_closed", Key: "tanya.error.closed"}
	// ErrAlreadyExtended: the deadline may be extended once only.
	ErrAlreadyExtended = &apperr.Error{Kind: apperr.Conflict, Code: "already_extended", Key: "tanya.error.already_extended"}
	// ErrExtensionLate: an extension is given before the original
	// deadline passes, not after.
	ErrExtensionLate = &apperr.Error{Kind: apperr.Conflict, Code: "extension_late", Key: "tanya.error.extension_late"}
)

// Ask is what the public form sends.
type Ask struct {
	Name     string
	Email    string
	Outlet   string // newsroom or organisation; optional
	Question string
	Region   string // optional region code (province, regency or district)
	Program  string // optional programme code (bansos.ProgramCodes)
	Dataset  string // optional dataset slug
	// ConsentPublishQuestion lets the office publish the question with
	// its answer; ConsentPublishName also shows the name and outlet with
	// them (it means nothing without the first).
	ConsentPublishQuestion bool
	ConsentPublishName     bool
}

// Normalize trims and checks the form: a name, a valid e-mail address, a
// question of MinQuestion to MaxQuestion characters, no control
// characters; the region comes out dotted, the programme upper-case. Its
// errors name the field.
func (a *Ask) Normalize() error {
	var err error
	if a.Name, err = oneLine("name", a.Name, MaxAskName); err != nil {
		return err
	}
	if a.Name == "" {
		return invalid("name", "required")
	}
	if a.Email, err = oneLine("email", a.Email, MaxEmail); err != nil {
		return err
	}
	if a.Email == "" {
		return invalid("email", "required")
	}
	if !validEmail(a.Email) {
		return invalid("email", "email")
	}
	if a.Outlet, err = oneLine("outlet", a.Outlet, MaxOutlet); err != nil {
		return err
	}
	if a.Question, err = text("question", a.Question); err != nil {
		return err
	}
	if a.Question == "" {
		return invalid("question", "required")
	}
	if n := utf8.RuneCountInString(a.Question); n < MinQuestion || n > MaxQuestion {
		return invalid("question", "question_length", MinQuestion, MaxQuestion)
	}
	if a.Region = strings.TrimSpace(a.Region); a.Region != "" {
		r, ok := region.Default().Lookup(a.Region)
		if !ok || r.Level > region.District {
			return invalid("region", "bad_region", a.Region)
		}
		a.Region = r.Code
	}
	if a.Program = strings.ToUpper(strings.TrimSpace(a.Program)); a.Program != "" && !slices.Contains(bansos.ProgramCodes, a.Program) {
		return invalid("program", "bad_program", a.Program, strings.Join(bansos.ProgramCodes, ", "))
	}
	if a.Dataset = strings.TrimSpace(a.Dataset); a.Dataset != "" {
		if _, ok := dataset.Get(a.Dataset); !ok {
			return invalid("dataset", "no_dataset", a.Dataset)
		}
	}
	if !a.ConsentPublishQuestion {
		a.ConsentPublishName = false
	}
	return nil
}

// oneLine trims a one-line field, folds runs of spaces into one and
// refuses control characters and text longer than max characters.
func oneLine(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, forbidden) {
		return "", invalid(field, "control_chars")
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		return "", invalid(field, "max_chars", max)
	}
	return s, nil
}

// text trims a multi-line text: line ends become \n; tabs and line ends
// are its only control characters.
func text(field, s string) (string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && forbidden(r) }) {
		return "", invalid(field, "control_chars")
	}
	return s, nil
}

// requiredText is text that may not be empty (emptyKey names the reason
// in the message catalogue) nor longer than max characters: a staff
// reason, a question as published.
func requiredText(field, s, emptyKey string, max int) (string, error) {
	s, err := text(field, s)
	switch {
	case err != nil:
		return "", err
	case s == "":
		return "", invalid(field, emptyKey)
	case utf8.RuneCountInString(s) > max:
		return "", invalid(field, "max_chars", max)
	}
	return s, nil
}

// forbidden: control characters, and the invisible characters that
// reorder text (they can make a published question read otherwise than
// it was written).
func forbidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}

// validEmail: one bare address (no display name) that net/mail accepts,
// whose domain has a dot.
func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Request is an information request as the office's staff see it.
type Request struct {
	ID     int64
	Status string
	// Personal data: empty once purged.
	Name, Email, Outlet string
	Question            string
	Region              string
	Program             string
	Dataset             string
	// What the asker agreed to.
	ConsentPublishQuestion bool
	ConsentPublishName     bool
	Received               time.Time
	// OriginalDeadline is 10 working days after receipt; Deadline is the
	// one in force (the extended one after an extension).
	OriginalDeadline time.Time
	Deadline         time.Time
	// Provisional: the deadline counts days of a year without a holiday
	// list (weekends only); it is recounted when the list is added.
	Provisional     bool
	ExtensionDays   int // 0: not extended
	ExtensionReason string
	Extended        time.Time
	// Answer is the draft while the request is open, then the answer as
	// published. Markdown (RenderMarkdown), in Indonesian and English.
	Answer        i18n.Text
	Links         []Link
	DraftBy       string
	Drafted       time.Time
	RefusalGround string // a RefusalGround code when refused
	RefusalReason string
	Closed        time.Time
	ClosedBy      string
	Purged        time.Time // when the personal data was erased
}

// Open reports whether the request awaits its answer.
func (r *Request) Open() bool { return r.Status == RequestReceived }

// Public reports whether the answer is published (answered, and the asker
// agreed).
func (r *Request) Public() bool { return r.Status == RequestAnswered && r.ConsentPublishQuestion }

// OnTime reports whether a closed request was closed at or before the
// deadline in force.
func (r *Request) OnTime() bool { return !r.Closed.IsZero() && !r.Closed.After(r.Deadline) }

// Ground is the refusal ground of a refused request.
func (r *Request) Ground() (RefusalGround, bool) { return Ground(r.RefusalGround) }

// AskerView is what the asker sees with their tracking token: the
// request's progress, never their own name or address (a forwarded link
// shows nothing personal).
type AskerView struct {
	ID               int64
	Status           string
	Question         string
	Region           string
	Program          string
	Dataset          string
	Received         time.Time
	OriginalDeadline time.Time
	Deadline         time.Time
	Provisional      bool
	ExtensionDays    int
	ExtensionReason  string // the office's reasons, in writing, as the law asks
	Extended         time.Time
	// Answer and Links when answered (drafts stay inside the office).
	Answer i18n.Text
	Links  []Link
	// RefusalGround and RefusalReason when refused.
	RefusalGround string
	RefusalReason string
	Closed        time.Time
	// Published: the answer is listed on the public page.
	Published              bool
	ConsentPublishQuestion bool
	ConsentPublishName     bool
}

// Ground is the refusal ground of a refused request.
func (v *AskerView) Ground() (RefusalGround, bool) { return Ground(v.RefusalGround) }

// PublicAnswer is a published answer as readers see it. It has no e-mail
// address at all, and Name and Outlet are empty unless the asker agreed
// to show them: the web layer cannot show what it is not given.
type PublicAnswer struct {
	ID       int64
	Question string
	Name     string // only with the asker's consent
	Outlet   string // only with the asker's consent
	Region   string
	Program  string
	Dataset  string
	Received time.Time
	Answered time.Time
	// ExtensionDays > 0: the office took an extension.
	ExtensionDays int
	Answer        i18n.Text
	Links         []Link
}

const requestColumns = `r.id, r.status, r.name, r.email, r.outlet, r.question, r.region, r.program, r.dataset,
	r.consent_publish, r.consent_name, r.received_at, r.original_deadline, r.deadline, r.provisional,
	r.extension_days, r.extension_reason, r.extended_at, r.answer_id, r.answer_en, r.links,
	coalesce(d.name, ''), r.draft_at, r.refusal_ground, r.refusal_reason, r.closed_at, coalesce(c.name, ''), r.purged_at`

const requestFrom = ` FROM request r LEFT JOIN user d ON d.id = r.draft_by LEFT JOIN user c ON c.id = r.closed_by`

func scanRequest(row scanner) (*Request, error) {
	var r Request
	var received, original, deadline, extended, drafted, closed, purged sql.NullString
	var links string
	if err := row.Scan(&r.ID, &r.Status, &r.Name, &r.Email, &r.Outlet, &r.Question, &r.Region, &r.Program, &r.Dataset,
		&r.ConsentPublishQuestion, &r.ConsentPublishName, &received, &original, &deadline, &r.Provisional,
		&r.ExtensionDays, &r.ExtensionReason, &extended, &r.Answer.ID, &r.Answer.EN, &links,
		&r.DraftBy, &drafted, &r.RefusalGround, &r.RefusalReason, &closed, &r.ClosedBy, &purged); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &r.Links); err != nil {
		return nil, fmt.Errorf("press: request %d links: %w", r.ID, err)
	}
	r.Received, r.OriginalDeadline, r.Deadline = parseTime(received), parseTime(original), parseTime(deadline)
	r.Extended, r.Drafted, r.Closed, r.Purged = parseTime(extended), parseTime(drafted), parseTime(closed), parseTime(purged)
	return &r, nil
}

func loadRequest(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (*Request, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: request %d: %w", id, err)
	}
	return r, nil
}

// calendars holds the holiday calendar of each data folder.
var calendars sync.Map // folder → *kip.Source

// Calendar returns the calendar deadlines are counted with: the shipped
// holiday lists plus the office's kip.HolidayFile in the folder of
// press.db, read again when that file changes. It is never nil; err
// reports a file that cannot be read (the admin pages show it), in which
// case the last list read well is used.
func (s *Store) Calendar() (*kip.Calendar, error) {
	dir := ""
	if s.db != nil && s.db.Path != "" {
		dir = filepath.Dir(s.db.Path)
	}
	src, ok := calendars.Load(dir)
	if !ok {
		src, _ = calendars.LoadOrStore(dir, kip.NewSource(dir))
	}
	return src.(*kip.Source).Calendar()
}

// WriteHolidayFile writes the shipped holiday lists into the folder of
// press.db, for the office to edit, unless the file is there (see
// kip.WriteHolidayFile).
func (s *Store) WriteHolidayFile() (bool, error) {
	if s.db == nil || s.db.Path == "" {
		return false, nil
	}
	return kip.WriteHolidayFile(filepath.Dir(s.db.Path))
}

func deadlineNote(deadline time.Time, provisional bool) string {
	s := "deadline " + kip.DateOf(deadline).String()
	if provisional {
		s += " (provisional)"
	}
	return s
}

// SubmitRequest records a request received now and returns it with the asker's
// tracking token. The token is shown once: only its SHA-256 is stored.
func (s *Store) SubmitRequest(ctx context.Context, a Ask, now time.Time) (*Request, string, error) {
	if err := a.Normalize(); err != nil {
		return nil, "", err
	}
	cal, _ := s.Calendar()
	deadline, prov := cal.Deadline(now)
	token := RandomToken()
	r := &Request{Status: RequestReceived, Name: a.Name, Email: a.Email, Outlet: a.Outlet, Question: a.Question,
		Region: a.Region, Program: a.Program, Dataset: a.Dataset,
		ConsentPublishQuestion: a.ConsentPublishQuestion, ConsentPublishName: a.ConsentPublishName,
		Received: now.UTC(), OriginalDeadline: deadline.UTC(), Deadline: deadline.UTC(), Provisional: prov}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO request (token_hash, status, name, email, outlet, question, region, program, dataset,
			consent_publish, consent_name, received_at, original_deadline, deadline, provisional)
			VALUES (?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tokenHash(token), a.Name, a.Email, a.Outlet, a.Question, a.Region, a.Program, a.Dataset,
			a.ConsentPublishQuestion, a.ConsentPublishName, fmtTime(now), fmtTime(deadline), fmtTime(deadline), prov)
		if err != nil {
			return fmt.Errorf("press: submit request: %w", err)
		}
		r.ID, _ = res.LastInsertId()
		return auditRequest(ctx, tx, now, nil, "request.submit", r.ID, deadlineNote(deadline, prov))
	})
	if err != nil {
		return nil, "", err
	}
	return r, token, nil
}

// ByToken returns the asker's view of the request of a tracking token, or
// ErrNotFound (also once the request's personal data was purged). The
// look-up is by the token's hash, so its time says nothing about how much
// of a token was right.
func (s *Store) ByToken(ctx context.Context, token string) (*AskerView, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNotFound
	}
	r, err := scanRequest(s.db.R.QueryRowContext(ctx, `SELECT `+requestColumns+requestFrom+` WHERE r.token_hash = ?`, tokenHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: request by token: %w", err)
	}
	v := &AskerView{ID: r.ID, Status: r.Status, Question: r.Question, Region: r.Region, Program: r.Program, Dataset: r.Dataset,
		Received: r.Received, OriginalDeadline: r.OriginalDeadline, Deadline: r.Deadline, Provisional: r.Provisional,
		ExtensionDays: r.ExtensionDays, ExtensionReason: r.ExtensionReason, Extended: r.Extended, Closed: r.Closed,
		Published: r.Public(), ConsentPublishQuestion: r.ConsentPublishQuestion, ConsentPublishName: r.ConsentPublishName}
	switch r.Status {
	case RequestAnswered:
		v.Answer, v.Links = r.Answer, r.Links
	case RequestRefused:
		v.RefusalGround, v.RefusalReason = r.RefusalGround, r.RefusalReason
	}
	return v, nil
}

// Request returns a request as staff see it, personal data included
// (until purged).
func (s *Store) Request(ctx context.Context, id int64) (*Request, error) {
	return loadRequest(ctx, s.db.R, id)
}

// QueueFilter selects requests for the office's queue.
type QueueFilter struct {
	Status string // "" for all, else one of RequestStatuses
	Limit  int    // 0: all
	Offset int
}

// QueueItem is a request in the queue with its time left.
type QueueItem struct {
	*Request
	// DaysLeft, for an open request, counts the working days after today
	// up to the deadline's day: 0 means due today, negative means that
	// many working days late. 0 for closed requests.
	DaysLeft int
	// Overdue: open, and its deadline has passed.
	Overdue bool
}

// Queue returns the requests the filter selects: open ones first, the
// nearest deadline first, then closed ones, the latest closed first; and
// how many there are in all.
func (s *Store) Queue(ctx context.Context, f QueueFilter, now time.Time) ([]QueueItem, int, error) {
	cond, args := "", []any{}
	if f.Status != "" {
		if !slices.Contains(RequestStatuses, f.Status) {
			return nil, 0, invalid("status", "unknown_status")
		}
		cond, args = " WHERE r.status = ?", append(args, f.Status)
	}
	var total int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM request r`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("press: count requests: %w", err)
	}
	q := `SELECT ` + requestColumns + requestFrom + cond +
		` ORDER BY r.status <> 'received', CASE WHEN r.status = 'received' THEN r.deadline END, r.closed_at DESC, r.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("press: request queue: %w", err)
	}
	defer rows.Close()
	cal, _ := s.Calendar()
	var out []QueueItem
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("press: request queue: %w", err)
		}
		it := QueueItem{Request: r}
		if r.Open() {
			it.DaysLeft = cal.WorkingDaysBetween(now, r.Deadline)
			it.Overdue = now.After(r.Deadline)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("press: request queue: %w", err)
	}
	return out, total, nil
}

// OpenRequests counts the open requests and those of them past their
// deadline (for the admin menu).
func (s *Store) OpenRequests(ctx context.Context, now time.Time) (open, overdue int, err error) {
	err = s.db.R.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(deadline < ?), 0) FROM request WHERE status = 'received'`, fmtTime(now)).Scan(&open, &overdue)
	if err != nil {
		return 0, 0, fmt.Errorf("press: count open requests: %w", err)
	}
	return open, overdue, nil
}

// changeOpen runs f on an open request in one transaction and audits the
// step; f returns the audit detail.
func (s *Store) changeOpen(ctx context.Context, u *User, id int64, action string, now time.Time, f func(*sql.Tx, *Request) (string, error)) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := loadRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if !r.Open() {
			return ErrRequestClosed
		}
		detail, err := f(tx, r)
		if err != nil {
			return err
		}
		return auditRequest(ctx, tx, now, u, action, id, detail)
	})
}

// SaveDraft saves the answer being written to an open request (editors
// and admins): Markdown in Indonesian and English, and the datasets or
// charts it cites, pinned to their releases as posts cite them.
func (s *Store) SaveDraft(ctx context.Context, u *User, id int64, answer i18n.Text, links []Link, now time.Time) error {
	if u == nil || u.Role != RoleEditor && u.Role != RoleAdmin {
		return ErrForbidden
	}
	answer.ID, answer.EN = strings.TrimSpace(answer.ID), strings.TrimSpace(answer.EN)
	if len(answer.ID) > maxAnswer || len(answer.EN) > maxAnswer {
		return invalid("answer", "too_long")
	}
	links = slices.Clone(links)
	for i := range links {
		if err := links[i].check(); err != nil {
			return err
		}
	}
	return s.changeOpen(ctx, u, id, "request.draft", now, func(tx *sql.Tx, r *Request) (string, error) {
		_, err := tx.ExecContext(ctx, `UPDATE request SET answer_id = ?, answer_en = ?, links = ?, draft_by = ?, draft_at = ? WHERE id = ?`,
			answer.ID, answer.EN, jsonText(links), u.ID, fmtTime(now), id)
		if err != nil {
			return "", fmt.Errorf("press: save draft of request %d: %w", id, err)
		}
		return "", nil
	})
}

// Extend extends an open request's deadline once, by 1 to
// kip.MaxExtensionDays working days counted after the original deadline's
// day (admins only), before that deadline passes. The reason is required:
// the asker sees it.
func (s *Store) Extend(ctx context.Context, u *User, id int64, days int, reason string, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	if days < 1 || days > kip.MaxExtensionDays {
		return invalid("days", "extension_days", kip.MaxExtensionDays)
	}
	reason, err := requiredText("reason", reason, "extension_reason", MaxReason)
	if err != nil {
		return err
	}
	cal, _ := s.Calendar()
	return s.changeOpen(ctx, u, id, "request.extend", now, func(tx *sql.Tx, r *Request) (string, error) {
		if r.ExtensionDays > 0 {
			return "", ErrAlreadyExtended
		}
		if now.After(r.OriginalDeadline) {
			return "", ErrExtensionLate
		}
		deadline, prov, err := cal.Extend(r.OriginalDeadline, days)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE request SET extension_days = ?, extension_reason = ?, extended_at = ?, deadline = ?, provisional = ? WHERE id = ?`,
			days, reason, fmtTime(now), fmtTime(deadline), r.Provisional || prov, id); err != nil {
			return "", fmt.Errorf("press: extend request %d: %w", id, err)
		}
		return fmt.Sprintf("%d working days, %s", days, deadlineNote(deadline, r.Provisional || prov)), nil
	})
}

// Answer publishes the drafted answer (admins only): the request is
// answered and closed. The answer is listed publicly when the asker
// agreed.
func (s *Store) Answer(ctx context.Context, u *User, id int64, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.changeOpen(ctx, u, id, "request.answer", now, func(tx *sql.Tx, r *Request) (string, error) {
		if r.Answer.ID == "" && r.Answer.EN == "" {
			return "", invalid("answer", "answer_empty")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE request SET status = 'answered', closed_at = ?, closed_by = ? WHERE id = ?`,
			fmtTime(now), u.ID, id); err != nil {
			return "", fmt.Errorf("press: answer request %d: %w", id, err)
		}
		if r.ConsentPublishQuestion {
			if err := bumpPublic(ctx, tx); err != nil {
				return "", err
			}
		}
		if now.After(r.Deadline) {
			return "late", nil
		}
		return "on time", nil
	})
}

// Refuse closes an open request without the information (admins only),
// on one of RefusalGrounds; the reason is required and the asker sees it.
func (s *Store) Refuse(ctx context.Context, u *User, id int64, ground, reason string, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	if _, ok := Ground(ground); !ok {
		return invalid("ground", "refusal_ground")
	}
	reason, err := requiredText("reason", reason, "refusal_reason", MaxReason)
	if err != nil {
		return err
	}
	return s.changeOpen(ctx, u, id, "request.refuse", now, func(tx *sql.Tx, r *Request) (string, error) {
		if _, err := tx.ExecContext(ctx, `UPDATE request SET status = 'refused', refusal_ground = ?, refusal_reason = ?, closed_at = ?, closed_by = ? WHERE id = ?`,
			ground, reason, fmtTime(now), u.ID, id); err != nil {
			return "", fmt.Errorf("press: refuse request %d: %w", id, err)
		}
		return ground, nil
	})
}

// AnswerFilter selects published answers.
type AnswerFilter struct {
	Program string
	// Region matches answers about the region or any region inside it.
	Region string
	Limit  int // 0: all
	Offset int
}

// The name and outlet leave the store only with the asker's consent.
const publicColumns = `id, question, CASE WHEN consent_name = 1 THEN name ELSE '' END, CASE WHEN consent_name = 1 THEN outlet ELSE '' END,
	region, program, dataset, received_at, closed_at, extension_days, answer_id, answer_en, links`

const publicWhere = ` FROM request WHERE status = 'answered' AND consent_publish = 1`

func scanPublic(row scanner) (*PublicAnswer, error) {
	var a PublicAnswer
	var received, answered sql.NullString
	var links string
	if err := row.Scan(&a.ID, &a.Question, &a.Name, &a.Outlet, &a.Region, &a.Program, &a.Dataset, &received, &answered,
		&a.ExtensionDays, &a.Answer.ID, &a.Answer.EN, &links); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &a.Links); err != nil {
		return nil, fmt.Errorf("press: answer %d links: %w", a.ID, err)
	}
	a.Received, a.Answered = parseTime(received), parseTime(answered)
	return &a, nil
}

// Answered lists the published answers, the latest first, and how many
// there are in all.
func (s *Store) Answered(ctx context.Context, f AnswerFilter) ([]PublicAnswer, int, error) {
	cond, args := "", []any{}
	if p := strings.ToUpper(strings.TrimSpace(f.Program)); p != "" {
		cond, args = cond+" AND program = ?", append(args, p)
	}
	if code := strings.TrimSpace(f.Region); code != "" {
		r, ok := region.Default().Lookup(code)
		if !ok {
			return nil, 0, invalid("region", "bad_region", code)
		}
		cond, args = cond+" AND (region = ? OR region LIKE ?)", append(args, r.Code, r.Code+".%")
	}
	var total int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*)`+publicWhere+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("press: count answers: %w", err)
	}
	q := `SELECT ` + publicColumns + publicWhere + cond + ` ORDER BY closed_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("press: answers: %w", err)
	}
	defer rows.Close()
	var out []PublicAnswer
	for rows.Next() {
		a, err := scanPublic(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("press: answers: %w", err)
	}
	return out, total, nil
}

// AnsweredByID returns a published answer, or ErrNotFound when the
// request does not exist, is not answered or may not be published.
func (s *Store) AnsweredByID(ctx context.Context, id int64) (*PublicAnswer, error) {
	a, err := scanPublic(s.db.R.QueryRowContext(ctx, `SELECT `+publicColumns+publicWhere+` AND id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: answer %d: %w", id, err)
	}
	return a, nil
}

// DefaultRetention is how long the personal data of a closed request is
// kept by default.
const DefaultRetention = 90 * 24 * time.Hour

// Purge erases the name, e-mail address, outlet and tracking token of the
// requests closed before now-retention, and returns how many it purged.
// The question, the answer and the audit trail stay. The publisher calls
// it; each purge is audited.
func (s *Store) Purge(ctx context.Context, now time.Time, retention time.Duration) (int, error) {
	if retention < 0 {
		return 0, fmt.Errorf("press: purge: negative retention %s", retention)
	}
	cutoff := fmtTime(now.Add(-retention))
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, status = 'answered' AND consent_publish = 1 AND consent_name = 1 FROM request
			WHERE purged_at IS NULL AND closed_at IS NOT NULL AND closed_at < ? ORDER BY id`, cutoff)
		if err != nil {
			return fmt.Errorf("press: purge: %w", err)
		}
		var ids []int64
		public := false
		for rows.Next() {
			var id int64
			var named bool
			if err := rows.Scan(&id, &named); err != nil {
				rows.Close()
				return fmt.Errorf("press: purge: %w", err)
			}
			ids, public = append(ids, id), public || named
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("press: purge: %w", err)
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE request SET name = '', email = '', outlet = '', token_hash = NULL, purged_at = ? WHERE id = ?`,
				fmtTime(now), id); err != nil {
				return fmt.Errorf("press: purge request %d: %w", id, err)
			}
			if err := auditRequest(ctx, tx, now, nil, "request.purge", id, ""); err != nil {
				return err
			}
		}
		n = len(ids)
		if public {
			// A published answer no longer shows its asker's name.
			return bumpPublic(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// RecountProvisional counts again the deadlines of open requests that
// were counted without a holiday list, once the calendar has the list
// (the office added next year's), and returns how many changed. The
// publisher calls it.
func (s *Store) RecountProvisional(ctx context.Context, now time.Time) (int, error) {
	cal, _ := s.Calendar()
	rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM request WHERE status = 'received' AND provisional = 1 ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("press: provisional deadlines: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("press: provisional deadlines: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("press: provisional deadlines: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			r, err := loadRequest(ctx, tx, id)
			if err != nil || !r.Open() || !r.Provisional {
				return err
			}
			original, prov := cal.Deadline(r.Received)
			deadline := original
			if r.ExtensionDays > 0 {
				var p2 bool
				if deadline, p2, err = cal.Extend(original, r.ExtensionDays); err != nil {
					return err
				}
				prov = prov || p2
			}
			if prov && deadline.Equal(r.Deadline) {
				return nil // still no list
			}
			if _, err := tx.ExecContext(ctx, `UPDATE request SET original_deadline = ?, deadline = ?, provisional = ? WHERE id = ?`,
				fmtTime(original), fmtTime(deadline), prov, id); err != nil {
				return fmt.Errorf("press: recount request %d: %w", id, err)
			}
			n++
			return auditRequest(ctx, tx, now, nil, "request.recount", id, deadlineNote(deadline, prov))
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
