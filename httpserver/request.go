package httpserver

import (
	"net/url"
	"strings"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
)

// A Request is one HTTP request as the server received it, Tornado's
// HTTPServerRequest.
//
// Its strings, Header and Body may be views into the connection's input,
// and the server reuses the Request for a later request once the handler
// is done with it: when ServeHTTP returns, if the response was finished
// there; else after the loop callback that calls Finish (the server
// detaches the Request from its buffers when ServeHTTP returns without
// finishing). A handler that keeps anything longer copies it
// (strings.Clone, bytes.Clone, Header.Clone).
type Request struct {
	Method  string // "GET", "POST" ... (a token, case kept)
	URI     string // the request-target as sent: "/path?query"
	Path    string // URI before the first '?', not decoded
	Query   string // URI after the first '?', not decoded
	Version string // "HTTP/1.0" or "HTTP/1.1"

	Header httputil.Headers
	Body   []byte // the whole body, de-chunked (and gunzipped with Decompress)

	RemoteIP string // the peer's IP, or the client's from proxy headers with XHeaders
	Protocol string // "http" or "https"
	Host     string // the Host header, or "127.0.0.1" when there is none (HTTP/1.0)

	loop  *ioloop.IOLoop
	start time.Time

	query     url.Values
	bodyArgs  url.Values
	files     map[string][]*httputil.File
	bodyErr   error
	bodyDone  bool
	cookies   map[string]string
	hasCookie bool
}

// NewRequest returns a Request for method and target (e.g. "/p?q=1") with
// body, as the server would build it from "method target HTTP/1.1": for
// tests, in-process clients and bridges. Headers are added by the caller.
func NewRequest(method, target string, body []byte) *Request {
	r := &Request{
		Method:   method,
		URI:      target,
		Version:  "HTTP/1.1",
		Body:     body,
		RemoteIP: "127.0.0.1",
		Protocol: "http",
		Host:     "127.0.0.1",
	}
	r.Path, r.Query = splitTarget(target)
	return r
}

// splitTarget splits a request-target at its first '?'.
func splitTarget(target string) (path, query string) {
	if i := strings.IndexByte(target, '?'); i >= 0 {
		return target[:i], target[i+1:]
	}
	return target, ""
}

// HostName returns Host without its port, lower-cased (Tornado's
// host_name): "Example.COM:8080" → "example.com", "[::1]:80" → "[::1]".
func (r *Request) HostName() string {
	host, _ := httputil.SplitHostPort(r.Host)
	for i := 0; i < len(host); i++ {
		if c := host[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}

// FullURL returns the reconstructed URL, protocol://host/uri (Tornado's
// full_url).
func (r *Request) FullURL() string {
	return r.Protocol + "://" + r.Host + r.URI
}

// QueryArguments returns the arguments of the query string, blank values
// kept (Tornado's query_arguments). The result is cached; callers must not
// change it.
func (r *Request) QueryArguments() url.Values {
	if r.query == nil {
		r.query = url.Values{}
		parseQuery(r.query, r.Query)
	}
	return r.query
}

// parseQuery adds the pairs of a query string to args: '&'-separated,
// '+' for space, percent-decoded, blank values kept; a pair that does not
// decode is skipped (Python's parse_qs with keep_blank_values).
func parseQuery(args url.Values, q string) {
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		args[k] = append(args[k], v)
	}
}

// BodyArguments returns the arguments of a form body (urlencoded or
// multipart/form-data; Tornado's body_arguments), cached. A malformed body
// gives an *httputil.InputError, which the web layer answers 400.
func (r *Request) BodyArguments() (url.Values, error) {
	r.parseBody()
	return r.bodyArgs, r.bodyErr
}

// Files returns the files of a multipart/form-data body, by field name.
func (r *Request) Files() (map[string][]*httputil.File, error) {
	r.parseBody()
	return r.files, r.bodyErr
}

func (r *Request) parseBody() {
	if r.bodyDone {
		return
	}
	r.bodyDone = true
	r.bodyArgs = url.Values{}
	r.files = map[string][]*httputil.File{}
	if len(r.Body) == 0 {
		return
	}
	r.bodyErr = httputil.ParseBodyArguments(r.Header.Get("Content-Type"), r.Body, r.bodyArgs, r.files, &r.Header)
}

// Arguments returns the query and body arguments together, query values
// first (Tornado's arguments). The map is new on each call.
func (r *Request) Arguments() (url.Values, error) {
	body, err := r.BodyArguments()
	all := url.Values{}
	for k, v := range r.QueryArguments() {
		all[k] = append(all[k], v...)
	}
	for k, v := range body {
		all[k] = append(all[k], v...)
	}
	return all, err
}

// Cookies returns the request's cookies, parsed as browsers do (Tornado's
// cookies), cached.
func (r *Request) Cookies() map[string]string {
	if !r.hasCookie {
		r.hasCookie = true
		r.cookies = httputil.ParseCookie(r.Header.Get("Cookie"))
	}
	return r.cookies
}

// StartTime returns the loop's time when the request head arrived.
func (r *Request) StartTime() time.Time { return r.start }

// Loop returns the loop the request's connection belongs to (nil for a
// Request made with NewRequest).
func (r *Request) Loop() *ioloop.IOLoop { return r.loop }

// reset clears r for the next request, keeping the header capacity.
func (r *Request) reset() {
	h := r.Header
	h.Reset()
	*r = Request{Header: h}
}
