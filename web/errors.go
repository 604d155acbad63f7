package web

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
)

// ErrFinished is returned by output methods called after Finish.
var ErrFinished = errors.New("web: response already finished")

// ErrHeadersWritten is returned by methods that change the status or the
// headers after the first Flush sent them.
var ErrHeadersWritten = errors.New("web: headers already written")

// An HTTPError ends a request with an HTTP status. Returned from a verb
// method, Prepare or a middleware, it becomes that status's error page
// through WriteError; its LogMessage is logged (as a warning) and never shown
// to the client. It is Tornado's tornado.web.HTTPError.
type HTTPError struct {
	Status     int    // HTTP status code, e.g. 404
	LogMessage string // logged with the request; not sent to the client
	Reason     string // status-line reason phrase; "" means the standard one
}

// NewHTTPError returns an *HTTPError for status. The optional arguments are
// a log message and its fmt arguments:
//
//	return web.NewHTTPError(404)
//	return web.NewHTTPError(403, "user %d may not edit %q", uid, slug)
func NewHTTPError(status int, logMessage ...any) *HTTPError {
	e := &HTTPError{Status: status}
	if len(logMessage) > 0 {
		e.LogMessage = formatLogMessage(logMessage)
	}
	return e
}

// formatLogMessage formats NewHTTPError's optional arguments: a format and
// its arguments, or values printed as fmt.Sprint does.
func formatLogMessage(args []any) string {
	format, ok := args[0].(string)
	switch {
	case !ok:
		return fmt.Sprint(args...)
	case len(args) == 1:
		return format
	}
	return fmt.Sprintf(format, args[1:]...)
}

// WithReason returns a copy of e whose status line carries reason.
func (e *HTTPError) WithReason(reason string) *HTTPError {
	c := *e
	c.Reason = reason
	return &c
}

// Error formats the error as Tornado does: "HTTP 404: Not Found (message)".
func (e *HTTPError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = StatusReason(e.Status)
	}
	if e.LogMessage != "" {
		return fmt.Sprintf("HTTP %d: %s (%s)", e.Status, reason, e.LogMessage)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, reason)
}

// HTTPStatus reports the status the error stands for.
func (e *HTTPError) HTTPStatus() int { return e.Status }

// MissingArgumentError is the 400 error of GetArgument for a required
// argument that is absent (Tornado's MissingArgumentError).
type MissingArgumentError struct {
	HTTPError
	ArgName string
}

// Unwrap exposes the *HTTPError, so errors.As finds the status.
func (e *MissingArgumentError) Unwrap() error { return &e.HTTPError }

func missingArgument(name string) error {
	return &MissingArgumentError{
		HTTPError: HTTPError{Status: http.StatusBadRequest, LogMessage: "Missing argument " + name},
		ArgName:   name,
	}
}

// A StatusError is any error that knows its HTTP status. *HTTPError and
// *FormError are StatusErrors; an application can define its own, e.g. a
// NotFound error of its data layer, and return it straight from a handler.
type StatusError interface {
	error
	HTTPStatus() int
}

// statusOf finds the HTTP status err stands for: that of the first
// StatusError in its chain, or 500.
func statusOf(err error) (status int, he *HTTPError) {
	if errors.As(err, &he) {
		return he.Status, he
	}
	var se StatusError
	if errors.As(err, &se) {
		return se.HTTPStatus(), nil
	}
	return http.StatusInternalServerError, nil
}

// PanicError is the error a panicking handler turns into: the panic value
// and the goroutine's stack where it was recovered.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value if it was an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

func newPanicError(v any) *PanicError {
	return &PanicError{Value: v, Stack: debug.Stack()}
}

// traceback is the text of the debug error page: the error, and the stack
// where it came from when there is one.
func traceback(err error) string {
	var pe *PanicError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%v\n\n%s", pe, pe.Stack)
	}
	return fmt.Sprintf("%+v\n", err)
}

// StatusReason is the standard reason phrase for code, or "Unknown" as
// Tornado says for codes without one.
func StatusReason(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "Unknown"
}

// validReason reports whether s may stand in a status line: visible
// characters, spaces and tabs, and no '<' (a reason is echoed into the
// default error page; Tornado 6.5 refuses it the same way).
func validReason(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == ' ' || (c > 0x20 && c != 0x7f && c != '<') {
			continue
		}
		return false
	}
	return true
}
