// Package admin is the press office's area (/admin): sign-in, sessions
// and roles, the post editor and workflow, attachments, accounts and the
// audit log, over the press store (internal/press).
package admin

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Cookies of the admin area. Both are limited to /admin, HttpOnly and
// SameSite=Strict, and Secure whenever the site is reached over HTTPS.
const (
	SessionCookie    = "press_session"
	LoginCSRFCookie  = "press_login_csrf"
	ctxSession       = "press.session"
	FormLimit        = 1 << 20  // every admin form but the upload
	uploadLimit      = 20 << 20 // the attachment upload
	LoginMaxFailures = 5        // per account, per window
	AddrMaxFailures  = 20       // per client address, per window
	LoginWindow      = 15 * time.Minute
)

// The way back after a login: ReturnParam names the admin page a login
// goes back to (/admin/login?kembali=/admin/tulis%3F…, a local /admin
// path only), and the login form keeps it in ReturnCookie (an admin
// cookie like the others) until the user signs in.
const (
	ReturnParam  = "kembali"
	ReturnCookie = "press_login_return"
)

// Handler serves the admin area.
type Handler struct {
	*web.Site
	news           *news.Handler
	loginByAccount *press.Limiter
	loginByAddr    *press.Limiter
}

// New is the admin surface; it shows posts as news does.
func New(site *web.Site, n *news.Handler) *Handler {
	return &Handler{Site: site, news: n,
		loginByAccount: press.NewLimiter(LoginMaxFailures, LoginWindow), loginByAddr: press.NewLimiter(AddrMaxFailures, LoginWindow)}
}

// Routes registers the press office's area (not on read-only replicas:
// the caller skips it).
func (s *Handler) Routes(e *gin.Engine) {
	g := e.Group("/admin", s.adminHeaders())
	g.GET("/login", s.loginForm)
	g.POST("/login", s.login)
	a := g.Group("", s.requireLogin())
	a.POST("/logout", s.logout)
	a.GET("", s.adminHome)
	a.GET("/tulis", s.adminNew)
	a.POST("/tulis", s.adminCreate)
	a.GET("/berita/:id", s.adminPost)
	a.POST("/berita/:id", s.adminSave)
	a.POST("/berita/:id/:action", s.adminAction)
	a.GET("/lampiran/:id/:name", func(c *gin.Context) { s.news.ServeAttachment(c, true) })
	a.GET("/audit", s.requireAdmin, s.adminAudit)
	a.GET("/audit.csv", s.requireAdmin, s.adminAuditCSV)
	a.GET("/akun", s.requireAdmin, s.adminUsers)
	a.POST("/akun/:id/:action", s.requireAdmin, s.adminUserAction)
}

// adminHeaders: admin pages are never cached nor framed, and every form
// body is size-limited here (the site-wide body limit skips /admin/).
func (s *Handler) adminHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Header("X-Frame-Options", "DENY")
		c.Header("X-Robots-Tag", "noindex, nofollow")
		c.Header("Content-Security-Policy", web.CSP("'none'"))
		if c.Request.Method == http.MethodPost {
			limit := int64(FormLimit)
			if strings.HasSuffix(c.Request.URL.Path, "/lampiran") {
				limit = uploadLimit
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func (s *Handler) secureCookies(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.HasPrefix(s.BaseURL, "https://")
}

func (s *Handler) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureCookies(c), SameSite: http.SameSiteStrictMode})
}

// MarkerCookie says "this browser signed in to the press office": set at
// login, cleared at logout and whenever the admin area finds no session.
// It is not a secret and grants nothing (the session cookie does, and it
// is HttpOnly and limited to /admin): it is readable by the public pages'
// script on the whole site, which reveals the "Kutip di siaran pers / Cite
// in a release" actions those pages render hidden (public/static/js/site.js).
// Public pages are cached and shared, so they cannot ask the session.
// Anyone may set it by hand; they then see links to the login form.
const MarkerCookie = "press_editor"

