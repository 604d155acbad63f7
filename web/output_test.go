package web_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

// fnHandler runs a function as its Get (and Post): the tests' ad-hoc handler.
type fnHandler struct {
	web.RequestHandler
	Fn func(h *web.RequestHandler) error
}

func (h *fnHandler) Get(...string) error  { return h.Fn(&h.RequestHandler) }
func (h *fnHandler) Post(...string) error { return h.Fn(&h.RequestHandler) }

func fn(f func(h *web.RequestHandler) error) *fnHandler { return &fnHandler{Fn: f} }

func TestWriteTypes(t *testing.T) {
	type point struct {
		X, Y int
		Tag  string `json:"tag"`
	}
	c := client(t, []web.Rule{
		{Pattern: "/string", Handler: fn(func(h *web.RequestHandler) error { return h.Write("a<b") })},
		{Pattern: "/bytes", Handler: fn(func(h *web.RequestHandler) error { return h.Write([]byte("bytes")) })},
		{Pattern: "/map", Handler: fn(func(h *web.RequestHandler) error {
			return h.Write(map[string]any{"a": 1, "s": "</script>"})
		})},
		{Pattern: "/struct", Handler: fn(func(h *web.RequestHandler) error { return h.Write(&point{1, 2, "t"}) })},
		{Pattern: "/list", Handler: fn(func(h *web.RequestHandler) error { return h.Write([]int{1, 2}) })},
		{Pattern: "/int", Handler: fn(func(h *web.RequestHandler) error { return h.Write(42) })},
		{Pattern: "/writer", Handler: fn(func(h *web.RequestHandler) error {
			fmt.Fprintf(h.Writer(), "%d-%s", 7, "x")
			_, err := h.WriteString("!")
			return err
		})},
	}, web.Settings{})
	tests := []struct {
		target, ctype, body string
		status              int
	}{
		{"/string", "text/html; charset=UTF-8", "a<b", 200},
		{"/bytes", "text/html; charset=UTF-8", "bytes", 200},
		{"/map", "application/json; charset=UTF-8", `{"a":1,"s":"<\/script>"}`, 200},
		{"/struct", "application/json; charset=UTF-8", `{"X":1,"Y":2,"tag":"t"}`, 200},
		{"/writer", "text/html; charset=UTF-8", "7-x!", 200},
		{"/list", "", "", 500},
		{"/int", "", "", 500},
	}
	for _, tt := range tests {
		r := c.Get(tt.target)
		if r.Status != tt.status || (tt.status == 200 && (r.Text() != tt.body || r.Get("Content-Type") != tt.ctype)) {
			t.Errorf("GET %s = %d %q (%s); want %d %q (%s)", tt.target, r.Status, r.Text(), r.Get("Content-Type"), tt.status, tt.body, tt.ctype)
		}
	}
}

