package admin

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// AdminPage is what every admin page receives: the page, the logged-in
// user, the session's CSRF token for its forms and a flash message.
type AdminPage struct {
	*web.Page
	User  *press.User
	CSRF  string
	Flash string
	// Desk counts the information desk's open and overdue requests, for
	// the menu of every admin page.
	Desk      DeskCounts
	Drafts    []*press.Post
	Scheduled []*press.Post
	Published []*press.Post
}

// adminBase is the common part of every admin page.
func (s *Handler) adminBase(c *gin.Context) *AdminPage {
	sess := sessionFrom(c)
	p := &AdminPage{Page: s.NewPage(c, "admin"), User: &sess.User, CSRF: sess.CSRF}
	var err error
	if p.Desk.Open, p.Desk.Overdue, err = s.Press.OpenRequests(c.Request.Context(), s.Now()); err != nil {
		// The menu goes without its counts; the page itself still works.
		s.Log.Warn("admin: counting open requests", "err", err)
	}
	// Known flash messages only: a query parameter never becomes text.
	if f := c.Query("ok"); slices.Contains([]string{"saved", "submitted", "published", "scheduled", "unscheduled", "corrected", "retracted", "attached", "user"}, f) {
		p.Flash = p.L.T("admin.ok." + f)
	}
	return p
}

// adminHome lists drafts (and submitted posts), scheduled and published
// posts.
func (s *Handler) adminHome(c *gin.Context) {
	p := s.adminBase(c)
	ctx := c.Request.Context()
	var err error
	for _, l := range []struct {
		dst      *[]*press.Post
		statuses []string
	}{
		{&p.Drafts, []string{press.StatusDraft, press.StatusSubmitted}},
		{&p.Scheduled, []string{press.StatusScheduled}},
		{&p.Published, []string{press.StatusPublished, press.StatusRetracted}},
	} {
		if *l.dst, _, err = s.Press.List(ctx, press.Filter{Statuses: l.statuses, Limit: 200}); err != nil {
			_ = c.Error(err)
			return
		}
	}
	s.Render(c, http.StatusOK, "admin", p)
}

type editorPage struct {
	*AdminPage
	Post       *press.Post // nil for a new post
	Form       press.Content
	LinksText  string
	Error      string
	ErrorField string // the form field Error names
	Preview    *news.PostView
	Kinds      []string
	Categories []string
	Programs   []string
	CanEdit    bool
	Correcting bool
	Note       i18n.Text
	Alt        i18n.Text // an upload's alt text, kept when the upload is refused
	PublishAt  string
}

// citationView is a link the post cites, as the editor lists it: in
// words, with its address; Line, the link in the editor's form
// (press.Link.String), is the value of its remove box.
type citationView struct {
	press.LinkWords
	URL  string
	Line string
}

// Citations lists the links of the form in words, in the editor's
// language: what the editor pointed at, not what they would have typed.
func (ep *editorPage) Citations() []citationView {
	out := make([]citationView, len(ep.Form.Links))
	for i, l := range ep.Form.Links {
		out[i] = citationView{LinkWords: l.Words(ep.L), URL: l.URL(), Line: l.String()}
	}
	return out
}

// LinksOpen opens the advanced links field: when it names the error, or
// holds lines that are not (yet) citations.
func (ep *editorPage) LinksOpen() bool {
	return ep.ErrorField == "links" || strings.TrimSpace(ep.LinksText) != "" && len(ep.Form.Links) == 0
}

// linksText is links in the editor's form, one a line.
func linksText(links []press.Link) string {
	lines := make([]string, len(links))
	for i, l := range links {
		lines[i] = l.String()
	}
	return strings.Join(lines, "\n")
}

