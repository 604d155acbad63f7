package web

import (
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/httpserver"
)

// serve runs one request through the application: find the route, copy the
// handler prototype, and execute it inline, or on the worker pool for a
// blocking handler.
func (app *Application) serve(s sink, r *httpserver.Request) {
	app.serveStart(s, r, time.Time{})
}

// serveStart is serve for a request whose start time the sink knows better
// than the request (the bridge, recordings).
func (app *Application) serveStart(s sink, r *httpserver.Request, start time.Time) {
	rt, args, matchErr := app.find(r)
	if l := r.Loop(); l != nil {
		l.SetActivity(rt.activity) // names the route if the loop gets stuck
	}
	if rt.maxBody > 0 && int64(len(r.Body)) > rt.maxBody && matchErr == nil {
		// The server refuses these from the head; in process the body is
		// here already.
		matchErr = NewHTTPError(413)
	}
	if rt.ht.streaming && matchErr == nil {
		app.serveWholeStreamed(s, r, rt, args, start)
		return
	}
	hv := rt.ht.newHandler(rt.proto, rt.protoZero)
	h := hv.base()
	h.init(app, rt, hv, s, r, args)
	if !start.IsZero() {
		h.ext().start = start
	}
	if rt.blocking {
		h.onWorker = true
		h.newContext() // on the owner goroutine, which the close callback needs
		// Submitted from a callback: by then the server has detached the
		// request from its read buffer (ServeHTTP returned unfinished).
		s.post(func() { app.pool.submit(func() { h.execute(matchErr) }) })
		return
	}
	h.execute(matchErr)
}

// execute is Tornado's _execute: default headers, the middleware chain
// around the handler's methods, errors to error pages, then the automatic
// Finish.
func (h *RequestHandler) execute(matchErr error) {
	h.executing = true
	defer func() {
		if v := recover(); v != nil {
			h.handleError(newPanicError(v))
			h.autoFinish()
		}
		h.executing = false
		if h.finished.Load() {
			h.release()
		}
	}()
	h.Clear() // the default headers, then the handler's SetDefaultHeaders
	err := matchErr
	if err == nil {
		err = h.app.chain(h)
	}
	if err != nil {
		h.handleError(err)
	}
	h.autoFinish()
}

func (h *RequestHandler) autoFinish() {
	if !h.async && !h.finished.Load() && h.out != nil {
		if err := h.Finish(); err != nil && !errors.Is(err, ErrFinished) {
			h.app.logger().Debug("web: finishing response: " + err.Error())
		}
	}
}

// runHandler is the innermost step of the middleware chain: method check,
// body arguments, XSRF, Prepare, the verb method.
func (app *Application) runHandler(h *RequestHandler) error {
	m := methodIndex(h.Request.Method)
	if m < 0 {
		return NewHTTPError(405)
	}
	streaming := h.x != nil && h.x.stream != nil
	if !streaming {
		if err := h.parseBody(); err != nil {
			return err
		}
	}
	if app.settings.XSRFCookies && m != mGet && m != mHead && m != mOptions && !h.ht.xsrfExempt {
		if err := h.self.(xsrfChecker).CheckXSRFCookie(); err != nil {
			return err
		}
	}
	if h.ht.prepare {
		if err := h.self.(preparer).Prepare(); err != nil {
			return err
		}
		if h.finished.Load() {
			return nil
		}
	}
	verb := h.ht.verbs[m]
	if verb == nil {
		return NewHTTPError(405)
	}
	if h.ht.removeSlash || h.ht.addSlash {
		if err := h.canonicalSlash(); err != nil {
			return err
		}
	}
	if h.ht.authenticated {
		if err := h.Authenticate(); err != nil {
			return err
		}
	}
	if streaming {
		// The head's part ends here; the verb method runs once the
		// body is in (bodyDone).
		h.x.stream.verb = verb
		return nil
	}
	return h.callVerb(verb)
}