func TestDefaultHeaders(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/", Handler: &helloHandler{}}}, web.Settings{})
	r := c.Get("/")
	for name, want := range map[string]string{
		"Server":         web.ServerHeader,
		"Content-Type":   "text/html; charset=UTF-8",
		"Content-Length": "12",
		"Etag":           `"e02aa1b106d5c7c6a98def2b13005d5b84fd8dc8"`, // SHA-1 of "Hello, world"
	} {
		if got := r.Get(name); got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
	if r.Get("Date") == "" {
		t.Error("no Date header")
	}
}

func TestHeaders(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/multi", Handler: fn(func(h *web.RequestHandler) error {
			h.SetHeader("x-overwrite", "1")
			h.SetHeader("X-Overwrite", 2)
			h.AddHeader("x-multi", 3)
			h.AddHeader("X-Multi", "4")
			return nil
		})},
		{Pattern: "/clear", Handler: fn(func(h *web.RequestHandler) error {
			h.SetHeader("h1", "foo")
			h.SetHeader("h2", "bar")
			h.ClearHeader("h1")
			h.ClearHeader("nonexistent")
			return nil
		})},
		{Pattern: "/injection", Handler: fn(func(h *web.RequestHandler) error {
			var bad []string
			for _, v := range []string{"foo\r\nX-Bar: baz", "a\nb", "a\rb", "nul\x00", "del\x7f", "bell\a"} {
				if err := h.SetHeader("X-Foo", v); err == nil {
					bad = append(bad, strconv.Quote(v))
				}
			}
			for _, n := range []string{"X Foo", "X:Foo", "X\r\nFoo", ""} {
				if err := h.AddHeader(n, "v"); err == nil {
					bad = append(bad, "name "+strconv.Quote(n))
				}
			}
			if err := h.SetHeader("X-Ok", "tab\tand latin1 \xe9 fine"); err != nil {
				bad = append(bad, err.Error())
			}
			if len(bad) > 0 {
				return h.Write("accepted: " + strings.Join(bad, ", "))
			}
			return h.Write("ok")
		})},
	}, web.Settings{})
	r := c.Get("/multi")
	if r.Get("X-Overwrite") != "2" || strings.Join(r.Header.Values("X-Multi"), ",") != "3,4" {
		t.Errorf("multi headers: X-Overwrite %q, X-Multi %q", r.Get("X-Overwrite"), r.Header.Values("X-Multi"))
	}
	r = c.Get("/clear")
	if r.Header.Has("H1") || r.Get("H2") != "bar" {
		t.Errorf("clear header: h1 present %v, h2 %q", r.Header.Has("H1"), r.Get("H2"))
	}
	expect(t, "header injection", c.Get("/injection"), 200, "ok")
}

func TestStatus(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
		code, _ := strconv.Atoi(h.Request.QueryArguments().Get("code"))
		reason, _ := h.GetArgument("reason", "")
		h.SetStatus(code, reason)
		return nil
	})}}, web.Settings{})
	tests := []struct {
		query  string
		code   int
		reason string
	}{
		{"code=304", 304, "Not Modified"},
		{"code=304&reason=Foo", 304, "Foo"},
		{"code=682&reason=Bar", 682, "Bar"},
		{"code=682", 682, "Unknown"},
		{"code=200&reason=<script>", 200, "OK"},
	}
	for _, tt := range tests {
		r := c.Get("/?" + tt.query)
		if r.Status != tt.code || r.Reason != tt.reason {
			t.Errorf("?%s: %d %q; want %d %q", tt.query, r.Status, r.Reason, tt.code, tt.reason)
		}
	}
}

func TestBodylessStatuses(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/204", Handler: fn(func(h *web.RequestHandler) error {
			h.SetStatus(204)
			return h.Finish()
		})},
		{Pattern: "/304", Handler: fn(func(h *web.RequestHandler) error {
			h.SetHeader("Content-Language", "en_US")
			return h.Write("hello")
		})},
	}, web.Settings{})
	r := c.Get("/204")
	if r.Status != 204 || r.Header.Has("Content-Length") || r.Header.Has("Transfer-Encoding") {
		t.Errorf("204: %d, headers %v", r.Status, r.Header.String())
	}
	r1 := c.Get("/304")
	if r1.Get("Content-Length") != "5" || r1.Get("Content-Language") != "en_US" {
		t.Fatalf("first GET: %v", r1.Header.String())
	}
	r2 := c.Get("/304", "If-None-Match", r1.Get("Etag"))
	if r2.Status != 304 || len(r2.Body) != 0 {
		t.Errorf("conditional GET = %d %q; want 304 without body", r2.Status, r2.Body)
	}
	for _, h := range []string{"Content-Length", "Content-Language", "Content-Type", "Transfer-Encoding"} {
		if r2.Header.Has(h) {
			t.Errorf("304 has %s", h)
		}
	}
	if r2.Get("Etag") != r1.Get("Etag") {
		t.Errorf("304 Etag %q; want %q", r2.Get("Etag"), r1.Get("Etag"))
	}
}

type etagHandler struct{ web.RequestHandler }

func (h *etagHandler) Get(computed string) error { return h.Write(computed) }
func (h *etagHandler) ComputeEtag() string       { return h.PathArgs()[0] }