func (s *Handler) setMarker(c *gin.Context, on bool) {
	ck := &http.Cookie{Name: MarkerCookie, Value: "1", Path: "/", MaxAge: int(press.SessionTTL.Seconds()),
		Secure: s.secureCookies(c), SameSite: http.SameSiteLaxMode}
	if !on {
		if _, err := c.Cookie(MarkerCookie); err != nil {
			return // nothing to clear
		}
		ck.Value, ck.MaxAge = "", -1
	}
	http.SetCookie(c.Writer, ck)
}

// returnPath is the admin page a login goes back to: a local path under
// /admin (never another site, nor a path a browser could read as one:
// "//host", "/\host"), not the login or logout itself. ok is false for
// anything else.
//
// An open redirect would let a link to our login send a signed-in editor
// to another site, looking like ours.
func returnPath(raw string) (string, bool) {
	if raw == "" || len(raw) > 2048 || strings.ContainsAny(raw, "\\\x00\r\n\t") || strings.HasPrefix(raw, "//") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	if u.Path != "/admin" && !strings.HasPrefix(u.Path, "/admin/") || path.Clean(u.Path) != u.Path {
		return "", false
	}
	if u.Path == "/admin/login" || u.Path == "/admin/logout" {
		return "", false
	}
	u.Fragment = ""
	return u.RequestURI(), true
}

// sessionOf returns the request's live session, if any.
func (s *Handler) sessionOf(c *gin.Context) *press.Session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*press.Session)
	}
	tok, err := c.Cookie(SessionCookie)
	if err != nil {
		return nil
	}
	sess, err := s.Press.SessionOf(c.Request.Context(), tok, s.Now())
	if err != nil {
		return nil
	}
	c.Set(ctxSession, sess)
	return sess
}

func sessionFrom(c *gin.Context) *press.Session { return c.MustGet(ctxSession).(*press.Session) }

// requireLogin lets only a logged-in user through, and checks the CSRF
// token of every POST against the session's.
func (s *Handler) requireLogin() gin.HandlerFunc {
	return func(c *gin.Context) {
		sess := s.sessionOf(c)
		if sess == nil {
			s.setMarker(c, false)
			if c.Request.Method == http.MethodGet {
				// Back here once signed in: the cite action of a public
				// page leads to the editor through the login.
				to := "/admin/login"
				if back, ok := returnPath(c.Request.URL.RequestURI()); ok && back != "/admin" {
					to += "?" + url.Values{ReturnParam: {back}}.Encode()
				}
				c.Redirect(http.StatusSeeOther, to)
				c.Abort()
				return
			}
			_ = c.Error(web.ErrForbidden)
			c.Abort()
			return
		}
		if c.Request.Method == http.MethodPost {
			if err := parseForm(c); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.refuse(c, web.ErrTooLarge, "body too large")
				} else {
					s.refuse(c, web.ErrBadRequest, "unreadable form")
				}
				return
			}
			if !sameToken(c.PostForm("csrf"), sess.CSRF) {
				s.refuse(c, web.ErrForbidden, "csrf")
				return
			}
		}
		c.Next()
	}
}

// refuse ends a request with an error page, noting why in the log (never
// the submitted values).
func (s *Handler) refuse(c *gin.Context, e *apperr.Error, why string) {
	s.Log.WarnContext(c.Request.Context(), "admin: refused", "route", c.FullPath(), "status", e.Kind.Status(), "why", why)
	_ = c.Error(e)
	c.Abort()
}

// parseForm reads the (size-limited) form body once, so a body over the
// limit is reported as such rather than as a missing CSRF token.
func parseForm(c *gin.Context) error {
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		return c.Request.ParseMultipartForm(uploadLimit)
	}
	return c.Request.ParseForm()
}

func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (s *Handler) requireAdmin(c *gin.Context) {
	if !sessionFrom(c).User.IsAdmin() {
		s.refuse(c, web.ErrForbidden, "role")
	}
}

