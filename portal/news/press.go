// Package news is the press office's public surface: /berita and its
// posts, attachments, and the RSS, Atom and JSON feeds (with WebSub), over
// the press store (internal/press).
package news

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Handler serves the news pages and feeds.
type Handler struct {
	*web.Site
	websubHub string
}

// New is the news surface; websubHub, when set, is announced in the feeds
// and pinged when they change.
func New(site *web.Site, websubHub string) *Handler {
	return &Handler{Site: site, websubHub: websubHub}
}

// PostsPerPage is the length of a page of /berita.
const PostsPerPage = 10

// PostView is a post as a page shows it, in the reader's language when the
// post was written in it.
type PostView struct {
	*press.Post
	Lang        string
	Title       string
	Summary     string
	Body        template.HTML
	URL         string
	Regions     []region.Region
	Revisions   []revisionView
	Attachments []attachmentView
	// Rev is the revision shown when it is not the current one.
	Rev *revisionView
	// Figures are the realisation figures the post cites, pinned to their
	// data release.
	Figures []realFigure
}

// revisionView is a revision as a reader of one language sees it: its
// note in the reader's language, and what changed for the text they read
// (press.Revision.ChangedIn). OtherLang, when set, names the other
// language whose text changed too; OtherOnly says that only it changed, so
// the page must not claim this reader's text changed.
type revisionView struct {
	press.Revision
	URL       string
	NoteText  string
	Here      []string
	OtherLang string
	OtherOnly bool
}

type attachmentView struct {
	press.Attachment
	URL     string
	IsImage bool
	// Alt is an image's alt text in the post's language shown (its file
	// name for an image attached before alt text was asked for).
	Alt string
}

// PostURL is a public post's address.
func PostURL(p *press.Post) string { return "/berita/" + p.Slug }

// ViewOf prepares a post for a page in lang.
func ViewOf(p *press.Post, lang i18n.Lang) *PostView {
	l := string(lang)
	if !p.HasLang(l) {
		l = p.Langs()[0]
	}
	v := &PostView{Post: p, Lang: l, Title: p.Content.Title.In(l), Summary: p.Content.Summary.In(l), URL: PostURL(p)}
	v.Body = press.RenderMarkdown(p.Content.Body.In(l))
	for _, code := range p.Content.Regions {
		if r, ok := region.Default().Lookup(code); ok {
			v.Regions = append(v.Regions, r)
		}
	}
	return v
}

// WithDetails adds the revision history and attachments; attachments link
// under prefix ("/lampiran/" for readers, "/admin/lampiran/" in the admin).
func (s *Handler) WithDetails(c *gin.Context, v *PostView, prefix string) error {
	ctx := c.Request.Context()
	revs, err := s.Press.Revisions(ctx, v.ID)
	if err != nil {
		return err
	}
	for _, r := range revs {
		v.Revisions = append(v.Revisions, revisionFor(r, v.Lang, string(web.LangOf(c)), v.URL+"?rev="+strconv.Itoa(r.Number)))
	}
	atts, err := s.Press.Attachments(ctx, v.ID)
	if err != nil {
		return err
	}
	for _, a := range atts {
		av := attachmentView{Attachment: a, URL: prefix + strconv.FormatInt(a.ID, 10) + "/" + url.PathEscape(a.Name), IsImage: a.IsImage()}
		if av.IsImage {
			if av.Alt = a.Alt.In(v.Lang); av.Alt == "" {
				av.Alt = a.Name
			}
		}
		v.Attachments = append(v.Attachments, av)
	}
	return nil
}

// revisionFor is a revision as shown with a post's text in textLang to a
// reader of lang: the note in lang (its one note when written once), what
// changed for that text, and whether only the other language's text did.
func revisionFor(r press.Revision, textLang, lang, u string) revisionView {
	rv := revisionView{Revision: r, URL: u, NoteText: r.NoteIn(lang)}
	var other bool
	rv.Here, other = r.ChangedIn(textLang)
	if other {
		rv.OtherLang = press.LangEN
		if textLang == press.LangEN {
			rv.OtherLang = press.LangID
		}
		rv.OtherOnly = len(rv.Here) == 0
	}
	return rv
}

// LatestPosts are the newest published posts, for the dashboard.
func (s *Handler) LatestPosts(c *gin.Context, n int) ([]*PostView, error) {
	posts, _, err := s.Press.List(c.Request.Context(), press.Filter{Statuses: []string{press.StatusPublished}, Limit: n})
	if err != nil {
		return nil, err
	}
	out := make([]*PostView, len(posts))
	for i, p := range posts {
		out[i] = ViewOf(p, web.LangOf(c))
	}
	return out, nil
}