func (s *Handler) editor(c *gin.Context, post *press.Post) *editorPage {
	ap := s.adminBase(c)
	ep := &editorPage{AdminPage: ap, Post: post, Kinds: press.Kinds, Categories: press.Categories, Programs: bansos.ProgramCodes,
		Form: press.Content{Kind: press.KindRelease, Lang: press.LangID, Category: press.Categories[0]}}
	if post != nil {
		ep.Form = post.Content
		ep.LinksText = linksText(post.Links)
		ep.CanEdit = !post.Public() && (ap.User.IsAdmin() || post.Author == ap.User.Name && post.Status != press.StatusScheduled)
		ep.Correcting = post.Status == press.StatusPublished && ap.User.IsAdmin()
	} else {
		ep.CanEdit = true
	}
	return ep
}

// adminNew is the editor of a new post. ?kutip=LINK (web.CiteParam, one
// or more) attaches what a public view's "Cite in a release" action
// pointed at; a link that cannot be cited is said so above the form.
func (s *Handler) adminNew(c *gin.Context) {
	ep := s.editor(c, nil)
	if cited := c.QueryArray(web.CiteParam); len(cited) > 0 {
		text := strings.Join(cited, "\n")
		links, err := s.parseLinks(c, text)
		if err != nil {
			msg, ok := s.fieldMessage(ep, err)
			if !ok {
				_ = c.Error(err)
				return
			}
			ep.Error, ep.ErrorField, ep.LinksText = ep.L.T("admin.cite_bad")+" — "+msg, "links", text
		} else {
			ep.Form.Links, ep.LinksText = links, linksText(links)
		}
	}
	s.Render(c, http.StatusOK, "admin_post", ep)
}

// parseLinks reads the editor's links. A cited data release must exist: a
// link pinned to a release that was never published would lead readers
// nowhere.
func (s *Handler) parseLinks(c *gin.Context, text string) ([]press.Link, error) {
	links, err := press.ParseLinks(text)
	for _, l := range links {
		if err != nil {
			break
		}
		if _, rerr := s.Release(c.Request.Context(), l.Release); errors.Is(rerr, release.ErrNotFound) {
			err = apperr.FieldError("links", "invalid.no_release", l.Release)
		} else if rerr != nil {
			err = rerr
		}
	}
	return links, err
}

// contentForm reads the editor's form, without the citations the editor
// ticked to remove from the list ("lepas", the link's line).
func (s *Handler) contentForm(c *gin.Context) (press.Content, string, error) {
	ct := press.Content{Kind: c.PostForm("kind"), Lang: c.PostForm("lang"), Category: c.PostForm("category"),
		Title:   i18n.Text{ID: c.PostForm("title_id"), EN: c.PostForm("title_en")},
		Summary: i18n.Text{ID: c.PostForm("summary_id"), EN: c.PostForm("summary_en")},
		Body:    i18n.Text{ID: c.PostForm("body_id"), EN: c.PostForm("body_en")},
		Tags:    strings.Split(c.PostForm("tags"), ","), Regions: strings.FieldsFunc(c.PostForm("regions"), isListSep),
		Programs: c.PostFormArray("programs")}
	text := withoutLinks(c.PostForm("links"), c.PostFormArray("lepas"))
	links, err := s.parseLinks(c, text)
	ct.Links = links
	return ct, text, err
}

