package webtest_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

type handler struct {
	web.RequestHandler
	Fn func(h *web.RequestHandler) error
}

func (h *handler) Get() error  { return h.Fn(&h.RequestHandler) }
func (h *handler) Post() error { return h.Fn(&h.RequestHandler) }

func app(t *testing.T, routes map[string]func(h *web.RequestHandler) error, s web.Settings) *web.Application {
	t.Helper()
	var rules []web.Rule
	for p, f := range routes {
		rules = append(rules, web.Rule{Pattern: p, Handler: &handler{Fn: f}})
	}
	a, err := web.NewApplication(rules, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCookieJar(t *testing.T) {
	c := webtest.NewClient(t, app(t, map[string]func(h *web.RequestHandler) error{
		"/set": func(h *web.RequestHandler) error {
			h.SetCookie("a", "1")
			return h.SetCookie("scoped", "2", web.CookieOptions{Path: "/only"})
		},
		"/clear":     func(h *web.RequestHandler) error { return h.ClearCookie("a") },
		"/expire":    func(h *web.RequestHandler) error { return h.SetCookie("a", "x", web.CookieOptions{MaxAge: -1}) },
		"/echo":      func(h *web.RequestHandler) error { return h.Write(h.Request.Header.Get("Cookie")) },
		"/only/echo": func(h *web.RequestHandler) error { return h.Write(h.Request.Header.Get("Cookie")) },
	}, web.Settings{}))
	c.Get("/set")
	if got := c.Get("/echo").Text(); got != "a=1" {
		t.Errorf("cookies sent to /echo: %q", got)
	}
	if got := c.Get("/only/echo").Text(); got != "a=1; scoped=2" {
		t.Errorf("cookies sent to /only/echo: %q", got)
	}
	c.Get("/clear")
	if got := c.Cookie("a"); got != "" {
		t.Errorf("cleared cookie still in the jar: %q", got)
	}
	c.SetCookie("a", "3")
	c.Get("/expire")
	if got := c.Get("/echo").Text(); got != "" {
		t.Errorf("cookies after Max-Age=0: %q", got)
	}
	if got := c.Get("/echo", "Cookie", "explicit=1").Text(); got != "explicit=1" {
		t.Errorf("an explicit Cookie header is not kept: %q", got)
	}
}

func TestRedirectsAndHosts(t *testing.T) {
	c := webtest.NewClient(t, app(t, map[string]func(h *web.RequestHandler) error{
		"/a": func(h *web.RequestHandler) error { return h.Redirect("/b") },
		"/b": func(h *web.RequestHandler) error { return h.Redirect("http://other.example/c?x=1", 307) },
		"/c": func(h *web.RequestHandler) error {
			return h.Write(h.Request.Method + " " + h.Request.Host + " " + h.Request.URI)
		},
		"/loop": func(h *web.RequestHandler) error { return h.Redirect("/loop") },
	}, web.Settings{}))
	if r := c.Get("/a"); r.Status != 302 || r.Get("Location") != "/b" {
		t.Errorf("redirects are followed by default: %d", r.Status)
	}
	c.FollowRedirects = true
	if r := c.Post("/a", nil); r.Text() != "GET other.example /c?x=1" {
		t.Errorf("followed: %d %q", r.Status, r.Text())
	}
	if r := c.Get("/loop"); r.Status != 302 {
		t.Errorf("a redirect loop ends with the last redirect, got %d", r.Status)
	}
	c.FollowRedirects = false
	c.Host, c.Protocol = "www.example.com:8080", "https"
	if r := c.Get("/c"); r.Text() != "GET www.example.com:8080 /c" {
		t.Errorf("host: %q", r.Text())
	}
}

// quietT records the failure a Client reports instead of failing.
type quietT struct {
	testing.TB
	failed string
}

func (q *quietT) Helper() {}

func (q *quietT) Fatal(args ...any) {
	if err, ok := args[0].(error); ok {
		q.failed = err.Error()
	}
}

func TestTimeout(t *testing.T) {
	a := app(t, map[string]func(h *web.RequestHandler) error{
		"/hang": func(h *web.RequestHandler) error { h.Async(); return nil },
	}, web.Settings{})
	c := &webtest.Client{App: a, Timeout: 50 * time.Millisecond}
	_, err := c.Do(&webtest.Request{Target: "/hang"})
	if err == nil || !strings.Contains(err.Error(), "did not finish within 50ms") {
		t.Errorf("hanging handler: %v", err)
	}
	q := &quietT{TB: t}
	c = &webtest.Client{App: a, Timeout: 50 * time.Millisecond, T: q}
	if r := c.Get("/hang"); r != nil || !strings.Contains(q.failed, "did not finish") {
		t.Errorf("Get on a hanging handler: %v, test failed with %q", r, q.failed)
	}
}

func TestStartServer(t *testing.T) {
	s := webtest.StartServer(t, app(t, map[string]func(h *web.RequestHandler) error{
		"/":     func(h *web.RequestHandler) error { return h.Write("hello " + h.Request.RemoteIP) },
		"/form": func(h *web.RequestHandler) error { v, _ := h.GetArgument("v"); return h.Write(v) },
		"/r":    func(h *web.RequestHandler) error { return h.Redirect("/") },
	}, web.Settings{}))
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || s.Port == 0 {
		t.Fatalf("server at %q port %d", s.URL, s.Port)
	}
	resp, body, err := s.Get("/")
	if err != nil || resp.StatusCode != 200 || string(body) != "hello 127.0.0.1" {
		t.Fatalf("GET / = %v %q %v", resp, body, err)
	}
	resp, body, err = s.Fetch("POST", "/form", strings.NewReader(url.Values{"v": {"x y"}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded")
	if err != nil || string(body) != "x y" {
		t.Errorf("POST /form = %v %q %v", resp, body, err)
	}
	resp, _, err = s.Get("/r")
	if err != nil || resp.StatusCode != 302 {
		t.Errorf("the server client follows redirects: %v %v", resp, err)
	}
}
