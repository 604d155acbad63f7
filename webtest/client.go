package webtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/web"
)

// DefaultTimeout bounds one in-process request, so a handler that never
// finishes fails its test instead of hanging it (Tornado's gen_test
// default is 5 s).
const DefaultTimeout = 5 * time.Second

// maxRedirects bounds a redirect chain the client follows (Tornado's
// max_redirects).
const maxRedirects = 5

// A Client sends requests to an Application in process, as a browser of
// one site would: cookies the application sets are kept and sent back.
// It is not safe for concurrent use.
type Client struct {
	App *web.Application
	// T, if set, fails the test on errors that are not HTTP responses
	// (a handler that never finishes, a malformed request).
	T testing.TB
	// Host is the Host header (default "127.0.0.1"); Protocol "http" or
	// "https"; RemoteIP the client's address (default "127.0.0.1").
	Host, Protocol, RemoteIP string
	// Header is sent with every request.
	Header httputil.Headers
	// FollowRedirects follows 301, 302, 303, 307 and 308 answers (off by
	// default, so tests see the redirect).
	FollowRedirects bool
	// Timeout bounds each request (default DefaultTimeout).
	Timeout time.Duration
	// XSRFCookieName is the application's XSRF cookie name (default
	// "_xsrf"), for the XSRF helpers.
	XSRFCookieName string

	jar []cookie
}

type cookie struct {
	name, value string
	path        string
}

// NewClient returns a Client for app that fails t on transport errors.
func NewClient(t testing.TB, app *web.Application) *Client {
	return &Client{App: app, T: t}
}

// A Request is what Do sends.
type Request struct {
	Method string // default GET
	Target string // "/path?query", or an absolute URL whose host is used
	Header httputil.Headers
	Body   []byte
}

// A Response is what the Application answered.
type Response struct {
	Status int
	Reason string
	Header httputil.Headers
	Body   []byte
	// Flushes counts the handler's flushes before it finished.
	Flushes int
	// Request is the request that produced the response (the last one
	// when redirects were followed).
	Request *Request
}

// Text returns the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// JSON decodes the body into v.
func (r *Response) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Get returns the value of a response header ("" if absent).
func (r *Response) Get(name string) string { return r.Header.Get(name) }

// Cookies returns the Set-Cookie headers of the response.
func (r *Response) Cookies() []string { return r.Header.Values("Set-Cookie") }

// Do sends req and returns the response.
func (c *Client) Do(req *Request) (*Response, error) {
	for i := 0; ; i++ {
		resp, err := c.do(req)
		if err != nil || !c.FollowRedirects || i >= maxRedirects {
			return resp, err
		}
		loc := resp.Header.Get("Location")
		switch resp.Status {
		case 301, 302, 303:
			if loc == "" {
				return resp, nil
			}
			m := req.Method
			if resp.Status == 303 || (m != "GET" && m != "HEAD") {
				m = "GET"
			}
			req = &Request{Method: m, Target: resolve(req.Target, loc), Header: req.Header}
		case 307, 308:
			if loc == "" {
				return resp, nil
			}
			req = &Request{Method: req.Method, Target: resolve(req.Target, loc), Header: req.Header, Body: req.Body}
		default:
			return resp, nil
		}
	}
}

func resolve(base, ref string) string {
	b, err1 := url.Parse(base)
	r, err2 := url.Parse(ref)
	if err1 != nil || err2 != nil {
		return ref
	}
	u := b.ResolveReference(r)
	if u.Host == "" {
		return u.RequestURI()
	}
	return u.String()
}

func (c *Client) do(req *Request) (*Response, error) {
	method := req.Method
	if method == "" {
		method = "GET"
	}
	target := req.Target
	host := c.Host
	if host == "" {
		host = "127.0.0.1"
	}
	protocol := c.Protocol
	if protocol == "" {
		protocol = "http"
	}
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("webtest: %w", err)
		}
		host, protocol = u.Host, u.Scheme
		target = u.RequestURI()
	}
	if target == "" {
		target = "/"
	}
	r := httpserver.NewRequest(method, target, req.Body)
	r.Host = host
	r.Protocol = protocol
	if c.RemoteIP != "" {
		r.RemoteIP = c.RemoteIP
	}
	r.Header.Add("Host", host)
	for name, v := range c.Header.All() {
		r.Header.Add(name, v)
	}
	for name, v := range req.Header.All() {
		if name == "Host" {
			r.Header.Set("Host", v)
			r.Host = v
			continue
		}
		r.Header.Add(name, v)
	}
	if !r.Header.Has("Cookie") {
		if ck := c.cookieHeader(r.Path); ck != "" {
			r.Header.Add("Cookie", ck)
		}
	}
	if len(req.Body) > 0 && !r.Header.Has("Content-Length") {
		r.Header.Add("Content-Length", strconv.Itoa(len(req.Body)))
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	rec, err := c.App.ServeRecorded(ctx, r)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("webtest: %s %s: the handler did not finish within %v", method, target, timeout)
		}
		if c.T != nil {
			c.T.Helper()
			c.T.Fatal(err)
		}
		return nil, err
	}
	for _, sc := range rec.Header.Values("Set-Cookie") {
		c.storeCookie(sc)
	}
	return &Response{
		Status:  rec.Status,
		Reason:  rec.Reason,
		Header:  rec.Header,
		Body:    rec.Body,
		Flushes: rec.Flushes,
		Request: req,
	}, nil
}

