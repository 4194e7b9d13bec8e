package tanya

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/portal/web"
)

// The form's CSRF token is a double-submit token: the same random value
// in a cookie and in a hidden field, prefixed with the time it was issued.
// Another site can neither read nor set our cookie, and SameSite=Strict
// keeps browsers from sending it with a form posted from elsewhere, so a
// request that carries both, equal, comes from our form in the asker's
// browser. The issue time, checked against the site's clock, makes it
// expire; the cookie is dropped once the form is sent, so sending it again
// (a reload) files nothing twice. Chosen over a token signed with a
// server secret because it needs no secret to keep, rotate or back up,
// and nothing is written to show the form: a read-only replica and a
// read-only press.db show it too.
const (
	csrfCookie = "tanya_csrf"
	// csrfTTL is how long a form may stay open: a long question takes
	// a while to write.
	csrfTTL = 3 * time.Hour
)

// Reasons a form's token is refused (for the log, and the message).
const (
	tokenMissing = "missing"
	tokenForged  = "mismatch"
	tokenExpired = "expired"
)

// newFormToken is a fresh token issued at now.
func newFormToken(now time.Time) string {
	return strconv.FormatInt(now.Unix(), 10) + "." + press.RandomToken()
}

// checkFormToken checks the field's token against the cookie's, and its
// age; it returns why it is refused, or "".
func checkFormToken(field, cookie string, now time.Time) string {
	if field == "" || cookie == "" {
		return tokenMissing
	}
	if subtle.ConstantTimeCompare([]byte(field), []byte(cookie)) != 1 {
		return tokenForged
	}
	issued, _, ok := strings.Cut(field, ".")
	sec, err := strconv.ParseInt(issued, 10, 64)
	if !ok || err != nil {
		return tokenForged
	}
	if age := now.Sub(time.Unix(sec, 0)); age > csrfTTL || age < -time.Minute {
		return tokenExpired
	}
	return ""
}

func (s *Handler) setTokenCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: csrfCookie, Value: value, Path: "/tanya", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil || strings.HasPrefix(s.BaseURL, "https://")})
}

// option is an entry of a select.
type option struct {
	Value, Label string
}

// regionGroup is a province and its regencies in the region select.
type regionGroup struct {
	Province option
	Regions  []option
}

// formPage is the form, empty or with the asker's input and what is
// wrong with it.
type formPage struct {
	*web.Page
	Form     press.Ask
	CSRF     string
	ReadOnly bool
	// Error says why the form was not sent; ErrorField names the field
	// at fault ("" when the form as a whole was refused).
	Error      string
	ErrorField string
	Regions    []regionGroup
	// ExtraRegion is a district the form was filled in with (the select
	// lists provinces and regencies).
	ExtraRegion *option
	Programs    []option
	Datasets    []option
	MinQuestion int
	MaxQuestion int
	AsksPerHour int
}

// regionGroups lists every province with its regencies, for the select.
func regionGroups() []regionGroup {
	var out []regionGroup
	for _, p := range region.Default().Provinces() {
		g := regionGroup{Province: option{p.Code, p.Name}}
		for _, k := range region.Default().Children(p.Code) {
			g.Regions = append(g.Regions, option{k.Code, k.Name})
		}
		out = append(out, g)
	}
	return out
}

// formPage builds the form for this request, with a fresh token.
func (s *Handler) formPage(c *gin.Context, form press.Ask) *formPage {
	p := &formPage{Page: s.NewPage(c, "tanya"), Form: form, ReadOnly: s.readOnly, Regions: regionGroups(),
		MinQuestion: press.MinQuestion, MaxQuestion: press.MaxQuestion, AsksPerHour: AsksPerHour}
	for _, code := range bansos.ProgramCodes {
		p.Programs = append(p.Programs, option{code, p.L.T("program.name." + code)})
	}
	for _, d := range dataset.All {
		p.Datasets = append(p.Datasets, option{d.Slug, d.Title.In(string(p.L.Lang))})
	}
	if r, ok := region.Default().Lookup(form.Region); ok && r.Level == region.District {
		p.ExtraRegion = &option{r.Code, r.Name}
	}
	if !s.readOnly {
		p.CSRF = newFormToken(s.Now())
		s.setTokenCookie(c, p.CSRF, int(csrfTTL.Seconds()))
	}
	return p
}

// renderForm shows the form. It is never cached: it carries a token of
// its own, and the asker's input.
func (s *Handler) renderForm(c *gin.Context, status int, p *formPage) {
	c.Header("Cache-Control", "no-store")
	s.Render(c, status, "tanya", p)
}