func TestEtagMatching(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/etag/(.*)", Handler: &etagHandler{}}}, web.Settings{})
	tests := []struct {
		name, computed, inm string
		status              int
	}{
		{"wildcard", `"xyzzy"`, "*", 304},
		{"strong match", `"xyzzy"`, `"xyzzy"`, 304},
		{"multiple strong match", `"xyzzy1"`, `"xyzzy1", "xyzzy2"`, 304},
		{"strong no match", `"xyzzy"`, `"xyzzy1"`, 200},
		{"multiple strong no match", `"xyzzy"`, `"xyzzy1", "xyzzy2"`, 200},
		{"weak match", `"xyzzy1"`, `W/"xyzzy1"`, 304},
		{"multiple weak match", `"xyzzy2"`, `W/"xyzzy1", W/"xyzzy2"`, 304},
		{"weak no match", `"xyzzy2"`, `W/"xyzzy1"`, 200},
		{"multiple weak no match", `"xyzzy3"`, `W/"xyzzy1", W/"xyzzy2"`, 200},
	}
	for _, tt := range tests {
		r := c.Get("/etag/"+tt.computed, "If-None-Match", tt.inm)
		expectStatus(t, tt.name, r, tt.status)
	}
}

type errorPages struct{ web.RequestHandler }

func (h *errorPages) Get() error {
	switch s, _ := h.GetArgument("case", ""); s {
	case "status":
		code, _ := h.GetArgument("code")
		n, _ := strconv.Atoi(code)
		return web.NewHTTPError(n)
	case "reason":
		return web.NewHTTPError(682).WithReason("Foo")
	case "panic":
		var m map[string]int
		if h.Request.Method == "GET" {
			m = nilMap()
		}
		m["boom"]++ // a nil map write: a runtime panic
	case "error":
		return errors.New("database on fire")
	case "status-error":
		return statusErr{}
	case "send":
		return h.SendError(503)
	}
	return nil
}

type statusErr struct{}

func (statusErr) Error() string   { return "gone away" }
func (statusErr) HTTPStatus() int { return 410 }