func (c *Client) must(resp *Response, err error) *Response {
	if err != nil && c.T != nil {
		c.T.Helper()
		c.T.Fatal(err)
	}
	return resp
}

// Fetch sends a request with optional header name/value pairs:
//
//	c.Fetch("GET", "/", nil, "If-None-Match", etag)
func (c *Client) Fetch(method, target string, body []byte, header ...string) *Response {
	req := &Request{Method: method, Target: target, Body: body}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return c.must(c.Do(req))
}

// Get sends a GET with optional header name/value pairs.
func (c *Client) Get(target string, header ...string) *Response {
	return c.Fetch("GET", target, nil, header...)
}

// Head sends a HEAD.
func (c *Client) Head(target string, header ...string) *Response {
	return c.Fetch("HEAD", target, nil, header...)
}

// Post sends a POST with a form-encoded body. The XSRF token from the
// cookie jar is added as _xsrf when the form has none (see XSRFToken).
func (c *Client) Post(target string, form url.Values, header ...string) *Response {
	return c.SendForm("POST", target, form, header...)
}

// SendForm sends form (URL-encoded) with the given method, adding the XSRF
// token from the cookie jar as Post does.
func (c *Client) SendForm(method, target string, form url.Values, header ...string) *Response {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_xsrf"]; !ok {
		if tok := c.XSRFToken(); tok != "" {
			form = cloneValues(form)
			form.Set("_xsrf", tok)
		}
	}
	header = append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)
	return c.Fetch(method, target, []byte(form.Encode()), header...)
}

// PostJSON sends v as a JSON body, with the XSRF token in the
// X-Xsrftoken header when the jar has one.
func (c *Client) PostJSON(target string, v any, header ...string) *Response {
	body, err := json.Marshal(v)
	if err != nil {
		if c.T != nil {
			c.T.Helper()
			c.T.Fatal(err)
		}
		return nil
	}
	header = append([]string{"Content-Type", "application/json"}, header...)
	if tok := c.XSRFToken(); tok != "" {
		header = append(header, "X-Xsrftoken", tok)
	}
	return c.Fetch("POST", target, body, header...)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// XSRFToken returns the XSRF cookie the application set in the jar ("" if
// none yet: fetch a page that uses the token first).
func (c *Client) XSRFToken() string {
	name := c.XSRFCookieName
	if name == "" {
		name = "_xsrf"
	}
	return c.Cookie(name)
}

// Cookie returns the value of a cookie in the jar, as the application set
// it ("" if absent).
func (c *Client) Cookie(name string) string {
	for _, ck := range c.jar {
		if ck.name == name {
			return ck.value
		}
	}
	return ""
}

// SetCookie puts a cookie in the jar, as if the application had set it.
func (c *Client) SetCookie(name, value string) {
	c.storeCookie(name + "=" + value)
}

// ClearCookies empties the jar.
func (c *Client) ClearCookies() { c.jar = nil }

// storeCookie applies a Set-Cookie header to the jar: a cookie expired
// (by expires or Max-Age) is removed.
func (c *Client) storeCookie(header string) {
	parts := strings.Split(header, ";")
	name, value, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
	if !ok || name == "" {
		return
	}
	ck := cookie{name: name, value: value, path: "/"}
	expired := false
	for _, attr := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(attr), "=")
		switch strings.ToLower(k) {
		case "path":
			ck.path = v
		case "max-age":
			if n, err := strconv.Atoi(v); err == nil && n <= 0 {
				expired = true
			}
		case "expires":
			if t, err := httputil.ParseTimestamp(v); err == nil && t.Before(time.Now()) {
				expired = true
			}
		}
	}
	for i := range c.jar {
		if c.jar[i].name == name && c.jar[i].path == ck.path {
			c.jar = append(c.jar[:i], c.jar[i+1:]...)
			break
		}
	}
	if !expired {
		c.jar = append(c.jar, ck)
	}
}

// cookieHeader is the Cookie header for a request path.
func (c *Client) cookieHeader(path string) string {
	var parts []string
	for _, ck := range c.jar {
		if ck.path == "/" || path == ck.path || strings.HasPrefix(path, strings.TrimSuffix(ck.path, "/")+"/") {
			parts = append(parts, ck.name+"="+ck.value)
		}
	}
	return strings.Join(parts, "; ")
}