// postFilter reads the filters of /berita and the feeds: kategori (or
// category), program, wilayah (a province also finds posts about its
// regencies) and jenis (kind). A bad value is a 400 that says what is
// allowed.
type postFilter struct {
	Category, Program, Region, Kind string
}

func parsePostFilter(c *gin.Context) (postFilter, error) {
	var f postFilter
	f.Category = c.Query("kategori")
	if f.Category == "" {
		f.Category = c.Query("category")
	}
	if f.Category != "" && !slices.Contains(press.Categories, f.Category) {
		return f, badParam("kategori", strings.Join(press.Categories, ", "))
	}
	f.Program = strings.ToUpper(c.Query("program"))
	if f.Program != "" && !slices.Contains(bansos.ProgramCodes, f.Program) {
		return f, badParam("program", strings.Join(bansos.ProgramCodes, ", "))
	}
	if w := c.Query("wilayah"); w != "" {
		r, ok := region.Default().Lookup(w)
		if !ok {
			return f, apperr.BadValue("wilayah", "error.bad_param.region")
		}
		f.Region = r.Code
	}
	f.Kind = c.Query("jenis")
	if f.Kind != "" && !slices.Contains(press.Kinds, f.Kind) {
		return f, badParam("jenis", strings.Join(press.Kinds, ", "))
	}
	return f, nil
}

func (f postFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"kategori": f.Category, "program": f.Program, "wilayah": f.Region, "jenis": f.Kind} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func (f postFilter) of(statuses ...string) press.Filter {
	return press.Filter{Statuses: statuses, Category: f.Category, Program: f.Program, Region: f.Region, Kind: f.Kind}
}

// badParam is a bad query parameter: a 400 naming what is allowed.
func badParam(name, allowed string) error {
	return apperr.BadValue(name, "error.bad_param", name, allowed)
}

type newsPage struct {
	*web.Page
	Posts      []*PostView
	Filter     postFilter
	Categories []string
	Programs   []string
	Kinds      []string
	Provinces  []region.Region
	RegionName string
	Total      int
	PageNum    int
	Prev, Next string
	FeedQuery  string
	BadParam   string // why a filter was refused, in the reader's language
}

// Routes registers the news pages, attachments and feeds.
func (s *Handler) Routes(e gin.IRoutes) {
	e.GET("/berita", s.News)
	e.GET("/berita/:slug", s.Post)
	e.GET("/lampiran/:id/:name", s.Attachment)
	for path, format := range map[string]string{"/feed.xml": "rss", "/feed.atom": "atom", "/feed.json": "json"} {
		e.GET(path, s.Feed(format))
		e.HEAD(path, s.Feed(format)) // feed readers check for changes with HEAD
	}
}

// News is /berita: published posts, newest first, filtered and paged.
func (s *Handler) News(c *gin.Context) {
	p := s.NewPage(c, "berita")
	np := &newsPage{Page: p, Categories: press.Categories, Programs: bansos.ProgramCodes, Kinds: press.Kinds, Provinces: region.Default().Provinces(), PageNum: 1}
	f, err := parsePostFilter(c)
	if err != nil {
		np.BadParam = apperr.From(err).Message(s.Cat).In(string(web.LangOf(c)))
		c.Header("Cache-Control", "no-store")
		s.Render(c, http.StatusBadRequest, "berita", np)
		return
	}
	np.Filter = f
	np.RegionName = region.Default().Name(f.Region)
	if h := c.Query("halaman"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 1 || n > 10000 {
			np.BadParam = s.Cat.T(web.LangOf(c), "error.bad_param.page")
			s.Render(c, http.StatusBadRequest, "berita", np)
			return
		}
		np.PageNum = n
	}
	pf := f.of(press.StatusPublished)
	pf.Limit, pf.Offset = PostsPerPage, (np.PageNum-1)*PostsPerPage
	posts, total, err := s.Press.List(c.Request.Context(), pf)
	if err != nil {
		_ = c.Error(err)
		return
	}
	np.Total = total
	for _, post := range posts {
		np.Posts = append(np.Posts, ViewOf(post, web.LangOf(c)))
	}
	q := f.query()
	np.FeedQuery = q.Encode()
	if np.PageNum > 1 {
		q.Set("halaman", strconv.Itoa(np.PageNum-1))
		np.Prev = "/berita?" + q.Encode()
	}
	if np.PageNum*PostsPerPage < total {
		q.Set("halaman", strconv.Itoa(np.PageNum+1))
		np.Next = "/berita?" + q.Encode()
	}
	c.Header("Cache-Control", s.CacheControl(c))
	s.Render(c, http.StatusOK, "berita", np)
}

