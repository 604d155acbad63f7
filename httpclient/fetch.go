package httpclient

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

const (
	// maxChunkLine bounds a chunk-size line (size plus extensions).
	maxChunkLine = 4 << 10
)

var (
	errRequestTimeout = errors.New("httpclient: timeout during request")
	errQueueTimeout   = errors.New("httpclient: timeout in request queue")
	errBodyTooLarge   = errors.New("httpclient: response body exceeds MaxBodySize")
	crlf2             = []byte("\r\n\r\n")
	crlf              = []byte("\r\n")
)

// fetch is one Fetch call, across its redirects. It lives on the loop.
type fetch struct {
	c       *Client
	orig    *Request
	cb      func(*Response)
	start   time.Time
	timeout *ioloop.Timeout
	queued  bool
	holding bool // holds one of the MaxClients slots
	done    bool

	cur           *Request
	u             *url.URL
	key           string
	redirects     int
	dial          *dialer
	connTimeout   *ioloop.Timeout
	s             *iostream.IOStream
	reused        bool
	retried       bool
	gotBytes      bool
	chunkedUpload bool
	producing     bool // a BodyProducer has not finished: the connection is not reusable

	// the response being read
	code       int
	reason     string
	header     httputil.Headers
	body       []byte
	keepAlive  bool
	gzipped    bool
	redirect   bool
	bodyTooBig bool
}

// run starts (or, for a redirect, restarts) the fetch with req. The slot
// is already held.
func (f *fetch) run(req *Request) {
	f.holding = true
	f.cur = req
	u, err := url.Parse(req.URL)
	if err != nil {
		f.fail(599, "bad URL", fmt.Errorf("httpclient: %w", err))
		return
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		f.fail(599, "unsupported URL scheme", fmt.Errorf("httpclient: unsupported scheme %q in %q", u.Scheme, req.URL))
		return
	}
	if u.Hostname() == "" {
		f.fail(599, "bad URL", fmt.Errorf("httpclient: no host in %q", req.URL))
		return
	}
	f.u = u
	f.key = u.Scheme + "://" + hostPort(u)
	f.reused, f.retried = false, false
	f.connect()
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	h := u.Hostname()
	if strings.IndexByte(h, ':') >= 0 {
		return "[" + h + "]:" + port
	}
	return h + ":" + port
}

func (f *fetch) connect() {
	if s := f.c.getIdle(f.key); s != nil {
		f.reused = true
		f.send(s)
		return
	}
	host := f.u.Hostname()
	port, err := strconv.Atoi(f.u.Port())
	if f.u.Port() == "" {
		port, err = 80, nil
		if f.u.Scheme == "https" {
			port = 443
		}
	}
	if err != nil || port <= 0 || port > 65535 {
		f.fail(599, "bad port", fmt.Errorf("httpclient: bad port in %q", f.cur.URL))
		return
	}
	f.connTimeout = f.c.loop.CallLater(f.cur.connectTimeout(), func() {
		f.connTimeout = nil
		f.fail(599, "Timeout while connecting", errConnectTimeout)
	})
	done := func(s *iostream.IOStream, err error) {
		f.dial = nil
		f.c.loop.RemoveTimeout(f.connTimeout)
		f.connTimeout = nil
		if f.done {
			if s != nil {
				s.Close()
			}
			return
		}
		if err != nil {
			f.fail(599, err.Error(), err)
			return
		}
		f.c.connects++
		f.send(s)
	}
	if f.u.Scheme == "https" {
		f.dial = startTLSDial(f.c.loop, host, port, f.cur.TLSConfig, done)
	} else {
		f.dial = startDial(f.c.loop, host, port, done)
	}
}

