package web

import (
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/iostream"
)

// maxBridgeBody bounds a request body read through the net/http bridge:
// the loop server's default MaxBodySize, 100 MiB.
const maxBridgeBody = 100 << 20

// ServeHTTP makes the Application a net/http Handler, so it can be served
// over TLS and HTTP/2 by net/http:
//
//	http.ListenAndServeTLS(":443", "cert.pem", "key.pem", app)
//
// The request goroutine plays the loop: handlers run on it (blocking ones
// on the worker pool, as on the loop server) and it writes their response.
func (app *Application) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := requestFromNetHTTP(w, r)
	if err != nil {
		status := http.StatusBadRequest
		if _, ok := err.(*http.MaxBytesError); ok {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	s := &netHTTPSink{w: w, q: newOwnerQueue(), status: 200}
	app.serveStart(s, req, time.Now())
	if s.q.run(r.Context().Done()) {
		return
	}
	// The client went away: tell the handler, then let it run to its end
	// (its writes go nowhere) before the request goroutine returns.
	if cb := s.closeCB; cb != nil {
		s.closeCB = nil
		cb()
	}
	s.gone = true
	s.q.run(nil)
}

// requestFromNetHTTP converts a net/http request, reading its body.
func requestFromNetHTTP(w http.ResponseWriter, r *http.Request) (*httpserver.Request, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBridgeBody))
		if err != nil {
			return nil, err
		}
		body = b
	}
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	path, query, _ := strings.Cut(uri, "?")
	if strings.Contains(path, "://") { // absolute-form target
		path = r.URL.EscapedPath()
		query = r.URL.RawQuery
	}
	req := &httpserver.Request{
		Method:   r.Method,
		URI:      uri,
		Path:     path,
		Query:    query,
		Version:  r.Proto,
		Body:     body,
		Protocol: "http",
		Host:     r.Host,
	}
	if r.TLS != nil {
		req.Protocol = "https"
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		req.RemoteIP = host
	} else {
		req.RemoteIP = r.RemoteAddr
	}
	if r.Host != "" {
		req.Header.Add("Host", r.Host)
	}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			req.Header.Add(name, v)
		}
	}
	return req, nil
}

// netHTTPSink writes a handler's response to a net/http ResponseWriter.
type netHTTPSink struct {
	w       http.ResponseWriter
	q       *ownerQueue
	hdr     httputil.Headers
	status  int
	body    []byte // written, not yet sent
	sent    bool   // the head went out
	gone    bool   // the client went away
	closeCB func()
}

func (s *netHTTPSink) Header() *httputil.Headers { return &s.hdr }

func (s *netHTTPSink) SetStatus(code int, _ string) { s.status = code }

func (s *netHTTPSink) Write(p []byte) (int, error) {
	s.body = append(s.body, p...)
	return len(p), nil
}

// sendHead copies the headers (cloned: they may be views into pooled
// memory) and writes the status.
func (s *netHTTPSink) sendHead(finishing bool) {
	s.sent = true
	h := s.w.Header()
	for name, value := range s.hdr.All() {
		h.Add(strings.Clone(name), strings.Clone(value))
	}
	st := s.status
	bodyless := st == 204 || st == 304 || (st >= 100 && st < 200)
	if finishing && !bodyless && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(s.body)))
	}
	s.w.WriteHeader(st)
}

func (s *netHTTPSink) Flush(cb func(error)) {
	if !s.sent {
		s.sendHead(false)
	}
	var err error
	if !s.gone {
		if len(s.body) > 0 {
			_, err = s.w.Write(s.body)
		}
		if err == nil {
			_ = http.NewResponseController(s.w).Flush()
		}
	}
	s.body = s.body[:0]
	s.q.post(func() { cb(err) })
}

func (s *netHTTPSink) Finish() error {
	if !s.sent {
		s.sendHead(true)
	}
	var err error
	if len(s.body) > 0 && !s.gone {
		_, err = s.w.Write(s.body)
	}
	s.body = nil
	s.closeCB = nil
	s.q.finished()
	return err
}

func (s *netHTTPSink) SetCloseCallback(fn func()) { s.closeCB = fn }

func (s *netHTTPSink) post(fn func()) { s.q.post(fn) }

func (s *netHTTPSink) detach() (*iostream.IOStream, error) { return nil, ErrDetachUnsupported }