// callVerb runs the verb method and reports its error, or the error a
// helper recorded for it.
func (h *RequestHandler) callVerb(verb verbFunc) error {
	err := verb(h.self, h.pathArgs)
	if err == nil && h.x != nil && h.x.userErr != nil {
		err = h.x.userErr
	}
	return err
}

// parseBody parses a form body before the handler runs, as Tornado does, so
// a malformed one is a 400 before any handler code.
func (h *RequestHandler) parseBody() error {
	r := h.Request
	if len(r.Body) == 0 {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return nil
	}
	if _, err := r.BodyArguments(); err != nil {
		return NewHTTPError(400, "Invalid body: %v", err)
	}
	return nil
}

// handleError logs err as Tornado's log_exception does and sends its error
// page, unless the response is already finished.
func (h *RequestHandler) handleError(err error) {
	if errors.Is(err, ErrHandled) {
		return
	}
	status, he := statusOf(err)
	switch {
	case he != nil:
		if he.LogMessage != "" {
			h.app.logger().Warn(fmt.Sprintf("%d %s: %s", he.Status, h.requestSummary(), he.LogMessage))
		}
	case status < 500:
		h.app.logger().Warn(fmt.Sprintf("%d %s: %v", status, h.requestSummary(), err))
	default:
		h.app.logUncaught(h, err, "Uncaught exception")
	}
	if h.finished.Load() || h.out == nil {
		return
	}
	if err := h.SendError(status, err); err != nil && !errors.Is(err, ErrFinished) {
		h.app.logger().Debug("web: sending error page: " + err.Error())
	}
}

// SendError discards the unsent output, resets the headers with Clear (so
// the page keeps what SetDefaultHeaders sets, as in Tornado) and sends the
// error page of status through WriteError (the handler's own, or Tornado's default page). The
// optional error is passed on to WriteError; with ServeTraceback the
// default page shows it. If the headers were already flushed, it can only
// finish the response.
func (h *RequestHandler) SendError(status int, errs ...error) error {
	var err error
	if len(errs) > 0 {
		err = errs[0]
	}
	if h.finished.Load() || h.out == nil {
		return ErrFinished
	}
	if h.headersWritten {
		h.app.logger().Error("Cannot send error response after headers written: " + h.requestSummary())
		return h.Finish()
	}
	h.clearForError() // re-runs SetDefaultHeaders, as Tornado's clear()
	reason := ""
	var he *HTTPError
	if errors.As(err, &he) {
		reason = he.Reason
	}
	h.SetStatus(status, reason)
	if status == 405 && h.ht.allow != "" {
		h.out.header.Set("Allow", h.ht.allow)
	}
	if status != 304 {
		if werr := h.callWriteError(status, err); werr != nil {
			h.app.logUncaught(h, werr, "Uncaught exception in WriteError")
		}
	}
	if !h.finished.Load() {
		return h.Finish()
	}
	return nil
}

func (h *RequestHandler) callWriteError(status int, err error) (werr error) {
	defer func() {
		if v := recover(); v != nil {
			werr = newPanicError(v)
		}
	}()
	return h.self.(errorWriter).WriteError(status, err)
}

// WriteError writes the error page of status: Tornado's
// "<html><title>404: Not Found</title>..." page, or, with ServeTraceback
// (Debug) and an error, the error and its stack as plain text. Define
// WriteError on your handler to make your own pages; err is what the
// handler returned (nil for SendError without one).
func (h *RequestHandler) WriteError(status int, err error) error {
	if err != nil && h.app.settings.serveTraceback() {
		h.out.header.Set("Content-Type", plainContentType)
		h.WriteString(traceback(err))
		return h.Finish()
	}
	reason := escape.XHTMLEscape(h.Reason())
	var b strings.Builder
	fmt.Fprintf(&b, "<html><title>%d: %s</title><body>%d: %s</body></html>", status, reason, status, reason)
	h.WriteString(b.String())
	return h.Finish()
}

// requestSummary is Tornado's "GET /path?x=1 (127.0.0.1)".
func (h *RequestHandler) requestSummary() string {
	r := h.Request
	return r.Method + " " + r.URI + " (" + r.RemoteIP + ")"
}