type postPage struct {
	*web.Page
	Post      *PostView
	Canonical string
	Image     string
	ImageAlt  string
	Published string // RFC 3339, for article:published_time
	Modified  string
	Admin     bool
}

// Post is /berita/{slug}: one post, its linked data, attachments and
// public history; a retracted post is a tombstone (410).
func (s *Handler) Post(c *gin.Context) {
	post, err := s.Press.BySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		_ = c.Error(err)
		return
	}
	v := ViewOf(post, web.LangOf(c))
	if err := s.WithDetails(c, v, "/lampiran/"); err != nil {
		_ = c.Error(err)
		return
	}
	if r := c.Query("rev"); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 || n > len(v.Revisions) || post.Status == press.StatusRetracted {
			_ = c.Error(web.ErrNotFound)
			return
		}
		rev := v.Revisions[n-1]
		old := *post
		old.Content = rev.Content
		ov := ViewOf(&old, web.LangOf(c))
		ov.Revisions, ov.Attachments, ov.Rev = v.Revisions, v.Attachments, &rev
		v = ov
	}
	if v.Figures, err = s.realFigures(c.Request.Context(), v.Content.Links); err != nil {
		_ = c.Error(err)
		return
	}
	pp := &postPage{Page: s.NewPage(c, "berita"), Post: v, Canonical: s.BaseOf(c) + v.URL,
		Published: post.Published.In(bansos.WIB).Format(time.RFC3339), Modified: post.Modified().In(bansos.WIB).Format(time.RFC3339)}
	for _, a := range v.Attachments {
		if a.IsImage {
			pp.Image, pp.ImageAlt = s.BaseOf(c)+a.URL, a.Alt
			break
		}
	}
	c.Header("Cache-Control", s.CacheControl(c))
	c.Header("Link", "<"+pp.Canonical+">; rel=\"canonical\"")
	status := http.StatusOK
	if post.Status == press.StatusRetracted {
		status = http.StatusGone
		v.Attachments = nil
	}
	s.Render(c, status, "berita_post", pp)
}

// maxAge is how long readers and shared caches may keep a page that
// lists posts.
const maxAge = 60 * time.Second

// CacheControl is the Cache-Control of a page or feed that shows posts.
// Readers and shared caches may keep it for a minute, but never past the
// next embargo: a post scheduled for 10:00 WIB shows at 10:00, not when a
// copy of /berita taken at 09:59:30 expires. From the embargo until the
// scheduler has published the post (its job runs on the minute), pages
// are not kept at all; an embargo overdue by more than that (a replica
// never publishes) is not waited for.
func (s *Handler) CacheControl(c *gin.Context) string {
	age := maxAge
	next, ok, err := s.NextEmbargo(c.Request.Context())
	if err != nil {
		s.Log.WarnContext(c.Request.Context(), "press: next embargo", "err", err)
	}
	if until := next.Sub(s.Now()); ok && until > -maxAge {
		age = min(age, until)
	}
	if secs := int(age / time.Second); secs > 0 {
		return "public, max-age=" + strconv.Itoa(secs)
	}
	return "public, no-cache"
}

// Attachment serves a published post's file: the type sniffed at upload,
// never rendered as a page of ours (nosniff, CSP sandbox), downloaded
// unless it is an image.
func (s *Handler) Attachment(c *gin.Context) {
	s.ServeAttachment(c, false)
}

func (s *Handler) ServeAttachment(c *gin.Context, admin bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		_ = c.Error(web.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	a, data, err := s.Press.AttachmentData(ctx, id)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if !admin {
		post, err := s.Press.Get(ctx, a.PostID)
		if err != nil || post.Status != press.StatusPublished || c.Param("name") != a.Name {
			_ = c.Error(web.ErrNotFound)
			return
		}
	}
	etag := `"` + a.SHA256 + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	disp := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") {
		disp = "inline"
	}
	h.Set("Content-Disposition", disp+`; filename="`+asciiName(a.Name)+`"; filename*=UTF-8''`+url.PathEscape(a.Name))
	h.Set("Digest", "sha-256="+a.SHA256)
	if admin {
		h.Set("Cache-Control", "private, no-store")
	} else {
		h.Set("Cache-Control", "public, max-age=86400")
	}
	if web.ETagMatches(c, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.ContentType, data)
}

// asciiName is a file name safe inside a quoted header parameter.
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
}
