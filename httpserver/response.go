package httpserver

import (
	"strconv"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// A ResponseWriter builds the response to one request. It is used on the
// connection's loop goroutine only; from elsewhere, go through
// w.Loop().AddCallback. The server reuses it (and the Request) for a
// later request once the handler is done: after ServeHTTP returns if it
// finished there, else after the loop callback that called Finish.
//
// The handler sets the status and headers, writes the body (buffered),
// and calls Finish. The server adds Date and the framing fields
// (Content-Length, Transfer-Encoding: chunked, Connection); it adds no
// Server or Content-Type. Flush sends what is buffered early: the head,
// and the body so far chunked unless the handler set Content-Length.
type ResponseWriter struct {
	ex      *exchange
	c       *conn // nil once the connection is gone
	loop    *ioloop.IOLoop
	header  httputil.Headers
	body    []byte
	status  int
	reason  string
	closeCB func()

	declared int64 // Content-Length the handler set, -1 if none
	sent     int64 // body bytes sent by Flush

	headSent bool
	chunked  bool // the head went out with Transfer-Encoding: chunked
	finished bool
}

// reset prepares w for the next request, keeping capacities.
func (w *ResponseWriter) reset() {
	w.header.Reset()
	w.body = trimBuffer(w.body)
	w.c, w.loop, w.closeCB, w.reason = nil, nil, nil, ""
	w.status, w.declared, w.sent = 200, -1, 0
	w.headSent, w.chunked, w.finished = false, false, false
}

// Header returns the response header fields to set before the head is
// sent (the first Flush, or Finish).
func (w *ResponseWriter) Header() *httputil.Headers { return &w.header }

// SetStatus sets the status code and reason phrase; reason "" (or one
// with control characters) means the standard phrase. The default is 200.
func (w *ResponseWriter) SetStatus(code int, reason string) {
	if !validReason(reason) {
		reason = ""
	}
	w.status, w.reason = code, reason
}

// Status returns the status code set so far (200 by default).
func (w *ResponseWriter) Status() int { return w.status }

// Write appends p to the buffered body. It fails after Finish or once
// the connection is gone.
func (w *ResponseWriter) Write(p []byte) (int, error) {
	if err := w.usable(); err != nil {
		return 0, err
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// WriteString is Write for a string, without converting it.
func (w *ResponseWriter) WriteString(s string) (int, error) {
	if err := w.usable(); err != nil {
		return 0, err
	}
	w.body = append(w.body, s...)
	return len(s), nil
}

func (w *ResponseWriter) usable() error {
	if w.finished {
		return ErrFinished
	}
	if w.c == nil {
		return ErrConnectionClosed
	}
	return nil
}

// Finished reports whether Finish was called (or the connection is gone).
func (w *ResponseWriter) Finished() bool { return w.finished }

// SetCloseCallback sets fn to run (on the loop) if the connection is lost
// before Finish, Tornado's on_connection_close. nil removes it.
func (w *ResponseWriter) SetCloseCallback(fn func()) { w.closeCB = fn }

// Loop returns the loop of the request's connection.
func (w *ResponseWriter) Loop() *ioloop.IOLoop { return w.loop }

// Flush sends the head (the first time) and the body buffered so far.
// Without a Content-Length from the handler, an HTTP/1.1 response goes
// out chunked; an HTTP/1.0 one is delimited by closing the connection. cb
// (may be nil) runs on the loop once the bytes are handed to the kernel,
// or with the error that stopped them. A handler that streams a long
// response waits for cb before writing more: that is its flow control
// (Tornado's flush future); nothing else bounds what it queues.
func (w *ResponseWriter) Flush(cb func(error)) {
	if err := w.usable(); err != nil {
		w.fail(cb, err)
		return
	}
	c := w.c
	c.lc.take(c)
	if !w.headSent {
		if err := w.writeHead(false); err != nil {
			c.abort()
			w.fail(cb, err)
			return
		}
	}
	if err := w.writeBody(); err != nil {
		c.abort()
		w.fail(cb, err)
		return
	}
	c.flushWith(cb)
}

// fail reports err to cb from a later loop callback.
func (w *ResponseWriter) fail(cb func(error), err error) {
	if cb != nil && w.loop != nil {
		w.loop.AddCallback(func() { cb(err) })
	}
}

// Finish completes the response: the head with Content-Length if nothing
// was flushed yet, the rest of the body, the last chunk of a chunked
// response. The connection then reads its next request, or closes.
func (w *ResponseWriter) Finish() error {
	if w.finished {
		return ErrFinished
	}
	c := w.c
	if c == nil {
		w.finished = true
		return ErrConnectionClosed
	}
	c.lc.take(c)
	var err error
	if !w.headSent {
		err = w.writeHead(true)
	}
	if err == nil {
		err = w.writeBody()
	}
	if err == nil && w.chunked {
		c.lc.out = append(c.lc.out, "0\r\n\r\n"...)
	}
	if err == nil && w.declared >= 0 && w.sent != w.declared && w.bodySent() {
		err = ErrContentLength
	}
	w.finished = true
	if err != nil {
		c.abort()
		return err
	}
	c.finishExchange()
	return nil
}

// bodySent reports whether the body of this response goes on the wire
// (not for HEAD, 1xx, 204 and 304).
func (w *ResponseWriter) bodySent() bool {
	return bodyAllowed(w.status) && w.ex.req.Method != "HEAD"
}

// writeHead appends the status line and header fields to the loop's
// output buffer. final says the whole body is buffered (Finish), so
// Content-Length can be computed.
func (w *ResponseWriter) writeHead(final bool) error {
	c, ex := w.c, w.ex
	lc := c.lc
	w.headSent = true

	// The handler's framing fields: Content-Length is checked and kept,
	// Transfer-Encoding is the server's business, a Connection field is
	// kept (an Upgrade needs it) and its close option honoured.
	keep := ex.keep && !c.closing && !lc.draining
	if v, ok := w.header.Lookup("Content-Length"); ok {
		n, valid := parseDigits(v)
		if !valid {
			return ErrContentLength
		}
		w.declared = n
	}
	if w.header.Has("Transfer-Encoding") {
		w.header.Del("Transfer-Encoding")
	}
	userConn, hasConn := w.header.Lookup("Connection")
	if hasConn && hasCloseOption(userConn) {
		keep = false
	}

	length := int64(-1)
	switch {
	case !bodyAllowed(w.status):
		// 1xx, 204, 304: no content, no framing fields (a 304 may
		// keep the handler's Content-Length: it describes the
		// representation, RFC 9110 section 8.6).
		if w.status != 304 && w.declared >= 0 {
			w.header.Del("Content-Length")
		}
	case ex.req.Method == "HEAD":
		if final && w.declared < 0 {
			length = int64(len(w.body)) // the would-be body's length, as Tornado
		}
	case w.declared >= 0:
		if final && int64(len(w.body)) != w.declared {
			return ErrContentLength
		}
	case final:
		length = int64(len(w.body))
	case ex.req.Version == "HTTP/1.1":
		w.chunked = true
	default:
		keep = false // HTTP/1.0 without a length: the close ends the body
	}
	if !keep {
		c.closing = true
	}

	out := appendStatusLine(lc.out, w.status, w.reason)
	if !w.header.Has("Date") {
		out = append(out, lc.date...)
	}
	out = w.header.AppendTo(out)
	if length >= 0 {
		out = append(out, "Content-Length: "...)
		out = strconv.AppendInt(out, length, 10)
		out = append(out, '\r', '\n')
	}
	if w.chunked {
		out = append(out, "Transfer-Encoding: chunked\r\n"...)
	}
	if !hasConn {
		switch {
		case !keep && ex.req.Version == "HTTP/1.1":
			out = append(out, "Connection: close\r\n"...)
		case keep && ex.req.Version == "HTTP/1.0":
			out = append(out, "Connection: Keep-Alive\r\n"...)
		}
	}
	lc.out = append(out, '\r', '\n')
	return nil
}

// writeBody moves the buffered body to the output: behind the head in the
// loop's buffer when small, straight to the stream when large, as one
// chunk for a chunked response; not at all for HEAD, 1xx, 204 and 304.
func (w *ResponseWriter) writeBody() error {
	body := w.body
	w.body = w.body[:0]
	if len(body) == 0 || !w.bodySent() {
		return nil
	}
	w.sent += int64(len(body))
	if w.declared >= 0 && w.sent > w.declared {
		return ErrContentLength
	}
	c := w.c
	lc := c.lc
	if w.chunked {
		lc.out = strconv.AppendInt(lc.out, int64(len(body)), 16)
		lc.out = append(lc.out, '\r', '\n')
	}
	if len(body) < bigBody {
		lc.out = append(lc.out, body...)
	} else {
		c.flush()
		c.s.Write(body, nil)
	}
	if w.chunked {
		lc.out = append(lc.out, '\r', '\n')
	}
	return nil
}

// Detach takes the connection away from the HTTP server, Tornado's
// HTTP1Connection.detach, for a protocol that takes over after this
// request (a WebSocket handshake). Responses queued before are sent
// first; then the server writes nothing more, sets no more timeouts and
// forgets the connection. The caller owns the stream and must close it;
// input the client sent after this request stays buffered in the stream
// for the caller's first read. w counts as finished. The stream's input
// limit goes back to iostream's default (the server's is sized for
// request heads); the new protocol sets its own with SetMaxReadBuffer.
func (w *ResponseWriter) Detach() (*iostream.IOStream, error) {
	if err := w.usable(); err != nil {
		return nil, err
	}
	c := w.c
	c.flush()
	c.state = stDetached
	c.hasDeadline = false
	c.lc.loop.Cancel(&c.timer)
	c.lc.removeConn(c)
	c.uncount()
	c.s.SetDataHandler(nil)
	c.s.SetMaxReadBuffer(iostream.DefaultMaxReadBuffer)
	w.finished = true
	w.c = nil
	ex := c.ex
	c.ex = nil
	if ex.inServe {
		ex.finished = true
	} else {
		c.lc.loop.AddCallback(ex.release)
	}
	return c.s, nil
}

// parseDigits parses a Content-Length the handler set.
func parseDigits(s string) (int64, bool) {
	if s == "" || len(s) > maxLengthDigits {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// hasCloseOption reports whether a Connection value lists "close".
func hasCloseOption(v string) bool {
	h := headInfo{}
	connectionOptions([]byte(v), &h)
	return h.connClose
}
