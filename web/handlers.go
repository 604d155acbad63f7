package web

import (
	"bytes"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
)

// RedirectHandler redirects every GET to URL, Tornado's RedirectHandler.
// The URL may use the route's groups as Python's str.format does: "{0}" for
// the first group, "{name}" for a named one ("{{" is a brace). The request's
// query is appended. The status is 301 unless Status says otherwise.
//
//	{Pattern: `/(.*?)/(.*?)/(.*)`, Handler: &web.RedirectHandler{URL: "/{1}/{0}/{2}"}}
type RedirectHandler struct {
	RequestHandler
	URL    string
	Status int // 301 by default; 302, 303, 307 or 308
}

// Get sends the redirect.
func (h *RedirectHandler) Get(args ...string) error {
	to := formatGroups(h.URL, args, h.route.groupNames)
	if q := h.Request.QueryArguments(); len(q) > 0 {
		to = httputil.URLConcat(to, q)
	}
	status := h.Status
	if status == 0 {
		status = 301
	}
	return h.Redirect(to, status)
}

// formatGroups substitutes {N} and {name} in s (Python's str.format, for
// plain fields).
func formatGroups(s string, args, names []string) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			field := s[i+1 : i+end]
			if n, err := strconv.Atoi(field); err == nil && n >= 0 && n < len(args) {
				b.WriteString(args[n])
			} else {
				for k, name := range names {
					if name == field && field != "" && k < len(args) {
						b.WriteString(args[k])
					}
				}
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ErrorHandler answers every request with StatusCode's error page,
// Tornado's ErrorHandler (the default 404 is one). It skips the XSRF check,
// so a POST to a wrong URL is a 404, not a 403.
type ErrorHandler struct {
	RequestHandler
	StatusCode int
}

// Prepare fails the request with StatusCode.
func (h *ErrorHandler) Prepare() error {
	code := h.StatusCode
	if code == 0 {
		code = 404
	}
	return NewHTTPError(code)
}

func (h *ErrorHandler) xsrfExempt() {}

// FallbackHandler mounts a net/http Handler on a route, Tornado's
// FallbackHandler: net/http/pprof, a Prometheus exporter, any
// http.Handler. It runs on the worker pool (such handlers may block) and
// skips the XSRF check.
//
//	{Pattern: "/debug/pprof/.*", Handler: web.Fallback(http.DefaultServeMux)}
type FallbackHandler struct {
	RequestHandler
	Blocking
	Fallback http.Handler
}

// Fallback returns a FallbackHandler prototype for h.
func Fallback(h http.Handler) *FallbackHandler { return &FallbackHandler{Fallback: h} }

func (h *FallbackHandler) xsrfExempt() {}

// Prepare runs the http.Handler and finishes the response.
func (h *FallbackHandler) Prepare() error {
	req, err := netHTTPRequest(h.Request)
	if err != nil {
		return NewHTTPError(400, "%v", err)
	}
	req = req.WithContext(h.Context())
	w := &fallbackWriter{h: h.base(), header: http.Header{}}
	h.Fallback.ServeHTTP(w, req)
	if !w.committed {
		w.commit(nil)
	}
	if h.finished.Load() {
		return nil
	}
	return h.Finish()
}

// netHTTPRequest converts a request for a net/http Handler.
func netHTTPRequest(r *httpserver.Request) (*http.Request, error) {
	u, err := url.ParseRequestURI(r.URI)
	if err != nil {
		return nil, err
	}
	req := &http.Request{
		Method:        r.Method,
		URL:           u,
		Proto:         r.Version,
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		Body:          io.NopCloser(bytes.NewReader(r.Body)),
		ContentLength: int64(len(r.Body)),
		Host:          r.Host,
		RemoteAddr:    r.RemoteIP + ":0",
		RequestURI:    r.URI,
	}
	if r.Version == "HTTP/1.0" {
		req.ProtoMinor = 0
	}
	for name, value := range r.Header.All() {
		if name != "Host" {
			req.Header.Add(name, value)
		}
	}
	if r.Protocol == "https" {
		req.TLS = &tls.ConnectionState{}
	}
	return req, nil
}

// fallbackWriter is the http.ResponseWriter a FallbackHandler gives its
// net/http Handler: it writes into the RequestHandler.
type fallbackWriter struct {
	h         *RequestHandler
	header    http.Header
	status    int
	committed bool
}

func (w *fallbackWriter) Header() http.Header { return w.header }

func (w *fallbackWriter) WriteHeader(code int) {
	if w.status == 0 && !w.committed {
		w.status = code
	}
}

// commit hands the status and headers to the handler, sniffing the content
// type from the first data as net/http does when none was set.
func (w *fallbackWriter) commit(first []byte) {
	w.committed = true
	if w.status == 0 {
		w.status = 200
	}
	h := w.h
	h.SetStatus(w.status)
	h.ClearHeader("Content-Type")
	for name, values := range w.header {
		for _, v := range values {
			if err := h.AddHeader(name, v); err != nil {
				h.app.logger().Warn("web: FallbackHandler dropped a header: " + err.Error())
			}
		}
	}
	if _, ok := w.header["Content-Type"]; !ok && len(first) > 0 {
		h.SetHeader("Content-Type", http.DetectContentType(first))
	}
}

func (w *fallbackWriter) Write(p []byte) (int, error) {
	if !w.committed {
		w.commit(p)
	}
	return w.h.Writer().Write(p)
}

// Flush makes the writer an http.Flusher (streaming responses).
func (w *fallbackWriter) Flush() {
	if !w.committed {
		w.commit(nil)
	}
	_ = w.h.Flush()
}