type loginPage struct {
	*web.Page
	CSRF  string
	Name  string
	Error string
}

func (s *Handler) loginForm(c *gin.Context) {
	back, ok := returnPath(c.Query(ReturnParam))
	if s.sessionOf(c) != nil {
		if !ok {
			back = "/admin"
		}
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	s.setMarker(c, false)
	if ok {
		// Kept for the login's POST (the form posts to /admin/login).
		s.setCookie(c, ReturnCookie, url.QueryEscape(back), 3600)
	} else if _, err := c.Cookie(ReturnCookie); err == nil {
		s.setCookie(c, ReturnCookie, "", -1) // an older way back
	}
	s.renderLogin(c, http.StatusOK, "", "")
}

// afterLogin is where a login goes, and forgets: the page the login form
// was opened for, else /admin.
func (s *Handler) afterLogin(c *gin.Context) string {
	raw, err := c.Cookie(ReturnCookie)
	if err != nil {
		return "/admin"
	}
	s.setCookie(c, ReturnCookie, "", -1)
	if back, ok := returnPath(raw); ok { // gin's Cookie unescaped it
		return back
	}
	return "/admin"
}

// renderLogin shows the login form with a fresh login CSRF token (double
// submit: the same random value in a cookie and a hidden field; another
// site can set neither).
func (s *Handler) renderLogin(c *gin.Context, status int, name, errKey string) {
	tok := press.RandomToken()
	s.setCookie(c, LoginCSRFCookie, tok, 3600)
	p := &loginPage{Page: s.NewPage(c, "admin"), CSRF: tok, Name: name}
	if errKey != "" {
		p.Error = p.L.T(errKey)
	}
	s.Render(c, status, "admin_login", p)
}

// login checks the form's CSRF token, the rate limits (per account and per
// client address), then the password.
func (s *Handler) login(c *gin.Context) {
	ck, _ := c.Cookie(LoginCSRFCookie)
	if !sameToken(c.PostForm("csrf"), ck) {
		s.refuse(c, web.ErrForbidden, "login csrf")
		return
	}
	name := strings.TrimSpace(c.PostForm("name"))
	now := s.Now()
	acct, addr := "account:"+name, "addr:"+web.ClientKey(c.ClientIP())
	okA, untilA := s.loginByAccount.Allowed(acct, now)
	okB, untilB := s.loginByAddr.Allowed(addr, now)
	if !okA || !okB {
		until := max(untilA.Sub(now), untilB.Sub(now))
		c.Header("Retry-After", strconv.Itoa(int(until.Seconds())+1))
		s.Log.WarnContext(c.Request.Context(), "admin: login rate-limited")
		s.renderLogin(c, http.StatusTooManyRequests, name, "admin.login_too_many")
		return
	}
	u, err := s.Press.Authenticate(c.Request.Context(), name, c.PostForm("password"))
	if errors.Is(err, press.ErrForbidden) {
		s.loginByAccount.Fail(acct, now)
		s.loginByAddr.Fail(addr, now)
		s.Log.WarnContext(c.Request.Context(), "admin: login failed")
		s.renderLogin(c, http.StatusUnauthorized, name, "admin.login_failed")
		return
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.loginByAccount.Reset(acct)
	tok, _, err := s.Press.StartSession(c.Request.Context(), u, now)
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.setCookie(c, LoginCSRFCookie, "", -1)
	s.setCookie(c, SessionCookie, tok, int(press.SessionTTL.Seconds()))
	s.setMarker(c, true)
	c.Redirect(http.StatusSeeOther, s.afterLogin(c))
}

func (s *Handler) logout(c *gin.Context) {
	tok, _ := c.Cookie(SessionCookie)
	if err := s.Press.EndSession(c.Request.Context(), tok, &sessionFrom(c).User, s.Now()); err != nil {
		_ = c.Error(err)
		return
	}
	s.setCookie(c, SessionCookie, "", -1)
	s.setMarker(c, false)
	c.Redirect(http.StatusSeeOther, "/admin/login")
}