func TestErrorPages(t *testing.T) {
	var logs logBuffer
	c := client(t, []web.Rule{{Pattern: "/", Handler: &errorPages{}}}, web.Settings{Logger: logs.logger()})
	tests := []struct {
		query  string
		status int
		reason string
	}{
		{"case=status&code=503", 503, "Service Unavailable"},
		{"case=status&code=435", 435, "Unknown"},
		{"case=reason", 682, "Foo"},
		{"case=panic", 500, "Internal Server Error"},
		{"case=error", 500, "Internal Server Error"},
		{"case=status-error", 410, "Gone"},
		{"case=send", 503, "Service Unavailable"},
	}
	for _, tt := range tests {
		r := c.Get("/?" + tt.query)
		page := fmt.Sprintf("<html><title>%d: %s</title><body>%d: %s</body></html>", tt.status, tt.reason, tt.status, tt.reason)
		if r.Status != tt.status || r.Reason != tt.reason || r.Text() != page {
			t.Errorf("?%s = %d %q %q; want %d %q %q", tt.query, r.Status, r.Reason, r.Text(), tt.status, tt.reason, page)
		}
	}
	// The loop survived the panic; the log names the request and the stack.
	expect(t, "after the panic", c.Get("/?case=none"), 200, "")
	for _, want := range []string{"Uncaught exception GET /?case=panic (127.0.0.1)", "assignment to entry in nil map", "errorPages", "database on fire"} {
		if !logs.contains(want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestTraceback(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/", Handler: &errorPages{}}}, web.Settings{Debug: true})
	r := c.Get("/?case=panic")
	if r.Status != 500 || !strings.HasPrefix(r.Get("Content-Type"), "text/plain") ||
		!strings.Contains(r.Text(), "assignment to entry in nil map") || !strings.Contains(r.Text(), "goroutine") {
		t.Errorf("debug 500 = %d %s %q", r.Status, r.Get("Content-Type"), r.Text())
	}
	r = c.Get("/?case=error")
	if !strings.Contains(r.Text(), "database on fire") {
		t.Errorf("debug error page %q lacks the error", r.Text())
	}
}

type customErrors struct{ web.RequestHandler }

func (h *customErrors) Get() error {
	if s, _ := h.GetArgument("status", ""); s != "" {
		n, _ := strconv.Atoi(s)
		return h.SendError(n)
	}
	return errors.New("boom")
}

func (h *customErrors) WriteError(status int, err error) error {
	h.SetHeader("Content-Type", "text/plain")
	if err != nil {
		return h.Write("Exception: " + err.Error())
	}
	return h.Write(fmt.Sprintf("Status: %d", status))
}

type failingErrors struct{ web.RequestHandler }

func (h *failingErrors) Get() error                  { return errors.New("boom") }
func (h *failingErrors) WriteError(int, error) error { panic("exception in WriteError") }
func (h *failingErrors) Post() error                 { return web.NewHTTPError(400) }
func (h *failingErrors) Put() error                  { return h.Write("x") }
func (h *failingErrors) Delete() error               { h.Write("partial"); h.Flush(); return errors.New("late") }
func (h *failingErrors) Options() error              { h.Finish(); return errors.New("after finish") }
func (h *failingErrors) Patch() error                { return h.Finish() }

func TestWriteErrorOverride(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/write_error", Handler: &customErrors{}},
		{Pattern: "/failed", Handler: &failingErrors{}},
	}, web.Settings{})
	expect(t, "uncaught error", c.Get("/write_error"), 500, "Exception: boom")
	expect(t, "SendError(503)", c.Get("/write_error?status=503"), 503, "Status: 503")
	expect(t, "WriteError panics", c.Get("/failed"), 500, "")
	r := c.Fetch("DELETE", "/failed", nil)
	if r.Status != 200 || r.Text() != "partial" {
		t.Errorf("error after flush = %d %q; want the partial 200", r.Status, r.Text())
	}
	expect(t, "error after Finish", c.Fetch("OPTIONS", "/failed", nil), 200, "")
}

type finishInPrepare struct{ web.RequestHandler }

func (h *finishInPrepare) Prepare() error {
	h.Write("done")
	return h.Finish()
}
func (h *finishInPrepare) Get() error { panic("should not reach this method") }

type prepareError struct{ web.RequestHandler }

func (h *prepareError) Prepare() error { return web.NewHTTPError(401) }
func (h *prepareError) Get() error     { panic("should not reach this method") }

func TestPrepare(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/finish", Handler: &finishInPrepare{}},
		{Pattern: "/error", Handler: &prepareError{}},
	}, web.Settings{})
	expect(t, "finish in prepare", c.Get("/finish"), 200, "done")
	expectStatus(t, "error in prepare", c.Get("/error"), 401)
}

func TestFinishTwiceAndWriteAfterFinish(t *testing.T) {
	results := make(chan [3]error, 1)
	c := client(t, []web.Rule{{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
		h.Write("x")
		e1 := h.Finish()
		e2 := h.Finish()
		e3 := h.Write("y")
		results <- [3]error{e1, e2, e3}
		return nil
	})}}, web.Settings{})
	expect(t, "GET", c.Get("/"), 200, "x")
	errs := <-results
	if errs[0] != nil || !errors.Is(errs[1], web.ErrFinished) || !errors.Is(errs[2], web.ErrFinished) {
		t.Errorf("Finish, Finish, Write = %v", errs)
	}
}

