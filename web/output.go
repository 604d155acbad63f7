package web

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/tornago/tornago/httputil"
)

// Default header values of every response (Tornado's clear()).
const (
	// ServerHeader is the Server header every response starts with.
	ServerHeader     = "TornadoServer/tornago"
	defaultType      = "text/html; charset=UTF-8"
	jsonContentType  = "application/json; charset=UTF-8"
	plainContentType = "text/plain; charset=UTF-8"
)

// Clear resets the status to 200, the headers to the defaults (Server,
// Content-Type text/html) and discards the buffered body, then runs the
// handler's SetDefaultHeaders, if it has one, as Tornado's clear() does: so
// SendError's error pages keep the headers SetDefaultHeaders sets. (Date,
// Tornado's third default header, is added when the head is sent, from the
// server's cached clock, unless the handler set one.) Cookies set on the
// response are kept, as in Tornado. A Clear inside SetDefaultHeaders does
// not run it again.
func (h *RequestHandler) Clear() {
	if h.out == nil {
		return
	}
	h.out.header.Reset()
	h.out.header.Set("Server", ServerHeader)
	h.out.header.Set("Content-Type", defaultType)
	h.out.buf = h.out.buf[:0]
	h.status = 200
	if h.x != nil {
		h.x.reason = ""
	}
	if h.ht != nil && h.ht.defaultHeaders && !h.inDefaults {
		h.inDefaults = true
		defer func() { h.inDefaults = false }()
		h.self.(defaultHeadersHook).SetDefaultHeaders()
	}
}

// clearForError is SendError's Clear: a panic in SetDefaultHeaders is
// logged and the error page goes out with the plain default headers, since
// the page may be the report of that very panic.
func (h *RequestHandler) clearForError() {
	defer func() {
		if v := recover(); v != nil {
			h.inDefaults = false
			h.app.logUncaught(h, newPanicError(v), "Uncaught exception in SetDefaultHeaders")
			h.inDefaults = true // plain defaults only
			h.Clear()
			h.inDefaults = false
		}
	}()
	h.Clear()
}

// SetStatus sets the response status and, optionally, its reason phrase.
// Without one (or with one that may not stand in a status line) the
// standard phrase is used, "Unknown" for codes without one.
func (h *RequestHandler) SetStatus(code int, reason ...string) {
	h.status = code
	if len(reason) > 0 && reason[0] != "" && validReason(reason[0]) {
		h.ext().reason = reason[0]
	} else if h.x != nil {
		h.x.reason = ""
	}
}

// Status returns the response status.
func (h *RequestHandler) Status() int { return h.status }

// Reason returns the response's reason phrase.
func (h *RequestHandler) Reason() string {
	if h.x != nil && h.x.reason != "" {
		return h.x.reason
	}
	return StatusReason(h.status)
}

// SetHeader sets a response header, replacing any value it had. The value
// may be a string, a []byte, an integer or a time.Time (formatted as an
// HTTP date). A name that is not a token, or a value with CR, LF or another
// control character, is refused with an error: no header injection.
func (h *RequestHandler) SetHeader(name string, value any) error {
	v, err := h.headerValue(name, value)
	if err != nil {
		return err
	}
	h.out.header.Set(name, v)
	return nil
}

// AddHeader adds a value to a response header that may have several.
func (h *RequestHandler) AddHeader(name string, value any) error {
	v, err := h.headerValue(name, value)
	if err != nil {
		return err
	}
	h.out.header.Add(name, v)
	return nil
}

// ClearHeader removes a response header.
func (h *RequestHandler) ClearHeader(name string) {
	if h.out != nil {
		h.out.header.Del(name)
	}
}

// ResponseHeader returns the value of a response header set so far.
func (h *RequestHandler) ResponseHeader(name string) string {
	if h.out == nil {
		return ""
	}
	return h.out.header.Get(name)
}

// ResponseHeaders returns the response headers under construction, for
// reading and for middleware; values added through it are not checked.
func (h *RequestHandler) ResponseHeaders() *httputil.Headers {
	if h.out == nil {
		return new(httputil.Headers)
	}
	return &h.out.header
}

// A HeaderError reports a header name or value refused by SetHeader.
type HeaderError struct {
	Name, Value string
}

func (e *HeaderError) Error() string {
	if !httputil.ValidName(e.Name) {
		return fmt.Sprintf("web: invalid header name %q", e.Name)
	}
	return fmt.Sprintf("web: unsafe header value %q for %s", e.Value, e.Name)
}

