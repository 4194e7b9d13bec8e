package admin

// The information desk's side of the press office (/admin/tanya): the
// queue of requests with their statutory deadlines, and a request's page
// with the asker's data (staff only), the question as published, the
// draft answer with the data it cites, and the steps of the workflow.
// Editors draft; only admins extend, answer and refuse (the store checks
// it as well). The rules: docs/information-desk.md.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// deskPerPage is the length of a page of the queue.
const deskPerPage = 50

// DeskRoutes registers the desk's admin pages, behind the sign-in, the
// headers and the CSRF check of the rest of /admin (not on read-only
// replicas: the caller skips it).
func (s *Handler) DeskRoutes(e *gin.Engine) {
	a := e.Group("/admin/tanya", s.adminHeaders(), s.requireLogin())
	a.GET("", s.deskQueue)
	a.GET("/:id", s.deskRequest)
	a.POST("/:id/:action", s.deskAction)
}

// DeskCounts is what the admin menu says of the desk: the open requests,
// and how many of them are past their deadline.
type DeskCounts struct{ Open, Overdue int }

// deskBase is the common part of the desk's pages: an admin page with a
// flash message of the desk's own.
type deskBase struct {
	*AdminPage
}

func (s *Handler) deskBase(c *gin.Context) (*deskBase, error) {
	p := &deskBase{AdminPage: s.adminBase(c)}
	if f := c.Query("ok"); slices.Contains([]string{"draft", "question", "extended", "answered", "refused"}, f) {
		p.Flash = p.L.T("tanya.admin.ok." + f)
	}
	return p, nil
}

// deskItem is a request in the queue.
type deskItem struct {
	press.QueueItem
	Excerpt string
	web.RequestSubject
}

type deskQueuePage struct {
	*deskBase
	Items    []deskItem
	Status   string
	Statuses []string
	Total    int
	Prev     string
	Next     string
	// CalendarError: the office's holiday list cannot be read; the last
	// one read well is used meanwhile.
	CalendarError string
	// Missing lists the years that open requests' provisional deadlines
	// run into and that have no holiday list; NextYear is next year when
	// it has none (a warning from October on).
	Missing  []int
	NextYear int
}