func TestFlush(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/chunks", Handler: fn(func(h *web.RequestHandler) error {
			for _, s := range []string{"a", "b", "c"} {
				h.Write(s)
				if err := h.Flush(); err != nil {
					return err
				}
			}
			return nil
		})},
		{Pattern: "/empty_flush", Handler: fn(func(h *web.RequestHandler) error {
			h.Flush()
			h.Flush()
			h.Write("o")
			h.Flush()
			h.Flush()
			h.Write("k")
			return h.Finish()
		})},
		{Pattern: "/length", Handler: fn(func(h *web.RequestHandler) error {
			h.SetHeader("Content-Length", 2)
			h.Write("a")
			h.Flush()
			h.Write("b")
			return nil
		})},
	}, web.Settings{})
	r := c.Get("/chunks")
	if r.Text() != "abc" || r.Flushes != 3 || r.Get("Transfer-Encoding") != "chunked" || r.Header.Has("Etag") {
		t.Errorf("flushed response: %q, %d flushes, headers %s", r.Text(), r.Flushes, r.Header.String())
	}
	expect(t, "empty flushes", c.Get("/empty_flush"), 200, "ok")
	r = c.Get("/length")
	if r.Text() != "ab" || r.Get("Content-Length") != "2" || r.Header.Has("Transfer-Encoding") {
		t.Errorf("flush with Content-Length: %q %s", r.Text(), r.Header.String())
	}
}

func TestRedirect(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/redirect", Handler: fn(func(h *web.RequestHandler) error {
			if p, _ := h.GetArgument("permanent", ""); p == "1" {
				return h.Redirect("/", 301)
			}
			if s, _ := h.GetArgument("status", ""); s != "" {
				n, _ := strconv.Atoi(s)
				return h.Redirect("/", n)
			}
			return h.Redirect("/")
		})},
		{Pattern: "/local", Handler: fn(func(h *web.RequestHandler) error {
			next, _ := h.GetArgument("next", "/")
			return h.RedirectLocal(next)
		})},
		{Pattern: "/inject", Handler: fn(func(h *web.RequestHandler) error {
			if err := h.Redirect("/x\r\nSet-Cookie: a=b"); err != nil {
				return h.Write("refused")
			}
			return nil
		})},
		{Pattern: "/src", Handler: &web.RedirectHandler{URL: "/dst"}},
		{Pattern: "/src2", Handler: &web.RedirectHandler{URL: "/dst2?foo=bar"}},
		{Pattern: "/temp", Handler: &web.RedirectHandler{URL: "/dst", Status: 302}},
		{Pattern: `/n/(?P<a>\w+)/(?P<b>\w+)`, Handler: &web.RedirectHandler{URL: "/{b}/{a}/{{x}}"}},
		{Pattern: `/(.*?)/(.*?)/(.*)`, Handler: &web.RedirectHandler{URL: "/{1}/{0}/{2}"}},
	}, web.Settings{})
	tests := []struct {
		target   string
		status   int
		location string
	}{
		{"/redirect", 302, "/"},
		{"/redirect?permanent=1", 301, "/"},
		{"/redirect?status=307", 307, "/"},
		{"/redirect?status=200", 500, ""},
		{"/src", 301, "/dst"},
		{"/src?foo=bar", 301, "/dst?foo=bar"},
		{"/src2?foo2=bar2", 301, "/dst2?foo=bar&foo2=bar2"},
		{"/temp", 302, "/dst"},
		{"/a/b/c", 301, "/b/a/c"},
		{"/n/x/y", 301, "/y/x/{x}"},
		{"/local?next=/entry/1", 302, "/entry/1"},
		{"/local?next=//evil.example/", 302, "/"},
		{"/local?next=/\\evil.example/", 302, "/"},
		{"/local?next=https://evil.example/", 302, "/"},
		{"/local?next=javascript:alert(1)", 302, "/"},
	}
	for _, tt := range tests {
		r := c.Get(tt.target)
		if r.Status != tt.status || r.Get("Location") != tt.location {
			t.Errorf("GET %s = %d Location %q; want %d %q", tt.target, r.Status, r.Get("Location"), tt.status, tt.location)
		}
	}
	expect(t, "redirect with CR LF", c.Get("/inject"), 200, "refused")
}

func TestFollowRedirects(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/", Handler: &helloHandler{}},
		{Pattern: "/src", Handler: &web.RedirectHandler{URL: "/"}},
	}, web.Settings{})
	c.FollowRedirects = true
	expect(t, "followed redirect", c.Get("/src"), 200, "Hello, world")
}

// nilMap hides its nil result from static checks.
func nilMap() map[string]int { return nil }