// Form is GET /tanya: the empty form, or one filled in with the region,
// programme or dataset a page linked it with (?wilayah=, ?program=,
// ?dataset=; a value that does not exist is left out).
func (s *Handler) Form(c *gin.Context) {
	pre := press.Ask{Region: c.Query("wilayah"), Program: c.Query("program"), Dataset: c.Query("dataset")}
	var form press.Ask
	if r, ok := region.Default().Lookup(strings.TrimSpace(pre.Region)); ok && r.Level <= region.District {
		form.Region = r.Code
	}
	if p := strings.ToUpper(strings.TrimSpace(pre.Program)); slices.Contains(bansos.ProgramCodes, p) {
		form.Program = p
	}
	if _, ok := dataset.Get(pre.Dataset); ok {
		form.Dataset = pre.Dataset
	}
	s.renderForm(c, http.StatusOK, s.formPage(c, form))
}

// askOf reads the form's fields.
func askOf(c *gin.Context) press.Ask {
	return press.Ask{Name: c.PostForm("name"), Email: c.PostForm("email"), Outlet: c.PostForm("outlet"),
		Question: c.PostForm("question"), Region: c.PostForm("region"), Program: c.PostForm("program"), Dataset: c.PostForm("dataset"),
		ConsentPublishQuestion: c.PostForm("consent_publish") != "", ConsentPublishName: c.PostForm("consent_name") != ""}
}

// honeypot is the form's trap for robots: a field people never see (nor
// hear: it is hidden from screen readers and out of the tab order) that
// form-filling robots fill in.
const honeypot = "website"

// Ask is POST /tanya: the question is checked and recorded, and the asker
// is shown their private tracking link, once. In order: the body's size
// (413), the address's rate (429), the form's token (403), the honeypot
// (a robot is shown the same confirmation, and nothing is stored), then
// the fields (422, the form again with the input and the field at
// fault).
func (s *Handler) Ask(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if c.Request.ContentLength > MaxBody {
		c.Header("Connection", "close")
		_ = c.Error(web.ErrTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBody)
	if err := c.Request.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			c.Header("Connection", "close")
			_ = c.Error(web.ErrTooLarge)
			return
		}
		_ = c.Error(web.ErrBadRequest.Wrap(err))
		return
	}
	ctx, now, form := c.Request.Context(), s.Now(), askOf(c)
	addr := web.ClientKey(c.ClientIP())
	if ok, until := s.perAddr.Allowed(addr, now); !ok {
		s.Log.WarnContext(ctx, "tanya: rate limited")
		c.Header("Retry-After", strconv.Itoa(int(until.Sub(now).Seconds())+1))
		p := s.formPage(c, form)
		p.Error = p.L.T("tanya.error.rate", AsksPerHour, p.L.DateTime(until))
		s.renderForm(c, http.StatusTooManyRequests, p)
		return
	}
	cookie, _ := c.Cookie(csrfCookie)
	if why := checkFormToken(c.PostForm("csrf"), cookie, now); why != "" {
		s.Log.WarnContext(ctx, "tanya: form token refused", "why", why)
		p := s.formPage(c, form)
		p.Error = p.L.T("tanya.error.token_" + why)
		s.renderForm(c, http.StatusForbidden, p)
		return
	}
	if strings.TrimSpace(c.PostForm(honeypot)) != "" {
		s.perAddr.Fail(addr, now)
		s.Log.InfoContext(ctx, "tanya: honeypot filled; nothing stored")
		cal, _ := s.Press.Calendar()
		deadline, prov := cal.Deadline(now)
		s.sent(c, &sentPage{Received: now, Deadline: deadline, Provisional: prov, Ask: form}, press.RandomToken())
		return
	}
	r, token, err := s.Press.SubmitRequest(ctx, form, now)
	if err != nil {
		if e := apperr.From(err); e.Kind == apperr.Invalid && e.Field != "" {
			p := s.formPage(c, form)
			p.ErrorField = e.Field
			p.Error = p.L.T("tanya.field."+e.Field) + ": " + e.Message(s.Cat).In(string(p.L.Lang))
			s.renderForm(c, http.StatusUnprocessableEntity, p)
			return
		}
		_ = c.Error(err)
		return
	}
	s.perAddr.Fail(addr, now)
	s.Log.InfoContext(ctx, "tanya: request received", "request", r.ID)
	s.sent(c, &sentPage{Received: r.Received, Deadline: r.Deadline, Provisional: r.Provisional,
		Ask: press.Ask{ConsentPublishQuestion: r.ConsentPublishQuestion, ConsentPublishName: r.ConsentPublishName}}, token)
}

// sentPage confirms a question: the private tracking link, shown this
// once, and the deadline.
type sentPage struct {
	*web.Page
	TrackURL    string
	Received    time.Time
	Deadline    time.Time
	Provisional bool
	Ask         press.Ask // what the asker agreed to
}

// sent shows the confirmation with the tracking link of token, and drops
// the form's token so that sending the form again files nothing.
func (s *Handler) sent(c *gin.Context, p *sentPage, token string) {
	private(c)
	s.setTokenCookie(c, "", -1)
	p.Page = s.NewPage(c, "tanya")
	p.TrackURL = s.BaseOf(c) + "/tanya/lacak/" + token
	if !p.Ask.ConsentPublishQuestion {
		p.Ask.ConsentPublishName = false
	}
	s.Render(c, http.StatusOK, "tanya_terkirim", p)
}