// withoutLinks is the editor's links text without the lines that read as
// one of the links drop names; other lines stay as typed.
func withoutLinks(text string, drop []string) string {
	if len(drop) == 0 {
		return text
	}
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		if l, err := press.ParseLinks(line); err == nil && len(l) == 1 && slices.Contains(drop, l[0].String()) {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

func isListSep(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }

// fieldMessage is a form error naming its field, in the editor's
// language ("Judul (Indonesia): wajib diisi"); ok is false for any other
// error.
func (s *Handler) fieldMessage(ep *editorPage, err error) (string, bool) {
	inv := apperr.From(err)
	if inv == nil || inv.Kind != apperr.Invalid || inv.Field == "" {
		return "", false
	}
	return ep.L.T("admin.field."+inv.Field) + ": " + inv.Message(s.Cat).In(string(ep.L.Lang)), true
}

// formError re-renders the editor with the reader's input and the reason.
func (s *Handler) formError(c *gin.Context, ep *editorPage, err error) bool {
	msg, ok := s.fieldMessage(ep, err)
	if !ok {
		return false
	}
	ep.Error, ep.ErrorField = msg, apperr.From(err).Field
	s.Render(c, http.StatusUnprocessableEntity, "admin_post", ep)
	return true
}

func (s *Handler) adminCreate(c *gin.Context) {
	sess := sessionFrom(c)
	ct, linksText, err := s.contentForm(c)
	if err == nil {
		var id int64
		id, err = s.Press.Create(c.Request.Context(), &sess.User, ct, s.Now())
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/admin/berita/"+strconv.FormatInt(id, 10)+"?ok=saved#pratinjau")
			return
		}
	}
	ep := s.editor(c, nil)
	ep.Form, ep.LinksText = ct, linksText
	if !s.formError(c, ep, err) {
		_ = c.Error(err)
	}
}

func (s *Handler) postParam(c *gin.Context) (*press.Post, bool) { return byID(c, s.Press.Get) }

// byID reads the record of the path's :id with get: not found for an id
// that is not a number, get's error otherwise (both handled by the
// site's error page).
func byID[T any](c *gin.Context, get func(context.Context, int64) (T, error)) (T, bool) {
	var zero T
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		_ = c.Error(web.ErrNotFound)
		return zero, false
	}
	v, err := get(c.Request.Context(), id)
	if err != nil {
		_ = c.Error(err)
		return zero, false
	}
	return v, true
}

// adminPost is the editor of one post with the preview of its saved
// content, its actions, attachments and history.
func (s *Handler) adminPost(c *gin.Context) {
	post, ok := s.postParam(c)
	if !ok {
		return
	}
	ep := s.editor(c, post)
	ep.Preview = news.ViewOf(post, web.LangOf(c))
	if post.Slug == "" {
		ep.Preview.URL = ""
	}
	if err := s.news.WithDetails(c, ep.Preview, "/admin/lampiran/"); err != nil {
		_ = c.Error(err)
		return
	}
	if !post.PublishAt.IsZero() {
		ep.PublishAt = post.PublishAt.In(bansos.WIB).Format("2006-01-02T15:04")
	}
	s.Render(c, http.StatusOK, "admin_post", ep)
}

// adminSave saves an unpublished post (editing) or, for a published one,
// records a correction with its note in Indonesian ("note") and English
// ("note_en").
func (s *Handler) adminSave(c *gin.Context) {
	post, ok := s.postParam(c)
	if !ok {
		return
	}
	sess := sessionFrom(c)
	ct, linksText, err := s.contentForm(c)
	note := i18n.Text{ID: c.PostForm("note"), EN: c.PostForm("note_en")}
	flash := "saved"
	if err == nil {
		if post.Public() {
			err, flash = s.Press.Correct(c.Request.Context(), &sess.User, post.ID, ct, note, s.Now()), "corrected"
		} else {
			err = s.Press.Update(c.Request.Context(), &sess.User, post.ID, ct, s.Now())
		}
	}
	if err == nil {
		if flash == "corrected" {
			s.news.NotifyHub(s.BaseOf(c))
		}
		c.Redirect(http.StatusSeeOther, "/admin/berita/"+strconv.FormatInt(post.ID, 10)+"?ok="+flash+"#pratinjau")
		return
	}
	ep := s.editor(c, post)
	ep.Form, ep.LinksText, ep.Note = ct, linksText, note
	if !s.formError(c, ep, err) {
		_ = c.Error(err)
	}
}