// send writes the request head (and body) on s and starts reading.
func (f *fetch) send(s *iostream.IOStream) {
	f.s = s
	f.gotBytes = false
	req := f.cur
	method := req.method()
	h := req.Header.Clone()
	if !h.Has("Host") {
		h.Set("Host", f.u.Host)
	}
	if !h.Has("User-Agent") {
		ua := req.UserAgent
		if ua == "" {
			ua = DefaultUserAgent
		}
		h.Set("User-Agent", ua)
	}
	if req.DecompressResponse() && !h.Has("Accept-Encoding") {
		h.Set("Accept-Encoding", "gzip")
	}
	user, pass := req.AuthUsername, req.AuthPassword
	if user == "" && f.u.User != nil {
		user = f.u.User.Username()
		pass, _ = f.u.User.Password()
	}
	if user != "" && !h.Has("Authorization") {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
	}
	f.chunkedUpload = false
	switch {
	case req.BodyProducer != nil:
		if !h.Has("Content-Length") {
			h.Set("Transfer-Encoding", "chunked")
			f.chunkedUpload = true
		}
	case req.Body != nil || method == "POST" || method == "PUT" || method == "PATCH":
		h.Set("Content-Length", strconv.Itoa(len(req.Body)))
	}
	for name, value := range h.All() {
		if err := httputil.CheckField(name, value); err != nil {
			f.fail(599, "bad request header", fmt.Errorf("httpclient: %w", err))
			return
		}
	}
	target := f.u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if f.u.RawQuery != "" {
		target += "?" + f.u.RawQuery
	}
	if strings.ContainsAny(method, " \r\n") || strings.ContainsAny(target, " \r\n") {
		f.fail(599, "bad request line", errors.New("httpclient: invalid method or target"))
		return
	}
	buf := make([]byte, 0, 256+len(req.Body))
	buf = append(buf, method...)
	buf = append(buf, ' ')
	buf = append(buf, target...)
	buf = append(buf, " HTTP/1.1\r\n"...)
	buf = h.AppendTo(buf)
	buf = append(buf, crlf...)
	if req.BodyProducer == nil {
		buf = append(buf, req.Body...)
	}
	s.Write(buf, nil)
	if req.BodyProducer != nil {
		f.produce(s, req.BodyProducer)
	}
	f.readHead()
}

func (f *fetch) produce(s *iostream.IOStream, p BodyProducer) {
	chunked := f.chunkedUpload
	write := func(data []byte) *ioloop.Future {
		if f.done || f.s != s {
			fut := ioloop.NewFuture()
			fut.SetError(iostream.ErrStreamClosed)
			return fut
		}
		if !chunked {
			return s.WriteFuture(data)
		}
		if len(data) == 0 {
			fut := ioloop.NewFuture()
			fut.SetResult(nil)
			return fut
		}
		b := make([]byte, 0, len(data)+20)
		b = strconv.AppendInt(b, int64(len(data)), 16)
		b = append(b, crlf...)
		b = append(b, data...)
		b = append(b, crlf...)
		return s.WriteFuture(b)
	}
	f.producing = true
	fut := p(write)
	if fut == nil {
		fut = ioloop.NewFuture()
		fut.SetResult(nil)
	}
	fut.AddDoneCallback(func(fut *ioloop.Future) {
		if f.s == s {
			f.producing = false
		}
		if _, err := fut.Result(); err != nil {
			f.fail(599, "body producer failed", fmt.Errorf("httpclient: body producer: %w", err))
			return
		}
		if chunked && !f.done && f.s == s {
			s.Write([]byte("0\r\n\r\n"), nil)
		}
	})
}

func (f *fetch) readHead() {
	s := f.s
	s.ReadUntil(crlf2, f.c.opts.MaxHeaderSize, func(data []byte, err error) {
		if f.done || f.s != s {
			return
		}
		if err != nil {
			f.connLost(err)
			return
		}
		f.gotBytes = true
		f.onHead(string(data))
	})
}

// connLost handles a connection that failed before the response was
// complete. A reused keep-alive connection that failed before any response
// byte was probably closed by the server while idle: an idempotent request
// is sent once more on a new connection (as net/http does); a POST is not,
// since the server may have acted on it.
func (f *fetch) connLost(err error) {
	if f.reused && !f.gotBytes && !f.retried && f.cur.BodyProducer == nil && idempotent(f.cur.method()) {
		f.s.Close()
		f.s = nil
		f.retried = true
		f.reused = false
		f.connect()
		return
	}
	f.fail(599, "Stream closed", fmt.Errorf("httpclient: connection lost: %w", err))
}