func (h *RequestHandler) headerValue(name string, value any) (string, error) {
	if h.out == nil {
		return "", ErrFinished
	}
	var v string
	switch x := value.(type) {
	case string:
		v = x
	case []byte:
		v = string(x)
	case int:
		v = strconv.Itoa(x)
	case int64:
		v = strconv.FormatInt(x, 10)
	case time.Time:
		v = httputil.FormatTimestamp(x)
	case fmt.Stringer:
		v = x.String()
	default:
		rv := reflect.ValueOf(value)
		switch {
		case rv.CanInt():
			v = strconv.FormatInt(rv.Int(), 10)
		case rv.CanUint():
			v = strconv.FormatUint(rv.Uint(), 10)
		default:
			return "", fmt.Errorf("web: header %s: unsupported value type %T", name, value)
		}
	}
	if !httputil.ValidName(name) || !safeHeaderValue(v) {
		return "", &HeaderError{Name: name, Value: v}
	}
	return v, nil
}

// safeHeaderValue allows what Tornado allows: tab, printable ASCII and
// bytes 0x80-0xff; CR, LF and other controls are refused.
func safeHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || (c >= 0x20 && c != 0x7f) {
			continue
		}
		return false
	}
	return true
}

// Write appends chunk to the response body. A string or []byte is written
// as is; a map, a struct (or a pointer to one) or a json.Marshaler is written
// as JSON, with "</" escaped, and the Content-Type becomes
// application/json. Top-level JSON arrays are refused, as in Tornado.
// Writing after Finish returns ErrFinished.
func (h *RequestHandler) Write(chunk any) error {
	if h.finished.Load() || h.out == nil {
		return ErrFinished
	}
	switch v := chunk.(type) {
	case string:
		h.out.buf = append(h.out.buf, v...)
		return nil
	case []byte:
		h.out.buf = append(h.out.buf, v...)
		return nil
	case nil:
		return nil
	}
	return h.writeJSON(chunk)
}

// WriteString appends s to the response body; it makes the handler an
// io.StringWriter.
func (h *RequestHandler) WriteString(s string) (int, error) {
	if h.finished.Load() || h.out == nil {
		return 0, ErrFinished
	}
	h.out.buf = append(h.out.buf, s...)
	return len(s), nil
}

// Writer returns an io.Writer appending to the response body, for
// fmt.Fprintf, templates and encoders.
func (h *RequestHandler) Writer() io.Writer { return bodyWriter{h} }

type bodyWriter struct{ h *RequestHandler }

func (w bodyWriter) Write(p []byte) (int, error) {
	if w.h.finished.Load() || w.h.out == nil {
		return 0, ErrFinished
	}
	w.h.out.buf = append(w.h.out.buf, p...)
	return len(p), nil
}

var errJSONArray = errors.New("web: Write refuses a top-level JSON array (wrap it in an object); see Tornado's write()")