// adminAction carries out a workflow step on a post.
func (s *Handler) adminAction(c *gin.Context) {
	post, ok := s.postParam(c)
	if !ok {
		return
	}
	ctx, u, now := c.Request.Context(), &sessionFrom(c).User, s.Now()
	var err error
	var flash string
	switch c.Param("action") {
	case "ajukan":
		err, flash = s.Press.Submit(ctx, u, post.ID, now), "submitted"
	case "terbitkan":
		err, flash = s.Press.Publish(ctx, u, post.ID, now), "published"
	case "jadwalkan":
		at, perr := time.ParseInLocation("2006-01-02T15:04", c.PostForm("publish_at"), bansos.WIB)
		if perr != nil {
			err = apperr.FieldError("publish_at", "invalid.datetime")
		} else {
			err = s.Press.Schedule(ctx, u, post.ID, at, now)
		}
		flash = "scheduled"
	case "batal-jadwal":
		err, flash = s.Press.Unschedule(ctx, u, post.ID, now), "unscheduled"
	case "cabut":
		err, flash = s.Press.Retract(ctx, u, post.ID, c.PostForm("note"), now), "retracted"
	case "lampiran":
		err, flash = s.upload(c, u, post), "attached"
	default:
		_ = c.Error(web.ErrNotFound)
		return
	}
	if err != nil {
		ep := s.editor(c, post)
		ep.Alt = i18n.Text{ID: c.PostForm("alt_id"), EN: c.PostForm("alt_en")}
		if !s.formError(c, ep, err) {
			_ = c.Error(err)
		}
		return
	}
	if flash == "published" || flash == "retracted" {
		s.news.NotifyHub(s.BaseOf(c))
	}
	c.Redirect(http.StatusSeeOther, "/admin/berita/"+strconv.FormatInt(post.ID, 10)+"?ok="+flash)
}

// upload stores the attachment of the form with an image's alt text
// (alt_id, alt_en); the body is limited to uploadLimit by adminHeaders,
// the store limits the file itself and asks for the alt text.
func (s *Handler) upload(c *gin.Context, u *press.User, post *press.Post) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return apperr.FieldError("attachment", "invalid.no_file")
	}
	if fh.Size > press.MaxAttachment {
		return apperr.FieldError("attachment", "invalid.file_too_large", press.MaxAttachment>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, press.MaxAttachment+1))
	if err != nil {
		return err
	}
	alt := i18n.Text{ID: c.PostForm("alt_id"), EN: c.PostForm("alt_en")}
	_, err = s.Press.Attach(c.Request.Context(), u, post.ID, fh.Filename, alt, data, s.Now())
	return err
}

type auditPage struct {
	*AdminPage
	Entries []press.AuditEntry
}

func (s *Handler) adminAudit(c *gin.Context) {
	entries, err := s.Press.Audit(c.Request.Context(), 500)
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.Render(c, http.StatusOK, "admin_audit", &auditPage{AdminPage: s.adminBase(c), Entries: entries})
}

// adminAuditCSV exports the whole audit log (times in WIB, RFC 3339).
func (s *Handler) adminAuditCSV(c *gin.Context) {
	entries, err := s.Press.Audit(c.Request.Context(), 0)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="audit-berita.csv"`)
	w := csv.NewWriter(c.Writer)
	// request_id: the information request an entry is about (the desk's
	// steps); added after the other columns so readers of the old file
	// keep working.
	w.Write([]string{"id", "waktu", "akun", "tindakan", "post_id", "rincian", "request_id"})
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	for _, e := range entries {
		w.Write([]string{strconv.FormatInt(e.ID, 10), news.RFC3339WIB(e.At), web.Neutralise(e.User), e.Action, id(e.PostID), web.Neutralise(e.Detail), id(e.RequestID)})
	}
	w.Flush()
}

type usersPage struct {
	*AdminPage
	Users []press.User
}

func (s *Handler) adminUsers(c *gin.Context) {
	users, err := s.Press.Users(c.Request.Context())
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.Render(c, http.StatusOK, "admin_users", &usersPage{AdminPage: s.adminBase(c), Users: users})
}

func (s *Handler) adminUserAction(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	action := c.Param("action")
	if err != nil || (action != "nonaktifkan" && action != "aktifkan") {
		_ = c.Error(web.ErrNotFound)
		return
	}
	if err := s.Press.SetDisabled(c.Request.Context(), &sessionFrom(c).User, id, action == "nonaktifkan", s.Now()); err != nil {
		if e := apperr.From(err); e.Kind == apperr.Invalid {
			_ = c.Error(web.ErrConflict)
			return
		}
		_ = c.Error(err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/akun?ok=user")
}
