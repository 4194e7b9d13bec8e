// Package admin is the press office's area (/admin): sign-in, sessions
// and roles, the post editor and workflow, attachments, accounts and the
// audit log, over the press store (internal/press).
package admin

import (
	"crypto/subtle"
	"errors"
	"net/http"
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
			if c.Request.Method == http.MethodGet {
				c.Redirect(http.StatusSeeOther, "/admin/login")
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
	if s.sessionOf(c) != nil {
		c.Redirect(http.StatusSeeOther, "/admin")
		return
	}
	s.renderLogin(c, http.StatusOK, "", "")
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
	c.Redirect(http.StatusSeeOther, "/admin")
}

func (s *Handler) logout(c *gin.Context) {
	tok, _ := c.Cookie(SessionCookie)
	if err := s.Press.EndSession(c.Request.Context(), tok, &sessionFrom(c).User, s.Now()); err != nil {
		_ = c.Error(err)
		return
	}
	s.setCookie(c, SessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/admin/login")
}