type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonPool = sync.Pool{New: func() any {
	e := &jsonEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

func (h *RequestHandler) writeJSON(v any) error {
	if _, ok := v.(json.Marshaler); !ok {
		t := reflect.TypeOf(v)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map, reflect.Struct:
		case reflect.Slice, reflect.Array:
			return errJSONArray
		default:
			return fmt.Errorf("web: Write takes a string, []byte, map or struct, not %T", v)
		}
	}
	e := jsonPool.Get().(*jsonEncoder)
	defer func() {
		e.buf.Reset()
		jsonPool.Put(e)
	}()
	if err := e.enc.Encode(v); err != nil {
		return fmt.Errorf("web: writing JSON: %w", err)
	}
	h.out.buf = appendJSONEscaped(h.out.buf, bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'}))
	h.out.header.Set("Content-Type", jsonContentType)
	return nil
}

// appendJSONEscaped appends JSON text with "</" written as "<\/", so that
// it cannot close a <script> element it is embedded in.
func appendJSONEscaped(dst, js []byte) []byte {
	for {
		i := bytes.Index(js, []byte("</"))
		if i < 0 {
			return append(dst, js...)
		}
		dst = append(dst, js[:i+1]...)
		dst = append(dst, '\\')
		js = js[i+1:]
	}
}

// Flush sends the headers (the first time) and the body written so far;
// later data goes out chunked unless a Content-Length was set. An inline
// handler's data is queued on the connection; a blocking handler waits until
// it is handed to the kernel, so a slow client slows it down instead of
// filling memory.
func (h *RequestHandler) Flush() error {
	if h.finished.Load() || h.out == nil {
		return ErrFinished
	}
	if h.onWorker {
		return h.onOwner(func(done func(error)) { h.sendOut(false, done) })
	}
	h.sendOut(false, nil)
	return nil
}

// flushThen flushes and calls cb on the owner goroutine once the data is
// handed on: the building block of responses streamed without blocking.
func (h *RequestHandler) flushThen(cb func(error)) {
	if h.finished.Load() || h.out == nil {
		cb(ErrFinished)
		return
	}
	h.sendOut(false, cb)
}

// onOwner runs fn on the owner goroutine and waits for it to call done.
func (h *RequestHandler) onOwner(fn func(done func(error))) error {
	ch := make(chan error, 1)
	h.sink.post(func() { fn(func(err error) { ch <- err }) })
	select {
	case err := <-ch:
		return err
	case <-h.app.closed:
		return ErrServerClosed
	}
}

// ErrServerClosed is returned by a blocking handler's Flush or Finish when
// the application shut down before its response could be sent.
var ErrServerClosed = errors.New("web: application shut down")

// Finish completes the response: on the first call, the automatic ETag and
// its 304, Content-Length, the access log, then OnFinish. A second call
// returns ErrFinished. A verb method that returns without calling it is
// finished for it (unless it called Async).
func (h *RequestHandler) Finish() error {
	if h.finished.Load() || h.out == nil {
		return ErrFinished
	}
	if !h.headersWritten {
		h.beforeFinish()
	}
	h.finished.Store(true)
	if h.ht.onFinish {
		h.callOnFinish()
	}
	var err error
	if h.onWorker {
		err = h.onOwner(func(done func(error)) { done(h.sendLast()) })
	} else {
		err = h.sendLast()
	}
	if !h.executing {
		h.release()
	}
	return err
}

func (h *RequestHandler) callOnFinish() {
	defer func() {
		if v := recover(); v != nil {
			h.app.logUncaught(h, newPanicError(v), "Uncaught exception in OnFinish")
		}
	}()
	h.self.(finishHook).OnFinish()
}

// beforeFinish applies Tornado's finish() rules to a response whose headers
// are still unsent.
func (h *RequestHandler) beforeFinish() {
	o := h.out
	get := h.Request.Method == "GET" || h.Request.Method == "HEAD"
	if h.status == 200 && get && !o.header.Has("Etag") {
		if etag := h.computeEtag(); etag != "" {
			o.header.Set("Etag", etag)
			if h.checkEtagHeader() {
				o.buf = o.buf[:0]
				h.SetStatus(304)
			}
		}
	}
	if h.status == 204 || h.status == 304 || (h.status >= 100 && h.status < 200) {
		o.buf = o.buf[:0]
		o.header.Del("Content-Encoding")
		o.header.Del("Content-Language")
		o.header.Del("Content-Type")
		o.header.Del("Content-Length")
	} else if h.Request.Method == "HEAD" && !o.header.Has("Content-Length") {
		// The body of a HEAD is dropped on the way out; its length stays.
		n := strconv.AppendInt(o.scratch[48:48], int64(len(o.buf)), 10)
		o.header.Set("Content-Length", unsafe.String(&o.scratch[48], len(n)))
	}
}

// computeEtag is the automatic ETag: the handler's ComputeEtag, or the
// quoted SHA-1 of the body, built in the output's scratch space.
func (h *RequestHandler) computeEtag() string {
	if h.ht.computeEtag {
		return h.self.(etagComputer).ComputeEtag()
	}
	sum := sha1.Sum(h.out.buf)
	b := h.out.scratch[:42]
	b[0], b[41] = '"', '"'
	hex.Encode(b[1:41], sum[:])
	return unsafe.String(&b[0], 42)
}

// checkEtagHeader reports whether the request's If-None-Match matches the
// response's Etag, with weak comparison and "*" (Tornado's
// check_etag_header).
func (h *RequestHandler) checkEtagHeader() bool {
	computed := h.out.header.Get("Etag")
	inm := h.Request.Header.Get("If-None-Match")
	if computed == "" || inm == "" {
		return false
	}
	return etagMatches(computed, inm)
}

func etagMatches(computed, ifNoneMatch string) bool {
	val := func(s string) string { return strings.TrimPrefix(s, "W/") }
	first := true
	for s := ifNoneMatch; s != ""; {
		i := strings.IndexAny(s, "*\"")
		if i < 0 {
			break
		}
		if s[i] == '*' {
			if first {
				return true
			}
			s = s[i+1:]
			continue
		}
		start := i
		if i >= 2 && s[i-2:i] == "W/" {
			start = i - 2
		}
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			break
		}
		tag := s[start : i+2+end]
		if val(tag) == val(computed) {
			return true
		}
		first = false
		s = s[i+2+end:]
	}
	return false
}

// sendLast hands the end of the response to the sink and writes the
// access log. It runs on the owner goroutine. The sink's Finish, which lets
// the server reuse the request, waits for release.
func (h *RequestHandler) sendLast() error {
	err := h.sendOut(true, nil)
	if h.closeWatched {
		h.sink.SetCloseCallback(nil)
	}
	if h.x != nil && h.x.cancel != nil {
		h.x.cancel()
	}
	h.app.logRequest(h)
	return err
}

// release completes the finished response in the sink and gives back the
// pooled output, once the handler's code is done with the request: at the
// end of execute (so middleware and deferred code after a Finish still see
// a valid request), or in Finish for an asynchronous response.
func (h *RequestHandler) release() {
	if h.out == nil {
		return
	}
	if h.onWorker {
		h.sink.post(h.releaseOnOwner)
		return
	}
	h.releaseOnOwner()
}

func (h *RequestHandler) releaseOnOwner() {
	if h.detached {
		// Detach finished the server's side.
	} else if err := h.sink.Finish(); err != nil {
		h.app.logger().Debug("web: finishing the response: " + err.Error())
	}
	if h.x != nil && h.x.gz != nil {
		h.x.gz.release()
		h.x.gz = nil
	}
	o := h.out
	h.out = nil
	putOutput(o)
}

// sendOut hands the buffered output to the sink: the status and headers the
// first time (through the transforms), then the body chunk; it finishes the
// response or flushes it. It runs on the owner goroutine.
func (h *RequestHandler) sendOut(finishing bool, cb func(error)) error {
	o := h.out
	if h.detached {
		// The connection belongs to another protocol now.
		o.buf = o.buf[:0]
		h.headersWritten = true
		if !finishing && cb != nil {
			cb(ErrDetachUnsupported)
		}
		return nil
	}
	s := h.sink
	chunk := o.buf
	if !h.headersWritten {
		h.headersWritten = true
		if h.app.settings.CompressResponse {
			chunk = h.gzipFirst(chunk, finishing)
		}
		reason := ""
		if h.x != nil {
			reason = h.x.reason
		}
		s.SetStatus(h.status, reason)
		hdr := s.Header()
		for name, value := range o.header.All() {
			hdr.Add(name, value)
		}
		for i := range o.cookies {
			hdr.Add("Set-Cookie", o.cookies[i].header)
		}
	} else if h.x != nil && h.x.gz != nil {
		chunk = h.x.gz.transform(chunk, finishing)
	}
	if len(chunk) > 0 && h.Request.Method != "HEAD" {
		if _, err := s.Write(chunk); err != nil && cb != nil {
			o.buf = o.buf[:0]
			cb(err)
			return err
		}
	}
	o.buf = o.buf[:0]
	if finishing {
		return nil
	}
	if cb == nil {
		cb = ignoreFlush
	}
	s.Flush(cb)
	return nil
}

func ignoreFlush(error) {}

// Redirect sends a redirect to url and finishes the response: 302 by
// default, or the given 3xx status (301 for a permanent move).
func (h *RequestHandler) Redirect(url string, status ...int) error {
	if h.headersWritten {
		return errors.New("web: cannot redirect after headers have been written")
	}
	code := 302
	if len(status) > 0 {
		code = status[0]
		if code < 300 || code > 399 {
			return fmt.Errorf("web: redirect status %d is not 3xx", code)
		}
	}
	if err := h.SetHeader("Location", url); err != nil {
		return err
	}
	h.SetStatus(code)
	return h.Finish()
}

// RedirectLocal redirects like Redirect, but only to a path on this site:
// a target that is absolute ("http://evil.example/"), protocol-relative
// ("//evil.example") or otherwise not a plain local path is replaced by "/".
// Use it for user-supplied targets such as a login form's "next".
func (h *RequestHandler) RedirectLocal(target string, status ...int) error {
	if !IsLocalURL(target) {
		target = "/"
	}
	return h.Redirect(target, status...)
}

// IsLocalURL reports whether target is a path on the same site: it starts
// with exactly one "/" not followed by "/" or "\" (browsers read "//host"
// and "/\host" as another host), holds no backslash anywhere (browsers turn
// "\" into "/"), no control character or space (browsers drop tabs and
// newlines, so "/\t/host" would become "//host"), and is valid UTF-8. A
// scheme cannot appear: the value starts with "/".
func IsLocalURL(target string) bool {
	if len(target) == 0 || target[0] != '/' {
		return false
	}
	if len(target) > 1 && (target[1] == '/' || target[1] == '\\') {
		return false
	}
	if !utf8.ValidString(target) {
		return false
	}
	for _, r := range target {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
