// Package apperr is the portal's one error type for what a reader is told:
// a kind that decides the HTTP status, a machine-readable code for JSON
// answers, the message (from the catalogue, or composed in both
// languages) and the field at fault. Domain packages return these; the
// site turns any error into its answer in one middleware
// (portal/web/errors.go), by route group, as a page, JSON or text.
package apperr

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// Kind is the class of an error, which decides its HTTP status.
type Kind uint8

// The kinds. The zero Kind is Internal: an error nobody classified is the
// server's fault, logged and answered with 500.
const (
	Internal         Kind = iota
	Invalid               // 400: a parameter or form field is wrong
	Forbidden             // 403: not allowed, or the form expired
	NotFound              // 404: no such page, dataset, release or post
	MethodNotAllowed      // 405
	Conflict              // 409: not possible in the current state
	TooLarge              // 413: a body over the limit
	TooManyRequests       // 429: the client's rate limit
	Unavailable           // 503: nothing published yet
)

var statuses = [...]int{
	Internal:         http.StatusInternalServerError,
	Invalid:          http.StatusBadRequest,
	Forbidden:        http.StatusForbidden,
	NotFound:         http.StatusNotFound,
	MethodNotAllowed: http.StatusMethodNotAllowed,
	Conflict:         http.StatusConflict,
	TooLarge:         http.StatusRequestEntityTooLarge,
	TooManyRequests:  http.StatusTooManyRequests,
	Unavailable:      http.StatusServiceUnavailable,
}

// Status is the HTTP status of the kind.
func (k Kind) Status() int {
	if int(k) < len(statuses) {
		return statuses[k]
	}
	return http.StatusInternalServerError
}

// codes are the machine-readable codes of errors that give none.
var codes = [...]string{
	Internal:         "internal",
	Invalid:          "bad_request",
	Forbidden:        "forbidden",
	NotFound:         "not_found",
	MethodNotAllowed: "method_not_allowed",
	Conflict:         "conflict",
	TooLarge:         "too_large",
	TooManyRequests:  "rate_limited",
	Unavailable:      "unavailable",
}

// Error is an error the reader is told about.
type Error struct {
	Kind Kind
	// Code is machine-readable ("bad_value", "unknown_release"); empty
	// means the kind's default code.
	Code string
	// Key and Args name the message in the catalogue (internal/i18n);
	// Msg is a message composed in both languages instead. Neither: the
	// kind's generic message.
	Key  string
	Args []any
	Msg  i18n.Text
	// Field is the parameter or form field at fault, if one is.
	Field string
	// Err is the cause, for the log; never shown.
	Err error
}

// New is an error of kind with a code and a message in both languages.
func New(kind Kind, code string, msg i18n.Text) *Error {
	return &Error{Kind: kind, Code: code, Msg: msg}
}

// Invalidf is a 400 with a code and a message composed in both languages
// from the formats id and en and their common args.
func Invalidf(code, id, en string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: code, Msg: i18n.Text{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}}
}

// FieldError is a 400 about one form field: the catalogue key says why.
func FieldError(field, key string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: "invalid", Field: field, Key: key, Args: args}
}

// BadValue is a 400 about one query parameter whose value is not
// allowed: the catalogue key says what is.
func BadValue(param, key string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: "bad_value", Field: param, Key: key, Args: args}
}

// Error describes the error for logs and tests, in English.
func (e *Error) Error() string {
	var msg string
	switch {
	case e.Msg.EN != "" || e.Msg.ID != "":
		msg = e.Msg.In("en")
	case e.Key != "":
		msg = e.Key
		if cat, err := i18n.Messages(); err == nil && cat.Has(e.Key) {
			msg = cat.T(i18n.EN, e.Key, e.Args...)
		} else if len(e.Args) > 0 {
			msg += fmt.Sprint(e.Args...)
		}
	default:
		msg = http.StatusText(e.Kind.Status())
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return e.CodeOrDefault() + ": " + msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, target) true for two errors of the same kind and
// code, so a sentinel such as NotFound matches a copy with a cause.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.CodeOrDefault() == e.CodeOrDefault() && t.Field == e.Field
}

// CodeOrDefault is the error's code, or its kind's when it gives none.
func (e *Error) CodeOrDefault() string {
	if e.Code != "" {
		return e.Code
	}
	if int(e.Kind) < len(codes) {
		return codes[e.Kind]
	}
	return codes[Internal]
}

// Wrap is a copy of e with err as its cause.
func (e *Error) Wrap(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// From finds the *Error in err's chain; an error without one is Internal,
// with err as its cause. A nil err gives nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Err: err}
}

// Message is the error's message in both languages: Msg, or the
// catalogue's text of Key; empty when it has neither.
func (e *Error) Message(cat *i18n.Catalog) i18n.Text {
	switch {
	case e.Msg != (i18n.Text{}):
		return e.Msg
	case e.Key != "" && cat != nil:
		return i18n.Text{ID: cat.T(i18n.ID, e.Key, e.Args...), EN: cat.T(i18n.EN, e.Key, e.Args...)}
	}
	return i18n.Text{}
}

// KindOf is the kind of err (Internal when it carries none).
func KindOf(err error) Kind { return From(err).Kind }