// deskQueue is /admin/tanya: open requests first, the nearest deadline
// first, with the working days left and the overdue ones flagged; then
// the closed ones (?status= picks one status).
func (s *Handler) deskQueue(c *gin.Context) {
	base, err := s.deskBase(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	p := &deskQueuePage{deskBase: base, Status: c.Query("status"), Statuses: press.RequestStatuses}
	if p.Status != "" && !slices.Contains(press.RequestStatuses, p.Status) {
		_ = c.Error(apperr.BadValue("status", "error.bad_param", "status", strings.Join(press.RequestStatuses, ", ")))
		return
	}
	page := 1
	if h := c.Query("halaman"); h != "" {
		if page, err = strconv.Atoi(h); err != nil || page < 1 {
			_ = c.Error(apperr.BadValue("halaman", "error.bad_param.page"))
			return
		}
	}
	now := s.Now()
	items, total, err := s.Press.Queue(c.Request.Context(), press.QueueFilter{Status: p.Status, Limit: deskPerPage, Offset: (page - 1) * deskPerPage}, now)
	if err != nil {
		_ = c.Error(err)
		return
	}
	p.Total = total
	cal, calErr := s.Press.Calendar()
	if calErr != nil {
		p.CalendarError = calErr.Error()
	}
	for _, it := range items {
		p.Items = append(p.Items, deskItem{QueueItem: it, Excerpt: web.Excerpt(it.Question, 120),
			RequestSubject: web.RequestSubjectOf(p.L, it.Region, it.Program, it.Dataset)})
		if y := kip.DateOf(it.Deadline).Year; it.Open() && it.Provisional && !cal.Covers(y) && !slices.Contains(p.Missing, y) {
			p.Missing = append(p.Missing, y)
		}
	}
	if y := kip.DateOf(now).Year + 1; !cal.Covers(y) && kip.DateOf(now).Month >= time.October {
		p.NextYear = y
	}
	q := c.Request.URL.Query()
	if page > 1 {
		q.Set("halaman", strconv.Itoa(page-1))
		p.Prev = "/admin/tanya?" + q.Encode()
	}
	if page*deskPerPage < total {
		q.Set("halaman", strconv.Itoa(page+1))
		p.Next = "/admin/tanya?" + q.Encode()
	}
	s.Render(c, http.StatusOK, "admin_tanya", p)
}

// deskRequestPage is a request's page: what staff see and do.
type deskRequestPage struct {
	*deskBase
	R *press.Request
	// Asked is the question as the asker wrote it; Edited says the
	// question shown (R.Question) was edited by staff since.
	Asked  string
	Edited bool
	web.RequestSubject
	DaysLeft int
	Overdue  bool
	// The forms, with what was sent when one is shown again.
	Question  string
	AnswerID  string
	AnswerEN  string
	LinksText string
	Days      int
	Reason    string
	Ground    string
	Error     string
	// The saved draft as the asker and readers will see it.
	PreviewID web.AnswerText
	PreviewEN web.AnswerText
	Links     []web.CitedLink
	Figures   []news.FigureLine
	Grounds   []groundOption
	DayChoice []int
	CanExtend bool
	PublicURL string
	// Refusal is a refused request's ground, in words.
	Refusal string
	Audit   []press.AuditEntry
}

type groundOption struct {
	Code, Article, Label string
}

// requestParam reads the request of the path's :id.
func (s *Handler) requestParam(c *gin.Context) (*press.Request, bool) {
	return byID(c, s.Press.Request)
}

// deskRequestPage builds a request's page with its saved state.
func (s *Handler) deskRequestPage(c *gin.Context, r *press.Request) (*deskRequestPage, error) {
	base, err := s.deskBase(c)
	if err != nil {
		return nil, err
	}
	ctx, l, now := c.Request.Context(), base.L, s.Now()
	p := &deskRequestPage{deskBase: base, R: r, RequestSubject: web.RequestSubjectOf(l, r.Region, r.Program, r.Dataset),
		Question: r.Question, AnswerID: r.Answer.ID, AnswerEN: r.Answer.EN, Days: 1}
	for d := 1; d <= kip.MaxExtensionDays; d++ {
		p.DayChoice = append(p.DayChoice, d)
	}
	if p.Asked, p.Edited, err = s.Press.QuestionAsked(ctx, r.ID); err != nil {
		return nil, err
	}
	links := make([]string, len(r.Links))
	for i, ln := range r.Links {
		links[i] = ln.String()
	}
	p.LinksText = strings.Join(links, "\n")
	if r.Open() {
		cal, _ := s.Press.Calendar()
		p.DaysLeft, p.Overdue = web.WorkingDaysLeft(cal, now, r.Deadline)
		p.CanExtend = p.User.IsAdmin() && r.ExtensionDays == 0 && !now.After(r.OriginalDeadline)
	}
	if r.Public() {
		p.PublicURL = web.AnswerURL(r.ID)
	}
	if r.Answer.ID != "" {
		p.PreviewID = web.AnswerIn(s.Cat.For(i18n.ID), i18n.Text{ID: r.Answer.ID})
	}
	if r.Answer.EN != "" {
		p.PreviewEN = web.AnswerIn(s.Cat.For(i18n.EN), i18n.Text{EN: r.Answer.EN})
	}
	p.Links = web.CitedLinks(l, r.Links)
	if p.Figures, err = s.news.FigureLines(ctx, l, r.Links); err != nil {
		return nil, err
	}
	if g, ok := r.Ground(); ok {
		p.Refusal = g.Article + ": " + g.Label.In(string(l.Lang))
	}
	for _, g := range press.RefusalGrounds {
		p.Grounds = append(p.Grounds, groundOption{g.Code, g.Article, g.Label.In(string(l.Lang))})
	}
	entries, err := s.Press.Audit(ctx, 2000)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.RequestID == r.ID {
			p.Audit = append(p.Audit, e)
		}
	}
	return p, nil
}