func (f *fetch) onHead(head string) {
	first, rest, _ := strings.Cut(head, "\n")
	line := strings.TrimSuffix(first, "\r")
	version, code, reason, ok := parseStatusLine(line)
	if !ok {
		f.fail(599, "malformed response", fmt.Errorf("httpclient: malformed status line %q", line))
		return
	}
	hdr, err := httputil.ParseHeaders(rest)
	if err != nil {
		f.fail(599, "malformed response", fmt.Errorf("httpclient: response headers: %w", err))
		return
	}
	if code < 200 && code != 101 {
		f.readHead() // 100 Continue and other interim responses
		return
	}
	f.code, f.reason, f.header = code, reason, hdr
	f.body = nil
	f.bodyTooBig = false
	conn := strings.ToLower(hdr.Get("Connection"))
	if version == "HTTP/1.1" {
		f.keepAlive = !strings.Contains(conn, "close")
	} else {
		f.keepAlive = strings.Contains(conn, "keep-alive")
	}
	f.gzipped = f.cur.DecompressResponse() && strings.EqualFold(strings.TrimSpace(hdr.Get("Content-Encoding")), "gzip")
	f.redirect = f.shouldRedirect()
	if !f.redirect && f.cur.HeaderCallback != nil {
		f.cur.HeaderCallback(first + "\n")
		for l := range strings.SplitAfterSeq(rest, "\n") {
			if l != "" {
				f.cur.HeaderCallback(l)
			}
		}
	}
	method := f.cur.method()
	switch {
	case method == "HEAD" || code == 204 || code == 304 || code == 101:
		f.bodyDone()
	case strings.Contains(strings.ToLower(hdr.Get("Transfer-Encoding")), "chunked"):
		f.readChunkSize()
	case hdr.Has("Content-Length"):
		vals := hdr.Values("Content-Length")
		n, err := strconv.ParseInt(strings.TrimSpace(vals[0]), 10, 64)
		for _, v := range vals[1:] {
			if strings.TrimSpace(v) != strings.TrimSpace(vals[0]) {
				err = errors.New("conflicting values")
			}
		}
		if err != nil || n < 0 {
			f.fail(599, "malformed response", fmt.Errorf("httpclient: bad Content-Length %q", hdr.Get("Content-Length")))
			return
		}
		if n > int64(f.c.opts.MaxBodySize) && (f.cur.StreamingCallback == nil || f.gzipped) {
			f.fail(599, "body too large", errBodyTooLarge)
			return
		}
		if n == 0 {
			f.bodyDone()
			return
		}
		s := f.s
		s.ReadBytesStreaming(int(n), f.onData, func(err error) {
			if f.done || f.s != s {
				return
			}
			if err != nil {
				f.connLost(err)
				return
			}
			f.bodyDone()
		})
	default:
		// The body runs to the end of the connection: raw mode hands every
		// piece to onData as it arrives (so streaming works), the close
		// callback ends the body.
		f.keepAlive = false
		s := f.s
		s.SetCloseCallback(func() {
			if f.done || f.s != s {
				return
			}
			if err := s.Error(); err != nil {
				f.connLost(err)
				return
			}
			f.bodyDone()
		})
		s.SetDataHandler(func(data []byte) int {
			f.onData(data)
			return len(data)
		})
	}
}

func (f *fetch) shouldRedirect() bool {
	if !f.cur.FollowRedirects() || f.redirects >= f.orig.maxRedirects() {
		return false
	}
	switch f.code {
	case 301, 302, 303, 307, 308:
		return f.header.Has("Location")
	}
	return false
}

// onData takes a piece of body (valid only during the call).
func (f *fetch) onData(p []byte) {
	if f.done || f.bodyTooBig || f.redirect {
		return
	}
	if f.cur.StreamingCallback != nil && !f.gzipped {
		f.cur.StreamingCallback(p)
		return
	}
	if len(f.body)+len(p) > f.c.opts.MaxBodySize {
		f.bodyTooBig = true
		f.body = nil
		return
	}
	f.body = append(f.body, p...)
}

func (f *fetch) readChunkSize() {
	s := f.s
	s.ReadUntil(crlf, maxChunkLine, func(data []byte, err error) {
		if f.done || f.s != s {
			return
		}
		if err != nil {
			f.connLost(err)
			return
		}
		n, ok := parseChunkSize(data)
		if !ok {
			f.fail(599, "malformed response", fmt.Errorf("httpclient: bad chunk size line %q", data))
			return
		}
		if n == 0 {
			f.readTrailers()
			return
		}
		if n > int64(f.c.opts.MaxBodySize) {
			f.fail(599, "body too large", errBodyTooLarge)
			return
		}
		s.ReadBytesStreaming(int(n), f.onData, func(err error) {
			if f.done || f.s != s {
				return
			}
			if err != nil {
				f.connLost(err)
				return
			}
			s.ReadBytes(2, false, func(data []byte, err error) {
				if f.done || f.s != s {
					return
				}
				if err != nil {
					f.connLost(err)
					return
				}
				if !bytes.Equal(data, crlf) {
					f.fail(599, "malformed response", errors.New("httpclient: chunk not followed by CRLF"))
					return
				}
				f.readChunkSize()
			})
		})
	})
}

func (f *fetch) readTrailers() {
	s := f.s
	s.ReadUntil(crlf, f.c.opts.MaxHeaderSize, func(data []byte, err error) {
		if f.done || f.s != s {
			return
		}
		if err != nil {
			f.connLost(err)
			return
		}
		if len(data) == 2 {
			f.bodyDone()
			return
		}
		f.readTrailers()
	})
}

