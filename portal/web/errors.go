package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
)

// Every error a handler or middleware reports with c.Error becomes its
// answer here, in one place: the error's kind (internal/apperr) gives the
// status, the route group the form — a page for readers, the API's JSON,
// the metadata's JSON or the feeds' plain text. Only pages that show a
// form again with the reader's input and the reason (sign-in, the post
// editor, the news filters) and the readiness probe set a status of their
// own.

// Errors handlers report without a message of their own.
var (
	ErrNotFound         = &apperr.Error{Kind: apperr.NotFound}
	ErrMethodNotAllowed = &apperr.Error{Kind: apperr.MethodNotAllowed}
	ErrBadRequest       = &apperr.Error{Kind: apperr.Invalid}
	ErrInternal         = &apperr.Error{Kind: apperr.Internal}
	ErrTooLarge         = &apperr.Error{Kind: apperr.TooLarge}
	ErrForbidden        = &apperr.Error{Kind: apperr.Forbidden}
	ErrConflict         = &apperr.Error{Kind: apperr.Conflict}
)

// errTooManyRequests is a client over its rate limit, told when to retry.
func errTooManyRequests(retryAfterSeconds int) *apperr.Error {
	return &apperr.Error{Kind: apperr.TooManyRequests, Key: "api.error.rate_limited", Args: []any{retryAfterSeconds}}
}

// errorForm is how a route group words its errors.
type errorForm uint8

const (
	pageErrors     errorForm = iota // an HTML page in the reader's language
	apiErrors                       // {"error": {"code", "message": {"id", "en"}}}
	metadataErrors                  // {"error": {"status", "code", "message"}}, indented
	textErrors                      // one line of plain text (feeds)
)

// errorFormOf is the form of the route group path belongs to.
func errorFormOf(path string) errorForm {
	switch {
	case IsAPIPath(path):
		return apiErrors
	case path == "/catalog.jsonld" || strings.HasPrefix(path, "/dataset/") && strings.HasSuffix(path, "/datapackage.json"):
		return metadataErrors
	case path == "/feed.xml" || path == "/feed.atom" || path == "/feed.json":
		return textErrors
	}
	return pageErrors
}

// ErrorHandler answers the last error a handler reported, unless the
// handler already wrote an answer.
func (s *Site) ErrorHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) > 0 && !c.Writer.Written() {
			s.AnswerError(c, c.Errors.Last().Err)
		}
	}
}

// Recovery turns a panic anywhere after it in the chain into a logged
// Internal error, answered like any other.
func (s *Site) Recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.Log.ErrorContext(c.Request.Context(), "panic in handler",
					"route", c.FullPath(), "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
				c.Abort()
				if !c.Writer.Written() {
					s.AnswerError(c, ErrInternal.Wrap(fmt.Errorf("panic: %v", rec)))
				}
			}
		}()
		c.Next()
	}
}

// AnswerError writes the answer to err: the one place where errors become
// HTTP statuses and bodies.
func (s *Site) AnswerError(c *gin.Context, err error) {
	if clientGone(c, err) {
		return
	}
	e := apperr.From(err)
	status := e.Kind.Status()
	if e.Kind == apperr.Internal {
		s.Log.ErrorContext(c.Request.Context(), "request failed",
			"method", c.Request.Method, "route", c.FullPath(), "err", err)
	}
	h := c.Writer.Header()
	// The validators and cache lifetime set for a good answer must not
	// make an error answer look current.
	for _, k := range []string{"ETag", "Last-Modified", "Link"} {
		h.Del(k)
	}
	h.Set("Cache-Control", "no-store")
	lang := string(LangOf(c))
	switch errorFormOf(c.Request.URL.Path) {
	case apiErrors:
		if e.Kind == apperr.MethodNotAllowed {
			h.Set("Allow", APIMethods)
		}
		c.JSON(status, APIErrorBody{APIErrorDetail{e.CodeOrDefault(), s.messageOf(c, e)}})
	case metadataErrors:
		WriteJSON(c, status, "application/json; charset=utf-8", map[string]any{"error": map[string]any{
			"status": status, "code": e.CodeOrDefault(), "message": s.messageOf(c, e).In(lang)}})
	case textErrors:
		c.String(status, "%s\n", s.messageOf(c, e).In(lang))
	default:
		p := s.NewPage(c, "")
		p.Status = status
		p.ErrorTitle, p.ErrorBody = pageKeys(e.Kind)
		p.ErrorDetail = e.Message(s.Cat).In(lang)
		s.Render(c, status, "error", p)
	}
}

// messageOf is the error's message, or its kind's when it has none.
func (s *Site) messageOf(c *gin.Context, e *apperr.Error) i18n.Text {
	if m := e.Message(s.Cat); m != (i18n.Text{}) {
		return m
	}
	key, args := "api.error.internal", []any(nil)
	switch e.Kind {
	case apperr.NotFound:
		key, args = "api.error.not_found", []any{c.Request.URL.Path}
	case apperr.MethodNotAllowed:
		key, args = "api.error.method_not_allowed", []any{c.Request.Method}
	case apperr.Invalid, apperr.Forbidden, apperr.Conflict, apperr.TooLarge:
		key = "api.error.bad_request"
	case apperr.Unavailable:
		key = "error.503.body"
	}
	return s.Cat.Both(key, args...)
}

// pageKeys are the catalogue keys of an error page's title and body: its
// status's (a method not allowed reads as a bad request).
func pageKeys(k apperr.Kind) (title, body string) {
	status := k.Status()
	if k == apperr.MethodNotAllowed {
		status = http.StatusBadRequest
	}
	return fmt.Sprintf("error.%d.title", status), fmt.Sprintf("error.%d.body", status)
}

// StatusClientClosed is what the request log and metrics show for a
// request whose client went away before the answer (nginx's 499): no
// answer is sent, and it is not a server error.
const StatusClientClosed = 499

// clientGone reports, having set status 499, whether err is only the
// request's context ending because the client closed the connection.
func clientGone(c *gin.Context, err error) bool {
	if c.Request.Context().Err() == nil || !errors.Is(err, context.Canceled) {
		return false
	}
	c.Status(StatusClientClosed)
	return true
}

// APIMethods are the methods every API path answers.
const APIMethods = "GET, HEAD, OPTIONS"

// IsAPIPath reports whether p is under /api, the JSON API's route group.
func IsAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }

// APIErrorBody is the API's error answer.
type APIErrorBody struct {
	Error APIErrorDetail `json:"error"`
}

type APIErrorDetail struct {
	Code    string    `json:"code"`
	Message i18n.Text `json:"message"`
}

// WriteJSON writes v as indented JSON, for people who read it (the
// metadata documents and their errors).
func WriteJSON(c *gin.Context, status int, contentType string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		_ = c.Error(fmt.Errorf("web: encode JSON: %w", err))
		return
	}
	c.Data(status, contentType, append(b, '\n'))
}