// deskRequest is /admin/tanya/{id}.
func (s *Handler) deskRequest(c *gin.Context) {
	r, ok := s.requestParam(c)
	if !ok {
		return
	}
	p, err := s.deskRequestPage(c, r)
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.Render(c, http.StatusOK, "admin_tanya_permohonan", p)
}

// deskAction carries out a step on a request: save the draft or the
// question as published (editors and admins), extend the deadline, answer
// or refuse (admins only).
func (s *Handler) deskAction(c *gin.Context) {
	r, ok := s.requestParam(c)
	if !ok {
		return
	}
	ctx, u, now := c.Request.Context(), &sessionFrom(c).User, s.Now()
	action := c.Param("action")
	switch action {
	case "perpanjang", "jawab", "tolak":
		if s.requireAdmin(c); c.IsAborted() {
			return
		}
	}
	var err error
	var flash string
	switch action {
	case "draf":
		// The cited data as the post editor reads and checks it.
		var links []press.Link
		if links, err = s.parseLinks(c, c.PostForm("links")); err == nil {
			err = s.Press.SaveDraft(ctx, u, r.ID, i18n.Text{ID: c.PostForm("answer_id"), EN: c.PostForm("answer_en")}, links, now)
		}
		flash = "draft"
	case "pertanyaan":
		err, flash = s.Press.EditQuestion(ctx, u, r.ID, c.PostForm("question"), now), "question"
	case "perpanjang":
		days, perr := strconv.Atoi(c.PostForm("days"))
		if perr != nil {
			days = 0 // the store says what is allowed
		}
		err, flash = s.Press.Extend(ctx, u, r.ID, days, c.PostForm("reason"), now), "extended"
	case "jawab":
		err, flash = s.Press.Answer(ctx, u, r.ID, now), "answered"
	case "tolak":
		err, flash = s.Press.Refuse(ctx, u, r.ID, c.PostForm("ground"), c.PostForm("reason"), now), "refused"
	default:
		_ = c.Error(web.ErrNotFound)
		return
	}
	if err != nil {
		s.deskError(c, r, action, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/tanya/"+strconv.FormatInt(r.ID, 10)+"?ok="+flash)
}

// deskError shows the request's page again with what was sent and why it
// was refused: a field at fault (422) or a step the request's state does
// not allow (409). Other errors (403, 500) take the site's error page.
func (s *Handler) deskError(c *gin.Context, r *press.Request, action string, err error) {
	e := apperr.From(err)
	status := http.StatusUnprocessableEntity
	switch {
	case e.Kind == apperr.Conflict:
		status = http.StatusConflict
	case e.Kind != apperr.Invalid || e.Field == "":
		_ = c.Error(err)
		return
	}
	p, perr := s.deskRequestPage(c, r)
	if perr != nil {
		_ = c.Error(perr)
		return
	}
	switch action {
	case "draf":
		p.AnswerID, p.AnswerEN, p.LinksText = c.PostForm("answer_id"), c.PostForm("answer_en"), c.PostForm("links")
	case "pertanyaan":
		p.Question = c.PostForm("question")
	case "perpanjang":
		p.Reason = c.PostForm("reason")
		if d, err := strconv.Atoi(c.PostForm("days")); err == nil {
			p.Days = d
		}
	case "tolak":
		p.Reason, p.Ground = c.PostForm("reason"), c.PostForm("ground")
	}
	p.Error = e.Message(s.Cat).In(string(p.L.Lang))
	if e.Field != "" {
		p.Error = p.L.T("tanya.admin.field."+e.Field) + ": " + p.Error
	}
	s.Render(c, status, "admin_tanya_permohonan", p)
}