// bodyDone runs when the response is complete: the connection goes back to
// the pool (or is closed), then the fetch redirects or finishes.
func (f *fetch) bodyDone() {
	s := f.s
	f.s = nil
	if f.keepAlive && f.code != 101 && !f.producing && s.PendingWrite() == 0 {
		f.c.putIdle(f.key, s)
	} else {
		s.Close()
	}
	if f.bodyTooBig {
		f.fail(599, "body too large", errBodyTooLarge)
		return
	}
	if f.redirect {
		f.followRedirect()
		return
	}
	body := f.body
	if f.gzipped && len(body) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(zr, int64(f.c.opts.MaxBodySize)+1))
		}
		if err != nil {
			f.fail(599, "bad gzip body", fmt.Errorf("httpclient: gzip: %w", err))
			return
		}
		if len(body) > f.c.opts.MaxBodySize {
			f.fail(599, "body too large", errBodyTooLarge)
			return
		}
		f.header.Set("X-Consumed-Content-Encoding", "gzip")
		f.header.Del("Content-Encoding")
		if f.cur.StreamingCallback != nil {
			f.cur.StreamingCallback(body)
			body = nil
		}
	}
	r := &Response{Request: f.orig, Code: f.code, Reason: f.reason, Header: f.header, Body: body, EffectiveURL: f.cur.URL}
	if f.code < 200 || f.code >= 300 {
		r.Error = &HTTPClientError{Code: f.code, Message: f.reason}
	}
	f.finish(r)
}

func (f *fetch) followRedirect() {
	loc, err := f.u.Parse(f.header.Get("Location"))
	if err != nil {
		f.fail(599, "bad redirect", fmt.Errorf("httpclient: bad Location: %w", err))
		return
	}
	next := *f.cur
	next.URL = loc.String()
	next.Header = f.cur.Header.Clone()
	next.Header.Del("Host")
	switch f.code {
	case 301, 302, 303:
		if next.method() != "HEAD" {
			next.Method = "GET"
		}
		next.Body = nil
		next.BodyProducer = nil
		for _, h := range []string{"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"} {
			next.Header.Del(h)
		}
	}
	if loc.Scheme != f.u.Scheme || hostPort(loc) != hostPort(f.u) {
		next.Header.Del("Authorization")
		next.Header.Del("Cookie")
		next.AuthUsername, next.AuthPassword = "", ""
	}
	f.redirects++
	f.run(&next)
}

func (f *fetch) onTimeout() {
	f.timeout = nil
	if f.queued {
		f.c.dequeue(f)
		f.queued = false
		f.fail(599, "Timeout in request queue", errQueueTimeout)
		return
	}
	f.fail(599, "Timeout during request", errRequestTimeout)
}

func (f *fetch) fail(code int, msg string, err error) {
	if f.done {
		return
	}
	var url string
	if f.cur != nil {
		url = f.cur.URL
	} else {
		url = f.orig.URL
	}
	f.finish(&Response{Request: f.orig, Code: code, EffectiveURL: url,
		Error: &HTTPClientError{Code: code, Message: msg, Err: err}})
}

func (f *fetch) finish(r *Response) {
	if f.done {
		return
	}
	f.done = true
	f.c.loop.RemoveTimeout(f.timeout)
	f.c.loop.RemoveTimeout(f.connTimeout)
	if f.dial != nil {
		f.dial.cancel()
		f.dial = nil
	}
	if f.s != nil {
		f.s.Close()
		f.s = nil
	}
	r.RequestTime = time.Since(f.start)
	if f.holding {
		f.holding = false
		f.c.release()
	}
	if f.cb != nil {
		f.cb(r)
	}
}

// parseStatusLine splits "HTTP/1.1 200 OK" (without its CRLF). The
// version must be HTTP/1.0 or HTTP/1.1 and the code three digits, 100-999.
func parseStatusLine(line string) (version string, code int, reason string, ok bool) {
	version, after, ok1 := strings.Cut(line, " ")
	codeStr, reason, _ := strings.Cut(after, " ")
	if !ok1 || (version != "HTTP/1.1" && version != "HTTP/1.0") || len(codeStr) != 3 {
		return "", 0, "", false
	}
	for i := 0; i < 3; i++ {
		if codeStr[i] < '0' || codeStr[i] > '9' {
			return "", 0, "", false
		}
	}
	code = int(codeStr[0]-'0')*100 + int(codeStr[1]-'0')*10 + int(codeStr[2]-'0')
	if code < 100 {
		return "", 0, "", false
	}
	return version, code, reason, true
}

// maxChunkSize bounds a chunk size so that it fits an int on every
// platform; MaxBodySize is checked separately.
const maxChunkSize = 1<<31 - 1

// parseChunkSize reads a chunk-size line (with its CRLF): hex digits,
// optional whitespace and extensions after ';'.
func parseChunkSize(line []byte) (int64, bool) {
	s := strings.TrimSpace(string(line))
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if s == "" || len(s) > 16 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
		if n > maxChunkSize {
			return 0, false
		}
	}
	return n, true
}

// idempotent reports whether a request with method may be sent twice.
func idempotent(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}
